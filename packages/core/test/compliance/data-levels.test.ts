import { describe, expect, it } from 'vitest';
import { dataLevelOf, exportLevel, exportNeedsApproval } from '../../src/compliance/data-levels.ts';
import { DEFAULT_RULE_PARAMS } from '../../src/compliance/rules.ts';
import { columnClass } from '../../src/schema/data-classes.ts';

describe('data levels (P10)', () => {
  it('maps the P8 classes to JR/T 0197 levels as the rulebook does', () => {
    expect([dataLevelOf('public'), dataLevelOf('C1'), dataLevelOf('C2'), dataLevelOf('C3')]).toEqual([1, 2, 3, 4]);
  });

  it('puts an export at the level of its most sensitive column', () => {
    expect(exportLevel([])).toBe(1);
    expect(exportLevel([{ name: 'branch', class: 'C1' }])).toBe(2);
    expect(
      exportLevel([
        { name: 'customer_id', class: 'C1' },
        { name: 'mobile_masked', class: 'C2' },
        { name: 'as_of', class: 'public' },
      ]),
    ).toBe(3);
  });

  it('keeps a masked column at the class of what it masks', () => {
    const masked = columnClass('operational', 'customers', 'mobile_masked');
    expect(masked?.class).toBe('C2');
    expect(exportLevel([{ name: 'mobile_masked', class: masked?.class ?? 'public' }])).toBe(3);
  });

  it('needs an approval from the configured level up', () => {
    const from = DEFAULT_RULE_PARAMS.P10.approvalRequiredFromLevel;
    expect(from).toBe(3);
    expect(exportNeedsApproval(3, from)).toBe(true);
    expect(exportNeedsApproval(2, from)).toBe(false);
    expect(exportNeedsApproval(2, 2)).toBe(true); // a bank that tightens P10 to level 2
    expect(exportNeedsApproval(4, 5)).toBe(false);
  });
});
