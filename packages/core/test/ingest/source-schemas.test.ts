import { computeCheckChar } from '@lingxi/core/identity/resident-id';
import { compileSource, parseMapping } from '@lingxi/core/ingest/mapping';
import {
  c3Match,
  defaultCityTier,
  type FieldSpec,
  findC3Columns,
  getSourceSchema,
  hashedId64,
  parseFieldValue,
  SOURCE_NAMES,
  SourceSchemaError,
  sourceSchemas,
} from '@lingxi/core/ingest/source-schemas';
import { columnClass } from '@lingxi/core/schema/data-classes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const spec = (type: FieldSpec['type'], extra: Partial<FieldSpec> = {}): FieldSpec => ({
  type,
  required: true,
  dataClass: 'C1',
  description: '',
  ...extra,
});

describe('C3 column detection (rule P8)', () => {
  it.each([
    'cvv',
    'CVV2',
    'card_cvn',
    'cvc',
    'password',
    'login_passwd',
    'pwd',
    'PIN',
    'pin_code',
    'cardPin',
    'card_expiry',
    'exp_date',
    'ExpiryDate',
    'track1',
    'track2_data',
    'magstripe',
    'biometric_hash',
    'fingerprint',
    'face_template',
    '密码',
    '交易密码',
    '查询密码',
    '安全码',
    '卡片有效期',
    '有效期',
    '磁道信息',
    '指纹特征',
  ])('refuses %s', (column) => {
    expect(c3Match(column)).not.toBeNull();
  });

  it.each([
    'cif',
    'name',
    'name_pinyin',
    'opinion',
    'shipping_address',
    'expected_income',
    'passport_no',
    'id_number',
    'mobile',
    'account_no',
    '证件有效期',
    '身份证有效期',
    '客户号',
    '手机号',
    'maturity_date',
    'spinach',
  ])('accepts %s', (column) => {
    expect(c3Match(column)).toBeNull();
  });

  it('names the column and rule P8 in each finding', () => {
    const [f] = findC3Columns(['cif', 'cvv']);
    expect(f).toMatchObject({ column: 'cvv', matched: 'cvv' });
    expect(f?.reason).toContain('P8');
  });
});

