"""complaints 投诉台账_GBK.csv: the ticketing system's export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from dashboard.demo import company
from dashboard.demo.mess import (
    ISO_SEC,
    SLASH_SHORT,
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
    PROJECT_NAMES,
    REGION_NAMES,
    padded_names,
    pick_rows,
    write_csv,
)

# -------------------------------------------------------------------------- complaints


COMPLAINT_HEADER = [
    "投诉单号",
    "客户编号",
    "项目名称",
    "区域",
    "投诉类别",
    "投诉渠道",
    "紧急程度",
    "受理时间",
    "首次响应时间",
    "办结时间",
    "处理状态",
    "处理人",
    "投诉内容",
]


def write_complaints(
    world: World, out_dir: Path, rng: np.random.Generator, scale: float
) -> FileReport:
    k, c = world.complaints, world.customers
    n = len(k.ids)
    customer = np.where(k.customer >= 0, c.ids[np.maximum(k.customer, 0)], "").astype(object)
    has_legacy = k.unknown_customer != ""
    customer[has_legacy] = k.unknown_customer[has_legacy]
    project = padded_names(rng, PROJECT_NAMES[k.project], 0.02).astype(object)
    region = REGION_NAMES[k.project].astype(object)
    unassigned = pick_rows(rng, n, 3, scale)
    project[unassigned] = ""
    region[unassigned] = ""
    opened = world.datetimes(k.opened)
    nat = np.datetime64("NaT", "s")
    response = np.where(
        k.first_response >= 0, world.datetimes(np.maximum(k.first_response, 0)), nat
    )
    resolved = np.where(k.resolved >= 0, world.datetimes(np.maximum(k.resolved, 0)), nat)
    style = np.where(rng.random(n) < 0.75, SLASH_SHORT, ISO_SEC)
    status = np.where(k.resolved >= 0, "已办结", "处理中")
    categories = np.array(company.COMPLAINT_CATEGORIES)[k.category]
    texts = [
        company.COMPLAINT_TEXTS[cat][t % len(company.COMPLAINT_TEXTS[cat])]
        for cat, t in zip(categories.tolist(), k.text.tolist(), strict=True)
    ]
    # Free text typed by people: ASCII quotes and commas, and a line break now and then.
    for i in pick_rows(rng, n, 4, scale).tolist():
        texts[i] = f'客户原话："{texts[i]}", 要求尽快处理'
    for i in pick_rows(rng, n, 2, scale).tolist():
        texts[i] = f"{texts[i]}\n（已电话安抚）"
    channels = np.array(company.CHANNELS)[k.channel]
    severities = np.array(company.SEVERITIES)[k.severity]
    handlers = np.array(world.staff_names)[k.handler]

    def rows(idx: np.ndarray) -> list[Row]:
        st = style[idx]
        return [
            list(r)
            for r in zip(
                k.ids[idx].tolist(),
                customer[idx].tolist(),
                project[idx].tolist(),
                region[idx].tolist(),
                categories[idx].tolist(),
                channels[idx].tolist(),
                severities[idx].tolist(),
                format_datetimes(opened[idx], st),
                format_datetimes(response[idx], st),
                format_datetimes(resolved[idx], st),
                status[idx].tolist(),
                handlers[idx].tolist(),
                [texts[i] for i in idx.tolist()],
                strict=True,
            )
        ]

    def bad(recipe: str, row: Row, serial: int) -> Row:
        i = int(row[0][2:]) - 1  # the clean row's index (ids are TS + sequence)
        row[0] = "" if recipe == "empty complaint_id" else f"TSB{serial:06d}"
        st = int(style[i])
        if recipe == "resolved before opened":
            row[9] = format_datetimes(opened[i : i + 1] - np.timedelta64(2, "h"), st)[0]
            row[10] = "已办结"
        elif recipe == "first response before opened":
            row[8] = format_datetimes(opened[i : i + 1] - np.timedelta64(30, "m"), st)[0]
        elif recipe == "unparseable opened_at":
            row[7] = "待补录"
        return row

    def earlier(row: Row) -> Row:  # last week's export: still open
        return row[:9] + ["", "处理中"] + row[11:]

    recipes = [
        "empty complaint_id",
        "resolved before opened",
        "first response before opened",
        "unparseable opened_at",
    ]
    resolvable = k.resolved >= 0
    resolvable[unassigned] = False
    resolved_rows = np.flatnonzero(resolvable)
    plan = MessPlan.draw(rng, n, recipes, scale, conflict_pool=resolved_rows)
    path = out_dir / FILE_NAMES["complaints"]
    report = FileReport("complaints", path, unassigned=len(unassigned))
    width = len(COMPLAINT_HEADER)
    title = (
        f"{world.start.year}年{world.start.month}月—{world.end.year}年{world.end.month}月投诉台账"
    )
    exported = f"导出时间：{world.end + dt.timedelta(days=1)} 08:00"
    preamble = [[title] + [""] * (width - 1), [exported] + [""] * (width - 1), COMPLAINT_HEADER]
    body = emit(indexed_chunks(np.arange(n), rows), plan, report, bad, earlier)
    write_csv(path, body, encoding="gb18030", lineterminator="\r\n", preamble=preamble)
    return report
