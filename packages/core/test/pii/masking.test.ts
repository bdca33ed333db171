import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveRuleParams } from '../../src/compliance/rules.ts';
import {
  COMPOUND_SURNAMES,
  compactNumber,
  keepEnds,
  maskAddress,
  maskCard,
  maskEmail,
  maskIdNumber,
  maskMobile,
  maskName,
  maskValue,
} from '../../src/pii/masking.ts';

describe('P9 masking defaults', () => {
  it('card/account: first 6 + last 4', () => {
    expect(maskCard('6222021234567890123')).toBe('622202*********0123');
    expect(maskCard('6222 0212 3456 7890')).toBe('622202******7890');
    expect(maskValue('account', '6217-0000-1111-2222')).toBe('621700******2222');
  });

  it('ID number: first 1 + last 1', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1****************X');
    expect(maskIdNumber('110105491231002')).toBe('1*************2');
  });

  it('mobile: first 3 + last 4', () => {
    expect(maskMobile('13812341234')).toBe('138****1234');
    expect(maskMobile('138 1234 1234')).toBe('138****1234');
    expect(maskMobile('+86 138-1234-1234')).toBe('+86 138****1234');
    expect(maskMobile('008613812341234')).toBe('+86 138****1234');
  });

  it('name: surname + *', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧阳*');
    expect(maskName('司马相如')).toBe('司马*');
    expect(maskName('诸葛亮')).toBe('诸葛*');
    expect(maskName('歐陽修')).toBe('歐陽*');
    expect(maskName('欧阳')).toBe('欧*'); // two characters: surname 欧, given name 阳
    expect(maskName('王')).toBe('*');
    expect(maskName(' 李四 ')).toBe('李*');
    expect(maskName('迪丽热巴·迪力木拉提')).toBe('迪*');
    expect(maskName('John Smith')).toBe('J*');
    expect(maskName('')).toBe('');
    expect(COMPOUND_SURNAMES.length).toBeGreaterThanOrEqual(36);
    expect(new Set(COMPOUND_SURNAMES).size).toBe(COMPOUND_SURNAMES.length);
  });

  it('email: first character of the local part', () => {
    expect(maskEmail('zhang.san@example.com')).toBe('z***@example.com');
    expect(maskEmail('a@qq.com')).toBe('*@qq.com');
    expect(maskEmail('not-an-email')).toBe('***');
    expect(maskEmail('x@')).toBe('***');
  });

  it('address: keeps province and city', () => {
    expect(maskAddress('广东省深圳市南山区科技园路1号')).toBe('广东省深圳市****');
    expect(maskAddress('北京市朝阳区建国路88号')).toBe('北京市****');
    expect(maskAddress('上海浦东新区世纪大道100号')).toBe('上海****');
    expect(maskAddress('新疆维吾尔自治区伊犁哈萨克自治州伊宁市解放路1号')).toBe('新疆维吾尔自治区伊犁哈萨克自治州****');
    expect(maskAddress('黑龙江省哈尔滨市南岗区')).toBe('黑龙江省哈尔滨市****');
    expect(maskAddress('内蒙古自治区锡林郭勒盟锡林浩特市')).toBe('内蒙古自治区锡林郭勒盟****');
    expect(maskAddress('浙江省杭州西湖区某某路')).toBe('浙江省****');
    expect(maskAddress('中国江苏省苏州市工业园区')).toBe('中国江苏省苏州市****');
    expect(maskAddress('深圳市福田区')).toBe('深圳市****');
    expect(maskAddress('香港特别行政区中环')).toBe('香港特别行政区****');
    expect(maskAddress('某小区3栋')).toBe('****');
  });

  it('honours tightened settings', () => {
    const p = resolveRuleParams({ P9: { cardKeepFirst: 0, mobileKeepFirst: 0 } }).P9;
    expect(maskCard('6222021234567890', p)).toBe('************7890');
    expect(maskMobile('13812341234', p)).toBe('*******1234');
  });

  it('masks at least a third of short values', () => {
    expect(keepEnds('1234567890', 6, 4)).toBe('123****890');
    expect(keepEnds('12', 1, 1)).toBe('*2');
    expect(keepEnds('1', 1, 1)).toBe('*');
    expect(keepEnds('', 1, 1)).toBe('');
  });
});