describe('field parsers', () => {
  it('money: yuan with at most 2 decimals → integer fen; fen as given', () => {
    const m = spec('money');
    expect(parseFieldValue(m, {}, '12.34')).toEqual({ ok: true, value: 1234 });
    expect(parseFieldValue(m, {}, '12.3')).toEqual({ ok: true, value: 1230 });
    expect(parseFieldValue(m, {}, '¥1,234,567.89')).toEqual({ ok: true, value: 123456789 });
    expect(parseFieldValue(m, {}, '-0.01')).toEqual({ ok: true, value: -1 });
    expect(parseFieldValue(m, {}, 12.34)).toEqual({ ok: true, value: 1234 });
    expect(parseFieldValue(m, { unit: 'fen' }, '1234')).toEqual({ ok: true, value: 1234 });
    expect(parseFieldValue(m, {}, '1.234')).toEqual({
      ok: false,
      reason: "more than 2 decimal places of yuan: '1.234'",
    });
    expect(parseFieldValue(m, { unit: 'fen' }, '12.5')).toEqual({
      ok: false,
      reason: "not a whole number of fen: '12.5'",
    });
    expect(parseFieldValue(m, {}, '12,34')).toMatchObject({ ok: false });
    expect(parseFieldValue(spec('money', { min: 0 }), {}, '-1')).toMatchObject({ ok: false });
  });

  it('money: any amount of fen written in yuan round-trips exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        const yuan = `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
        expect(parseFieldValue(spec('money'), {}, yuan)).toEqual({ ok: true, value: fen });
      }),
    );
  });

  it('dates: ISO, YYYYMMDD, YYYY/MM/DD; impossible dates rejected with the expected format', () => {
    const d = spec('date');
    expect(parseFieldValue(d, {}, '1990-03-07')).toEqual({ ok: true, value: '1990-03-07' });
    expect(parseFieldValue(d, {}, '19900307')).toEqual({ ok: true, value: '1990-03-07' });
    expect(parseFieldValue(d, {}, '1990/3/7')).toEqual({ ok: true, value: '1990-03-07' });
    expect(parseFieldValue(d, {}, '2000-02-29')).toEqual({ ok: true, value: '2000-02-29' });
    expect(parseFieldValue(d, {}, '1900-02-29')).toMatchObject({ ok: false });
    expect(parseFieldValue(d, {}, '1990-13-45')).toEqual({
      ok: false,
      reason: "not a date (expected YYYY-MM-DD or YYYYMMDD): '1990-13-45'",
    });
    expect(parseFieldValue(d, { dateFormat: 'YYYY-MM-DD' }, '19900307')).toEqual({
      ok: false,
      reason: "not a date (expected YYYY-MM-DD): '19900307'",
    });
    // a Parquet DATE arrives as UTC midnight
    expect(parseFieldValue(d, {}, new Date(Date.UTC(1990, 2, 7)))).toEqual({ ok: true, value: '1990-03-07' });
  });

  it('timestamps: local times are Asia/Shanghai unless told otherwise; stored as UTC', () => {
    const t = spec('timestamp');
    expect(parseFieldValue(t, {}, '2026-01-02 10:00:00')).toEqual({ ok: true, value: '2026-01-02T02:00:00.000Z' });
    expect(parseFieldValue(t, {}, '2026-01-02T10:00:00.5Z')).toEqual({ ok: true, value: '2026-01-02T10:00:00.500Z' });
    expect(parseFieldValue(t, {}, '2026-01-02T10:00:00-0500')).toEqual({ ok: true, value: '2026-01-02T15:00:00.000Z' });
    expect(parseFieldValue(t, {}, '20260102100000')).toEqual({ ok: true, value: '2026-01-02T02:00:00.000Z' });
    expect(parseFieldValue(t, { timezone: 'UTC' }, '2026-01-02 10:00')).toEqual({
      ok: true,
      value: '2026-01-02T10:00:00.000Z',
    });
    expect(parseFieldValue(t, { timestampFormat: 'epoch_s' }, '1767225600')).toEqual({
      ok: true,
      value: '2026-01-01T00:00:00.000Z',
    });
    expect(parseFieldValue(t, {}, '2026-01-02 25:00:00')).toMatchObject({ ok: false });
    expect(parseFieldValue(t, {}, 'yesterday')).toMatchObject({ ok: false });
  });

  it('timestamps: the YYYY-MM-DD HH:MM:SS fast path agrees with the full pattern', () => {
    const t = spec('timestamp');
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (d) => {
        const s = d.toISOString().slice(0, 19).replace('T', ' ');
        expect(parseFieldValue(t, {}, s)).toEqual(parseFieldValue(t, {}, `${s}.000`));
      }),
    );
    expect(parseFieldValue(t, {}, '2026-02-30 10:00:00')).toMatchObject({ ok: false });
    expect(parseFieldValue(t, {}, '2026-01-02 10:0a:00')).toMatchObject({ ok: false });
  });

  it('mobile: normalised to 11 digits; the value is never echoed in the reason', () => {
    const m = spec('mobile', { identifying: true });
    expect(parseFieldValue(m, {}, '+86 138-0013-8000')).toEqual({ ok: true, value: '13800138000' });
    const r = parseFieldValue(m, {}, '12800138000');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).not.toContain('12800138000');
  });

  it('enums apply the mapping values, then the built-in map', () => {
    const g = getSourceSchema('core_banking_customers').fields.gender as FieldSpec;
    expect(parseFieldValue(g, {}, '男')).toEqual({ ok: true, value: 'M' });
    expect(parseFieldValue(g, {}, 'female')).toEqual({ ok: true, value: 'F' });
    expect(parseFieldValue(g, { values: { '0': 'F' } }, '0')).toEqual({ ok: true, value: 'F' });
    expect(parseFieldValue(g, {}, 'X')).toEqual({ ok: false, reason: "not one of M, F: 'X'" });
  });

  it('id64: numeric ids kept; other keys hashed stably above 2^62', () => {
    const id = spec('id64', { hashNonNumeric: true });
    expect(parseFieldValue(id, {}, '00042')).toEqual({ ok: true, value: '42' });
    expect(parseFieldValue(id, {}, 9007199254740993n)).toEqual({ ok: true, value: '9007199254740993' });
    const h = parseFieldValue(id, {}, 'T2026-0001');
    expect(h).toEqual({ ok: true, value: hashedId64('T2026-0001') });
    expect(BigInt(hashedId64('x'))).toBeGreaterThanOrEqual(1n << 62n);
    expect(BigInt(hashedId64('x'))).toBeLessThan(1n << 63n);
    expect(parseFieldValue(spec('id64'), {}, 'T1')).toMatchObject({ ok: false });
  });
});

