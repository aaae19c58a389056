"""vip_contacts VIP回访记录.csv: the call log."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dashboard.demo import company
from dashboard.demo.mess import (
    CHINESE,
    ISO_MIN,
    FileReport,
    MessPlan,
    Row,
    emit,
    format_datetimes,
    indexed_chunks,
)
from dashboard.demo.model import World
from dashboard.demo.writers.common import (
    FILE_NAMES,
    write_csv,
)

# ------------------------------------------------------------------------ vip contacts


VIP_HEADER = ["回访编号", "客户编号", "客户姓名", "回访时间", "回访方式", "回访人", "回访内容"]


def write_vip_contacts(
    world: World, out_dir: Path, rng: np.random.Generator, scale: float
) -> FileReport:
    v, c = world.vip_contacts, world.customers
    n = len(v.ids)
    contacted = world.datetimes(v.contacted)
    style = np.where(rng.random(n) < 0.7, CHINESE, ISO_MIN)
    staff = np.array(world.staff_names)[v.staff]
    notes = np.array(company.CONTACT_NOTES)[v.note]

    def rows(idx: np.ndarray) -> list[Row]:
        return [
            list(r)
            for r in zip(
                v.ids[idx].tolist(),
                c.ids[v.customer[idx]].tolist(),
                c.names[v.customer[idx]].tolist(),
                format_datetimes(contacted[idx], style[idx]),
                v.method[idx].tolist(),
                staff[idx].tolist(),
                notes[idx].tolist(),
                strict=True,
            )
        ]

    def bad(recipe: str, row: Row, serial: int) -> Row:
        row[0] = "" if recipe == "empty contact_id" else f"HFB{serial:06d}"
        if recipe == "empty customer_id":
            row[1] = ""
        elif recipe == "unparseable contacted_at":
            row[3] = "#N/A"
        elif recipe == "empty method":
            row[4] = ""
        return row

    def earlier(row: Row) -> Row:  # logged first under a colleague's name
        return row[:5] + ["客服中心"] + row[6:]

    recipes = ["empty contact_id", "empty customer_id", "unparseable contacted_at", "empty method"]
    plan = MessPlan.draw(rng, n, recipes, scale, per_recipe=1, duplicates=2, conflicts=1)
    path = out_dir / FILE_NAMES["vip_contacts"]
    report = FileReport("vip_contacts", path)
    body = emit(indexed_chunks(np.arange(n), rows), plan, report, bad, earlier)
    write_csv(path, body, encoding="utf-8", delimiter=";", preamble=[VIP_HEADER])
    return report
