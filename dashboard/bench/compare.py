"""Do the product's KPI table and the pandas baseline's agree? (fairness of the ratio)"""

from __future__ import annotations

import math

import pandas as pd


def _cell(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10]
    if isinstance(value, bool | str):
        return value
    try:
        number = float(value)  # ints, numpy numbers, Decimal
    except (TypeError, ValueError):
        return value
    return None if math.isnan(number) else number


def frames_match(product: pd.DataFrame, baseline: pd.DataFrame, rel: float = 1e-9) -> bool:
    """Same columns, same rows in the same order, numbers equal to ``rel``; NULL == NaN."""
    if list(product.columns) != list(baseline.columns) or len(product) != len(baseline):
        return False
    for a_row, b_row in zip(
        product.itertuples(index=False), baseline.itertuples(index=False), strict=True
    ):
        for a, b in zip(a_row, b_row, strict=True):
            a, b = _cell(a), _cell(b)
            if isinstance(a, float) and isinstance(b, float):
                if not math.isclose(a, b, rel_tol=rel, abs_tol=1e-9):
                    return False
            elif a != b:
                return False
    return True
