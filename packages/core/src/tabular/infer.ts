import type { Dataset } from '../gbdt/dataset.ts';

/**
 * Column type inference for string tables (CSV rows) → GBDT `Dataset`.
 *
 * Missing values: after trimming, a cell is missing when it is empty or (case-insensitively) one of
 * `NA`, `N/A`, `NaN`, `null`, `none`, `#N/A`, `?`, `-`. The token `unknown` is special: it does not stop a column
 * from being numeric (it becomes missing there), but in a categorical column it is kept as its own level, because
 * in survey-style data "unknown" is informative (e.g. UCI Bank Marketing `default = unknown`). The GBDT learns
 * where missing values go, so either choice is safe for the model.
 *
 * Numbers: plain decimals (`-1.5`, `2e3`), thousands separators with commas (`1,234,567.8`), percentages
 * (`12.5%` → 0.125). A column uses *decimal commas* (`3,14`) instead when none of its values contains a `.` and at
 * least one comma is not followed by groups of exactly three digits. Non-finite values (`Infinity`) are not
 * numbers. A column is numeric when every non-missing cell parses as a number (and at least one does);
 * otherwise it is categorical, with levels sorted by code unit (deterministic, independent of row order).
 */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '#n/a', '?', '-']);
const SOFT_MISSING = new Set(['unknown']);

export type ColumnKind = 'numeric' | 'categorical';

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
  /** numeric columns: decimal separator is a comma */
  decimalComma: boolean;
  /** cells treated as missing (for categorical columns "unknown" is a level, not missing) */
  missing: number;
  /** distinct non-missing values */
  distinct: number;
  /** categorical column whose values are (nearly) all distinct — an identifier, useless as a feature */
  likelyIdentifier: boolean;
}

const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d*,\d+$/;

export function isMissingCell(raw: string): boolean {
  return MISSING.has(raw.trim().toLowerCase());
}

/** Parses one cell as a number; null when it is not a number. */
export function parseNumberCell(raw: string, decimalComma = false): number | null {
  let s = raw.trim();
  let scale = 1;
  if (s.endsWith('%')) {
    s = s.slice(0, -1).trim();
    scale = 0.01;
  }
  let v: number;
  if (PLAIN.test(s)) v = Number(s);
  else if (decimalComma && DECIMAL_COMMA.test(s)) v = Number(s.replace(',', '.'));
  else if (!decimalComma && THOUSANDS.test(s)) v = Number(s.replaceAll(',', ''));
  else return null;
  return Number.isFinite(v) ? v * scale : null;
}

/** Infers the kind of one column from its raw cells. */
export function inferColumn(name: string, cells: readonly string[]): ColumnInfo {
  let hasDot = false;
  let oddComma = false;
  for (const c of cells) {
    if (c.includes('.')) hasDot = true;
    const t = c.trim().replace(/%$/, '');
    if (t.includes(',') && DECIMAL_COMMA.test(t) && !THOUSANDS.test(t)) oddComma = true;
  }
  const decimalComma = !hasDot && oddComma;
  let numeric = true;
  let anyNumber = false;
  let missing = 0;
  let soft = 0;
  const distinct = new Set<string>();
  for (const c of cells) {
    const key = c.trim();
    if (MISSING.has(key.toLowerCase())) {
      missing++;
      continue;
    }
    distinct.add(key);
    if (!numeric) continue;
    if (SOFT_MISSING.has(key.toLowerCase())) {
      soft++;
      continue;
    }
    if (parseNumberCell(key, decimalComma) === null) numeric = false;
    else anyNumber = true;
  }
  const kind: ColumnKind = numeric && anyNumber ? 'numeric' : 'categorical';
  const nonMissing = cells.length - missing;
  const nDistinct = kind === 'numeric' ? distinct.size - (soft > 0 ? 1 : 0) : distinct.size;
  return {
    name,
    kind,
    decimalComma: kind === 'numeric' && decimalComma,
    missing: kind === 'numeric' ? missing + soft : missing,
    distinct: nDistinct,
    likelyIdentifier: kind === 'categorical' && nonMissing > 50 && distinct.size >= 0.95 * nonMissing,
  };
}

/** Cells of column `j` (rows shorter than the header give empty cells). */
export function columnCells(rows: readonly (readonly string[])[], j: number): string[] {
  return rows.map((r) => r[j] ?? '');
}

/** Parses a numeric column (missing and unparsable cells → NaN). */
export function toNumericColumn(cells: readonly string[], decimalComma: boolean): Float64Array {
  const out = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i] as string;
    out[i] = isMissingCell(c) ? Number.NaN : (parseNumberCell(c, decimalComma) ?? Number.NaN);
  }
  return out;
}

/** Encodes a categorical column: levels sorted by code unit, missing cells → −1. */
export function toCategoricalColumn(cells: readonly string[]): { codes: Int32Array; levels: string[] } {
  const set = new Set<string>();
  for (const c of cells) if (!isMissingCell(c)) set.add(c.trim());
  const levels = [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(levels.map((l, k) => [l, k]));
  const codes = new Int32Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i] as string;
    codes[i] = isMissingCell(c) ? -1 : (index.get(c.trim()) as number);
  }
  return { codes, levels };
}

/** Builds a Dataset from a header and string rows, inferring column kinds (columns in `exclude` are skipped). */
export function tableToDataset(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  opts: { exclude?: ReadonlySet<string>; kinds?: ReadonlyMap<string, ColumnInfo> } = {},
): { dataset: Dataset; columns: ColumnInfo[] } {
  const ds: Dataset = {
    nRows: rows.length,
    numeric: [],
    numericNames: [],
    categorical: [],
    categoricalNames: [],
    categoricalLevels: [],
  };
  const columns: ColumnInfo[] = [];
  header.forEach((name, j) => {
    if (opts.exclude?.has(name)) return;
    const cells = columnCells(rows, j);
    const info = opts.kinds?.get(name) ?? inferColumn(name, cells);
    columns.push(info);
    if (info.kind === 'numeric') {
      ds.numeric.push(toNumericColumn(cells, info.decimalComma));
      ds.numericNames.push(name);
    } else {
      const { codes, levels } = toCategoricalColumn(cells);
      ds.categorical.push(codes);
      ds.categoricalNames.push(name);
      ds.categoricalLevels.push(levels);
    }
  });
  return { dataset: ds, columns };
}
