"""orders 订单明细.csv and 订单明细_华北区.parquet: the two ERPs' exports."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.demo import company
from dashboard.demo.mess import (
    ISO_SEC,
    ISO_T,
    SLASH_SHORT,
    FileReport,
    MessPlan,
    Row,
    all_but,
    emit,
    format_amounts,
    format_datetimes,
    indexed_chunks,
)
from dashboard.demo.model import WINDOW_DAYS, World
from dashboard.demo.writers.common import (
    FILE_NAMES,
    PROJECT_NAMES,
    REGION_NAMES,
    arrow_table,
    pick_rows,
    write_csv,
)

# ------------------------------------------------------------------------------ orders


ORDER_HEADER = [
    "Order_ID",
    "Customer_ID",
    "Project",
    " Region",
    "Ordered_At",
    "Amount ",
    "Service_Type",
    "Pay_Method",
]


def write_orders(
    world: World, out_dir: Path, rng: np.random.Generator, scale: float
) -> list[FileReport]:
    o, c = world.orders, world.customers
    n = len(o.number)
    project_idx = c.project[o.customer]
    in_parquet = REGION_NAMES[project_idx] == company.PARQUET_ORDER_REGION
    walk_in = rng.random(n) < 0.005  # paid at the counter under an id the CRM does not know
    walk_in_ids = np.full(n, "", dtype="<U7")
    walk_in_ids[walk_in] = np.char.add(
        "KH", np.char.zfill(rng.integers(1, 99999, int(walk_in.sum())).astype(str), 5)
    )
    ordered_at = world.datetimes_from_days(o.t)
    migration = WINDOW_DAYS * 0.3  # the ERP upgrade changed the timestamp format
    style = np.where(o.t < migration, ISO_T, ISO_SEC)
    style = np.where(rng.random(n) < 0.03, SLASH_SHORT, style)  # corrected by hand
    padded = (rng.random(n) < 0.005) & ~in_parquet  # stray spaces (CSV only) around the name
    csv_rows = np.flatnonzero(~in_parquet)
    unassigned = csv_rows[pick_rows(rng, len(csv_rows), 5, scale)]
    blank = np.zeros(n, dtype=bool)
    blank[unassigned] = True
    with_sign = rng.random(n) < 0.8
    labels = _OrderLabels(world, walk_in_ids, padded, blank)

    def rows(idx: np.ndarray) -> list[Row]:
        customer, project, region, service, pay = labels.columns(idx)
        return [
            list(r)
            for r in zip(
                o.id_text(idx),
                customer,
                project,
                region,
                format_datetimes(ordered_at[idx], style[idx]),
                format_amounts(o.amount[idx], with_sign[idx]),
                service,
                pay,
                strict=True,
            )
        ]

    def bad(recipe: str, row: Row, serial: int) -> Row:
        row[0] = "" if recipe == "empty order_id" else f"SOB{serial:06d}"
        if recipe == "empty customer_id":
            row[1] = ""
        elif recipe == "zero date":
            row[4] = "0000-00-00 00:00:00"
        elif recipe == "unparseable date":
            row[4] = "#VALUE!"
        return row

    def earlier(row: Row) -> Row:  # the order before a price correction
        return row[:5] + ["¥0.00"] + row[6:]

    recipes = ["empty order_id", "empty customer_id", "zero date", "unparseable date"]
    plan = MessPlan.draw(
        rng,
        len(csv_rows),
        recipes,
        scale,
        conflict_pool=all_but(len(csv_rows), np.searchsorted(csv_rows, unassigned)),
    )
    plan = _reindex(plan, csv_rows)
    path = out_dir / FILE_NAMES["orders"]
    report = FileReport("orders", path, unassigned=len(unassigned))
    body = emit(indexed_chunks(csv_rows, rows), plan, report, bad, earlier)
    write_csv(path, body, encoding="utf-8-sig", preamble=[ORDER_HEADER])
    parquet_rows = np.flatnonzero(in_parquet)
    return [report, _write_orders_parquet(world, out_dir, rng, scale, parquet_rows, labels)]


class _OrderLabels:
    """The text columns of order rows, made a chunk at a time (memory stays flat at 100x)."""

    def __init__(self, world: World, walk_in_ids: np.ndarray, padded: np.ndarray,
                 blank: np.ndarray) -> None:  # fmt: skip
        self.orders, self.customers = world.orders, world.customers
        self.walk_in_ids, self.padded, self.blank = walk_in_ids, padded, blank

    def columns(self, idx: np.ndarray) -> tuple[list[str], ...]:
        o, c = self.orders, self.customers
        project_idx = c.project[o.customer[idx]]
        customer = np.where(
            self.walk_in_ids[idx] != "", self.walk_in_ids[idx], c.ids[o.customer[idx]]
        )
        project = PROJECT_NAMES[project_idx]
        project = np.where(self.padded[idx], np.char.add(np.char.add(" ", project), "  "), project)
        blank = self.blank[idx]
        return (
            customer.tolist(),
            np.where(blank, "", project).tolist(),
            np.where(blank, "", REGION_NAMES[project_idx]).tolist(),
            np.array(company.ORDER_SERVICES)[o.service[idx]].tolist(),
            np.array(company.PAY_METHODS)[o.pay[idx]].tolist(),
        )


def _reindex(plan: MessPlan, positions: np.ndarray) -> MessPlan:
    """A plan drawn over 0..len(positions)-1, moved onto those row indices."""
    at = positions.tolist()
    return MessPlan(
        bad={at[i]: r for i, r in plan.bad.items()},
        duplicate={at[i] for i in plan.duplicate},
        conflict={at[i] for i in plan.conflict},
    )


def _write_orders_parquet(
    world: World,
    out_dir: Path,
    rng: np.random.Generator,
    scale: float,
    rows_idx: np.ndarray,
    labels: _OrderLabels,
) -> FileReport:
    o = world.orders
    ordered_at = world.datetimes_from_days(o.t)

    def rows(idx: np.ndarray) -> list[Row]:
        customer, project, region, service, pay = labels.columns(idx)
        return [
            list(r)
            for r in zip(
                o.id_text(idx),
                customer,
                project,
                region,
                ordered_at[idx].astype("datetime64[us]").tolist(),
                o.amount[idx].tolist(),
                service,
                pay,
                strict=True,
            )
        ]

    def bad(recipe: str, row: Row, serial: int) -> Row:
        row[0] = None if recipe == "empty order_id" else f"SOBN{serial:05d}"
        if recipe == "empty ordered_at":
            row[4] = None
        return row

    def earlier(row: Row) -> Row:
        return row[:5] + [0.0] + row[6:]

    path = out_dir / FILE_NAMES["orders_parquet"]
    report = FileReport("orders", path)
    plan = _reindex(
        MessPlan.draw(
            rng,
            len(rows_idx),
            ["empty order_id", "empty ordered_at"],
            scale,
            per_recipe=1,
            duplicates=1,
            conflicts=1,
        ),
        rows_idx,
    )
    schema = pa.schema(
        [(name, pa.string()) for name in ("order_id", "customer_id", "project", "region")]
        + [
            ("ordered_at", pa.timestamp("us")),
            ("amount", pa.float64()),
            ("service", pa.string()),
            ("pay_method", pa.string()),
        ]
    )
    with pq.ParquetWriter(path, schema, compression="snappy") as out:
        batch: list[Row] = []
        for row in emit(indexed_chunks(rows_idx, rows), plan, report, bad, earlier):
            batch.append(row)
            if len(batch) >= 100_000:
                out.write_table(arrow_table(batch, schema))
                batch.clear()
        if batch:
            out.write_table(arrow_table(batch, schema))
    return report
