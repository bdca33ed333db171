/**
 * Data security levels of JR/T 0197-2020 (rule P10) for the data classes of JR/T 0171-2020 (rule P8), as the rulebook
 * maps them: level 4 ≈ C3 (authentication data), 3 ≈ C2 (identity and financial data), 2 ≈ C1 (internal data),
 * 1 = public. Level 5 (national-security data) has no class in a retail bank's marketing data.
 *
 * An export is at the level of its most sensitive column. A masked column keeps the class of what it masks (the
 * class is what `data-classes.ts` declares for the column), so a list of masked names and mobiles is level 3.
 */
import { z } from 'zod';

export type DataLevel = 1 | 2 | 3 | 4 | 5;

/** The class of a column as far as levels go: the P8 classes and public data. */
export const LEVEL_CLASSES = ['public', 'C1', 'C2', 'C3'] as const;
export type LevelClass = (typeof LEVEL_CLASSES)[number];
export const levelClassSchema = z.enum(LEVEL_CLASSES);

const LEVEL_OF_CLASS: Record<LevelClass, DataLevel> = { public: 1, C1: 2, C2: 3, C3: 4 };

export function dataLevelOf(cls: LevelClass): DataLevel {
  return LEVEL_OF_CLASS[cls];
}

export interface ExportColumn {
  name: string;
  class: LevelClass;
}

/** The level of an export: the highest level of its columns (1 for an export of nothing but public data). */
export function exportLevel(columns: readonly ExportColumn[]): DataLevel {
  let level: DataLevel = 1;
  for (const c of columns) {
    const l = dataLevelOf(c.class);
    if (l > level) level = l;
  }
  return level;
}

/**
 * Whether an export needs an approved export approval (P10; the maker–checker of M7 decides it): when its level is at
 * or above the rule's `approvalRequiredFromLevel` parameter. Every export carries the exporter's watermark either way.
 */
export function exportNeedsApproval(level: DataLevel, approvalRequiredFromLevel: number): boolean {
  return level >= approvalRequiredFromLevel;
}