describe('customer rows', () => {
  const first17 = '33010619900307123';
  const id = first17 + computeCheckChar(first17);
  const cols = ['cif', 'name', 'gender', 'birth_date', 'id_number', 'province', 'city'];
  const c = compileSource('core_banking_customers', cols);

  it('derives gender and birth date from a valid resident ID', () => {
    const r = c.validate({
      cif: 'C1',
      name: '张三',
      gender: '',
      birth_date: '',
      id_number: id,
      province: 'p',
      city: 'c',
    });
    expect(r).toMatchObject({ ok: true, row: { gender: 'M', birth_date: '1990-03-07', id_number: id } });
  });

  it('rejects a bad check character without echoing the number, and inconsistent birth dates', () => {
    const bad = first17 + (id.endsWith('0') ? '1' : '0');
    const r = c.validate({
      cif: 'C1',
      name: '张三',
      gender: 'M',
      birth_date: '',
      id_number: bad,
      province: 'p',
      city: 'c',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues[0]?.field).toBe('id_number');
      expect(r.issues[0]?.reason).toMatch(/^id_number: fails the GB 11643 check character/);
      expect(r.issues[0]?.reason).not.toContain(first17);
    }
    const r2 = c.validate({
      cif: 'C1',
      name: '张三',
      gender: 'M',
      birth_date: '1991-03-07',
      id_number: id,
      province: 'p',
      city: 'c',
    });
    expect(r2).toMatchObject({ ok: false, issues: [{ field: 'birth_date' }] });
  });

  it('does not check non-resident ID documents against GB 11643', () => {
    const p = compileSource('core_banking_customers', [...cols, 'id_type']);
    const r = p.validate({
      cif: 'C1',
      name: 'John Smith',
      gender: 'M',
      birth_date: '1980-01-01',
      id_number: 'E12345678',
      id_type: '护照',
      province: 'p',
      city: 'c',
    });
    expect(r).toMatchObject({ ok: true, row: { id_type: 'passport', id_number: 'E12345678' } });
  });

  it('defaults the city tier from the city', () => {
    expect(defaultCityTier('上海市', false)).toBe(1);
    expect(defaultCityTier('杭州', false)).toBe(2);
    expect(defaultCityTier('湖州市', false)).toBe(3);
    expect(defaultCityTier('湖州市', true)).toBe(4);
  });
});

