#!/usr/bin/python3
"""Reference side of bench/gbdt.ts: trains XGBoost (tree_method=hist) on the exact matrices, folds and parameters
written by the TypeScript bench and writes out-of-fold predictions back, so both AUCs are computed by the same
TypeScript code. Usage: /usr/bin/python3 bench/gbdt_xgb.py <dir> <name> <variant> <nthread>

Files in <dir>: <name>.meta.json {n, d, feature_types, folds, params}, <name>.X.f32 (row-major float32, NaN =
missing), <name>.y.f32, <name>.fold.i32 (fold id per row; only folds listed in meta.folds are used as test folds,
every other row with fold >= 0 is training data). Writes <name>.<variant>.t<nthread>.pred.f32 (prediction per row,
NaN where not predicted) and prints one JSON line {"train_s": total seconds (DMatrix construction + training),
"version": xgboost version}.
"""
import json
import sys
import time

import numpy as np
import xgboost as xgb


def main() -> None:
    d, name, variant, nthread = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    meta = json.load(open(f"{d}/{name}.meta.json"))
    n, k = meta["n"], meta["d"]
    X = np.fromfile(f"{d}/{name}.X.f32", dtype=np.float32).reshape(n, k)
    y = np.fromfile(f"{d}/{name}.y.f32", dtype=np.float32)
    fold = np.fromfile(f"{d}/{name}.fold.i32", dtype=np.int32)
    p = meta["params"]
    params = {
        "tree_method": "hist",
        "objective": "binary:logistic",
        "max_depth": p["maxDepth"],
        "eta": p["eta"],
        "lambda": p["lambda"],
        "min_child_weight": p["minChildWeight"],
        "max_bin": p["maxBin"],
        "nthread": nthread,
        "seed": 0,
    }
    types = meta.get("feature_types")
    native = variant == "native" and types is not None
    if native:
        params["max_cat_to_onehot"] = 1  # always partition-based categorical splits, like Lingxi
    pred = np.full(n, np.nan, dtype=np.float32)
    total = 0.0
    for f in meta["folds"]:
        tr = (fold >= 0) & (fold != f)
        te = fold == f
        t0 = time.perf_counter()
        # base_score = training positive rate, as Lingxi's default initial margin (XGBoost 1.7 defaults to 0.5)
        params["base_score"] = float(y[tr].mean())
        if native:
            dtr = xgb.DMatrix(X[tr], label=y[tr], nthread=nthread, feature_types=types, enable_categorical=True)
        else:
            dtr = xgb.DMatrix(X[tr], label=y[tr], nthread=nthread)
        booster = xgb.train(params, dtr, num_boost_round=p["rounds"])
        total += time.perf_counter() - t0
        if native:
            dte = xgb.DMatrix(X[te], nthread=nthread, feature_types=types, enable_categorical=True)
        else:
            dte = xgb.DMatrix(X[te], nthread=nthread)
        pred[te] = booster.predict(dte)
    pred.tofile(f"{d}/{name}.{variant}.t{nthread}.pred.f32")
    print(json.dumps({"train_s": total, "version": xgb.__version__}))


if __name__ == "__main__":
    main()
