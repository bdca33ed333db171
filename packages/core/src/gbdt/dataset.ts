/**
 * Column-oriented tabular input of the GBDT.
 *
 * - `numeric[j]` holds the values of numeric column `numericNames[j]`; `NaN` (and ±Infinity) means missing.
 * - `categorical[j]` holds level codes of column `categoricalNames[j]`: `0 … levels.length-1` index
 *   `categoricalLevels[j]`; any negative code means missing.
 *
 * Model feature index order is: all numeric columns, then all categorical columns.
 */
export interface Dataset {
  nRows: number;
  numeric: Float64Array[];
  numericNames: string[];
  categorical: Int32Array[];
  categoricalNames: string[];
  categoricalLevels: string[][];
}

export function featureCount(ds: Dataset): number {
  return ds.numeric.length + ds.categorical.length;
}

export function featureNames(ds: Dataset): string[] {
  return [...ds.numericNames, ...ds.categoricalNames];
}

/** Checks that every column has `nRows` values and names/levels line up; throws naming the offending column. */
export function validateDataset(ds: Dataset): void {
  if (ds.numeric.length !== ds.numericNames.length) {
    throw new Error(`dataset.numericNames: ${ds.numericNames.length} names for ${ds.numeric.length} numeric columns`);
  }
  if (ds.categorical.length !== ds.categoricalNames.length || ds.categorical.length !== ds.categoricalLevels.length) {
    throw new Error('dataset.categoricalNames/categoricalLevels: must have one entry per categorical column');
  }
  ds.numeric.forEach((col, j) => {
    if (col.length !== ds.nRows) {
      throw new Error(`dataset column ${ds.numericNames[j]}: ${col.length} values, expected ${ds.nRows}`);
    }
  });
  ds.categorical.forEach((col, j) => {
    if (col.length !== ds.nRows) {
      throw new Error(`dataset column ${ds.categoricalNames[j]}: ${col.length} values, expected ${ds.nRows}`);
    }
  });
  const seen = new Set<string>();
  for (const name of featureNames(ds)) {
    if (seen.has(name)) throw new Error(`dataset column ${name}: duplicate column name`);
    seen.add(name);
  }
}

/** Rows `idx` of `ds` as a new dataset (columns are copied; level names are shared). */
export function subsetRows(ds: Dataset, idx: ArrayLike<number>): Dataset {
  const n = idx.length;
  const numeric = ds.numeric.map((col) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = col[idx[i] as number] as number;
    return out;
  });
  const categorical = ds.categorical.map((col) => {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = col[idx[i] as number] as number;
    return out;
  });
  return {
    nRows: n,
    numeric,
    numericNames: ds.numericNames,
    categorical,
    categoricalNames: ds.categoricalNames,
    categoricalLevels: ds.categoricalLevels,
  };
}

/** Picks `idx` from a typed label/weight vector. */
export function subsetVector(v: Float64Array, idx: ArrayLike<number>): Float64Array {
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = v[idx[i] as number] as number;
  return out;
}