describe('mapping files', () => {
  it('validates the document and names the path of a problem', () => {
    expect(() => parseMapping({ source: 'core_banking_customers', fields: { cif: { colum: 'x' } } })).toThrow(
      /mapping\.fields\.cif/,
    );
    expect(() => parseMapping({ source: 'nope', fields: {} })).toThrow(/mapping\.source/);
  });

  it('refuses unknown fields, options that do not fit the type, invalid defaults', () => {
    const m = (fields: Record<string, unknown>) => parseMapping({ source: 'transactions', fields });
    const cols = ['txn_id', 'cif', 'ts', 'amount', 'direction', 'channel', 'txn_type'];
    expect(() => compileSource('transactions', cols, m({ amout: 'x' }))).toThrow(/mapping\.fields\.amout: .*no field/);
    expect(() => compileSource('transactions', cols, m({ amount: { dateFormat: 'YYYYMMDD' } }))).toThrow(
      'mapping.fields.amount.dateFormat: does not apply to a money field',
    );
    expect(() => compileSource('transactions', cols, m({ direction: { default: 'sideways' } }))).toThrow(
      /mapping\.fields\.direction\.default: not one of in, out/,
    );
    expect(() => compileSource('app_events', cols, m({}))).toThrow(SourceSchemaError);
  });

  it('recognises amount_fen as an alias in fen', () => {
    const c = compileSource('transactions', ['txn_id', 'cif', 'ts', 'amount_fen', 'direction', 'channel', 'txn_type']);
    const r = c.validate({
      txn_id: '1',
      cif: 'C',
      ts: '2026-01-01',
      amount_fen: '250',
      direction: 'in',
      channel: 'pos',
      txn_type: 'x',
    });
    expect(r).toMatchObject({ ok: true, row: { amount: 250 } });
  });
});

describe('declared data classes agree with the stores (rulebook P8)', () => {
  const targets: Record<
    string,
    { store: 'operational' | 'analytics'; table: string; columns: Record<string, string> }
  > = {
    core_banking_customers: {
      store: 'operational',
      table: 'customers',
      columns: {
        cif: 'cif',
        name: 'name_enc',
        gender: 'gender',
        birth_date: 'birth_date',
        id_number: 'id_number_enc',
        mobile: 'mobile_enc',
        province: 'province',
        city: 'city',
        county_level: 'county_level',
        city_tier: 'city_tier',
        occupation: 'occupation',
        industry: 'industry',
        employer_type: 'employer_type',
        education: 'education',
        marital_status: 'marital_status',
        children_count: 'children_count',
        housing: 'housing',
        city_since: 'city_since',
        monthly_income: 'monthly_income_fen',
        onboarded_at: 'onboarded_at',
        home_branch: 'home_branch_id',
        risk_level: 'risk_level',
        risk_assessed_at: 'risk_assessed_at',
        // id_type and address live only in the encrypted source record
        id_type: '',
        address: '',
      },
    },
    core_banking_accounts: {
      store: 'operational',
      table: 'accounts',
      columns: {
        account_id: 'id',
        cif: 'customer_id',
        account_no: 'account_no_hash',
        kind: 'kind',
        branch: 'branch_id',
        opened_at: 'opened_at',
        closed_at: 'closed_at',
        balance: 'balance_fen',
        status: 'status',
      },
    },
    transactions: {
      store: 'analytics',
      table: 'transactions',
      columns: { cif: 'customer_id', amount: 'amount_fen' },
    },
    app_events: { store: 'analytics', table: 'app_events', columns: { cif: 'customer_id' } },
  };

  for (const source of SOURCE_NAMES) {
    it(`${source}: every field's class matches its target column`, () => {
      const t = targets[source];
      expect(t).toBeDefined();
      if (!t) return;
      for (const schema of sourceSchemas[source]) {
        for (const [field, s] of Object.entries(schema.fields) as [string, FieldSpec][]) {
          const column = t.columns[field] ?? field;
          if (column === '') {
            expect(s.dataClass).toBe('C2');
            continue;
          }
          expect({ field, class: columnClass(t.store, t.table, column)?.class }).toEqual({ field, class: s.dataClass });
        }
      }
    });
  }
});
