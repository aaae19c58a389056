"""customers 客户档案.csv: the CRM's export."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dashboard.demo import company
from dashboard.demo.mess import (
    DATE_CN,
    DATE_ISO,
    DATE_SLASH,
    FileReport,
    MessPlan,
    Row,
    all_but,
    emit,
    format_datetimes,
    indexed_chunks,
)
from dashboard.demo.model import World
from dashboard.demo.writers.common import (
    FILE_NAMES,
    PROJECT_NAMES,
    REGION_NAMES,
    padded_names,
    pick_rows,
    write_csv,
)

# --------------------------------------------------------------------------- customers


def write_customers(
    world: World, out_dir: Path, rng: np.random.Generator, scale: float
) -> FileReport:
    c = world.customers
    n = len(c.ids)
    start64 = np.datetime64(world.start, "D")
    legacy = PROJECT_NAMES[c.project] == company.LEGACY_BOOLEAN_PROJECT
    is_vip = np.where(legacy, np.where(c.is_vip, "VIP", "普通"), np.where(c.is_vip, "是", "否"))
    joined = start64 + c.joined
    joined_style = np.where(
        legacy, DATE_CN, rng.choice([DATE_SLASH, DATE_ISO, DATE_CN], size=n, p=[0.7, 0.2, 0.1])
    )
    vip_since = np.where(
        np.isnan(c.vip_since),
        np.datetime64("NaT"),
        start64 + np.nan_to_num(c.vip_since).astype("int64"),
    ).astype("datetime64[D]")
    phones = [
        f"1{a}****{b:04d}"
        for a, b in zip(
            rng.integers(30, 90, n).tolist(), rng.integers(0, 10000, n).tolist(), strict=True
        )
    ]
    project = padded_names(rng, PROJECT_NAMES[c.project], 0.01)
    region = REGION_NAMES[c.project].astype(object)
    unassigned = pick_rows(rng, n, 3, scale, exclude=np.flatnonzero(c.is_vip))
    project = project.astype(object)
    project[unassigned] = ""
    region[unassigned] = ""

    def rows(idx: np.ndarray) -> list[Row]:
        return [
            list(r)
            for r in zip(
                c.ids[idx].tolist(),
                c.names[idx].tolist(),
                project[idx].tolist(),
                region[idx].tolist(),
                is_vip[idx].tolist(),
                format_datetimes(vip_since[idx], DATE_ISO),
                format_datetimes(joined[idx], joined_style[idx]),
                [phones[i] for i in idx.tolist()],
                strict=True,
            )
        ]

    def bad(recipe: str, row: Row, serial: int) -> Row:
        row[0] = "" if recipe == "empty customer_id" else f"CB{serial:06d}"
        if recipe == "is_vip not a boolean":
            row[4] = "待定"
        return row

    def earlier(row: Row) -> Row:  # the customer's record before they changed phone number
        return row[:7] + [f"1{(int(row[7][1:3]) + 7) % 60 + 30}****0000"]

    plan = MessPlan.draw(
        rng,
        n,
        ["empty customer_id", "is_vip not a boolean"],
        scale,
        conflict_pool=all_but(n, unassigned),
    )
    path = out_dir / FILE_NAMES["customers"]
    report = FileReport("customers", path, unassigned=len(unassigned))
    header = [
        "客户编号",
        "客户姓名",
        "项目名称",
        "区域",
        "是否VIP",
        "VIP起始日期",
        "入伙日期",
        "联系电话",
    ]
    body = emit(indexed_chunks(np.arange(n), rows), plan, report, bad, earlier)
    write_csv(path, body, encoding="utf-8", delimiter="\t", preamble=[header])
    return report
