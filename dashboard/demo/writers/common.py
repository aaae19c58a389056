"""Names and helpers every writer shares."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyarrow as pa

from dashboard.demo.company import PROJECTS
from dashboard.demo.mess import (
    Row,
    all_but,
)

FILE_NAMES = {
    "customers": "客户档案.csv",
    "orders": "订单明细.csv",
    "orders_parquet": "订单明细_华北区.parquet",
    "complaints": "投诉台账_GBK.csv",
    "surveys": "满意度调查.xlsx",
    "vip_contacts": "VIP回访记录.csv",
}

PROJECT_NAMES = np.array([p.name for p in PROJECTS])
REGION_NAMES = np.array([p.region for p in PROJECTS])


def pick_rows(
    rng: np.random.Generator, n: int, count: float, scale: float, exclude=()
) -> np.ndarray:
    """``count * scale`` distinct row indices (at least one), none of ``exclude``."""
    pool = all_but(n, list(exclude))
    size = min(len(pool), max(1, round(count * scale)))
    return np.sort(rng.choice(pool, size=size, replace=False)) if size else pool[:0]


def padded_names(rng: np.random.Generator, names: np.ndarray, share: float) -> np.ndarray:
    """A few values with stray spaces around them (the loader trims text)."""
    pad = rng.random(len(names)) < share
    return np.where(pad, np.char.add(np.char.add(" ", names), "  "), names)


def write_csv(
    path: Path,
    rows: Iterable[Row],
    *,
    encoding: str,
    delimiter: str = ",",
    lineterminator: str = "\n",
    preamble: Iterable[Row] = (),
) -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        out = csv.writer(handle, delimiter=delimiter, lineterminator=lineterminator)
        out.writerows(preamble)
        batch: list[Row] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 20_000:
                out.writerows(batch)
                batch.clear()
        out.writerows(batch)


def arrow_table(batch: list[Row], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*batch, strict=True))
    return pa.table(
        [pa.array(col, type=f.type) for col, f in zip(columns, schema, strict=True)], schema=schema
    )


def chained(first: list[Row], rest: Iterable[Row]) -> Iterable[Row]:
    yield from first
    yield from rest