/** Non-mask characters revealed, checking each is the input's character at the same position. */
function revealed(input: string, output: string): number {
  const a = Array.from(input);
  const b = Array.from(output);
  expect(b.length).toBe(a.length);
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === '*') continue;
    expect(b[i]).toBe(a[i]);
    n++;
  }
  return n;
}

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789X'), { minLength: min, maxLength: max }).map((xs) => xs.join(''));

describe('masking properties: never more than the allowed characters', () => {
  it('card: at most first 6 + last 4, and at least a third masked', () => {
    fc.assert(
      fc.property(digits(0, 30), (s) => {
        const out = maskCard(s);
        const shown = revealed(s, out);
        expect(shown).toBeLessThanOrEqual(10);
        if (s.length > 0) expect(s.length - shown).toBeGreaterThanOrEqual(Math.ceil(s.length / 3));
        const chars = Array.from(out);
        chars.forEach((c, i) => {
          if (c !== '*') expect(i < 6 || i >= s.length - 4).toBe(true);
        });
      }),
    );
  });

  it('ID number: at most the first and the last character', () => {
    fc.assert(
      fc.property(digits(0, 20), (s) => {
        const out = maskIdNumber(s);
        expect(revealed(s, out)).toBeLessThanOrEqual(2);
        Array.from(out).forEach((c, i) => {
          if (c !== '*') expect(i === 0 || i === s.length - 1).toBe(true);
        });
      }),
    );
  });

  it('mobile: at most first 3 + last 4', () => {
    fc.assert(
      fc.property(digits(0, 14), (s) => {
        const out = maskMobile(s);
        if (out.startsWith('+86 ')) {
          const national = s.slice(s.length - 11);
          expect(revealed(national, out.slice(4))).toBeLessThanOrEqual(7);
        } else {
          expect(revealed(s, out)).toBeLessThanOrEqual(7);
        }
      }),
    );
  });

  it('card with separators: the output is the compact number, masked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...'0123456789'), fc.constantFrom(' ', '-')), { maxLength: 30 }),
        (xs) => {
          const s = xs.join('');
          expect(revealed(compactNumber(s), maskCard(s))).toBeLessThanOrEqual(10);
        },
      ),
    );
  });

  it('name: reveals at most the (compound) surname', () => {
    const han = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c));
    const arbName = fc.oneof(
      fc.array(han, { minLength: 0, maxLength: 5 }).map((xs) => xs.join('')),
      fc
        .tuple(fc.constantFrom(...COMPOUND_SURNAMES), fc.array(han, { minLength: 0, maxLength: 3 }))
        .map(([s, g]) => s + g.join('')),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(arbName, (name) => {
        const out = maskName(name);
        const chars = Array.from(name.trim());
        const shown = Array.from(out).filter((c) => c !== '*');
        expect(shown.length).toBeLessThanOrEqual(2);
        if (chars.length <= 1) expect(shown.length).toBe(0);
        if (shown.length === 2) expect(COMPOUND_SURNAMES).toContain(shown.join(''));
        expect(shown.join('')).toBe(chars.slice(0, shown.length).join(''));
        if (chars.length >= 2) expect(shown.length).toBeLessThan(chars.length);
      }),
    );
  });

  it('email: reveals at most one character of the local part', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const out = maskEmail(email);
        const at = email.lastIndexOf('@');
        expect(out.endsWith(email.slice(at))).toBe(true);
        const local = out.slice(0, out.lastIndexOf('@')).replaceAll('*', '');
        expect(local.length).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('address: the output is a prefix of the input followed by the mask', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (addr) => {
        const out = maskAddress(addr);
        expect(out.endsWith('****')).toBe(true);
        const kept = out.slice(0, -4);
        expect(addr.replace(/\s+/g, '').startsWith(kept)).toBe(true);
        expect(kept.length).toBeLessThanOrEqual(Math.max(0, addr.replace(/\s+/g, '').length));
      }),
    );
  });
});
