"""surveys 满意度调查.xlsx: the survey tool's export."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dashboard.demo import company
from dashboard.demo.mess import (
    SLASH_SHORT,
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
    chained,
    pick_rows,
)
from dashboard.demo.xlsx import write_xlsx

# ----------------------------------------------------------------------------- surveys


SURVEY_HEADER = [
    "问卷编号",
    "客户编号",
    "项目",
    "地区",
    "提交时间",
    "满意度评分",
    "推荐意愿",
    "调查方式",
    "意见建议",
]


def write_surveys(
    world: World, out_dir: Path, rng: np.random.Generator, scale: float
) -> list[FileReport]:
    s, c = world.surveys, world.customers
    n = len(s.ids)
    customer = np.where(s.customer >= 0, c.ids[np.maximum(s.customer, 0)], "")
    project = PROJECT_NAMES[s.project].astype(object)
    region = REGION_NAMES[s.project].astype(object)
    unassigned = pick_rows(rng, n, 2, scale)
    region[unassigned] = ""
    submitted = world.datetimes(s.submitted)
    typed_by_hand = rng.random(n) < 0.05  # a text cell instead of a date cell
    hand_text = format_datetimes(submitted, SLASH_SHORT)
    methods = np.array(company.SURVEY_METHODS)[s.method]
    comments = np.array(company.SURVEY_COMMENTS)[s.comment]
    year = submitted.astype("datetime64[Y]").astype("int64") + 1970

    def rows(idx: np.ndarray) -> list[Row]:
        when = submitted[idx].tolist()
        return [
            [
                sid,
                cid,
                proj,
                reg,
                hand_text[i] if typed_by_hand[i] else w,
                csat,
                None if nps < 0 else nps,
                method,
                comment,
            ]
            for i, sid, cid, proj, reg, w, csat, nps, method, comment in zip(
                idx.tolist(),
                s.ids[idx].tolist(),
                customer[idx].tolist(),
                project[idx].tolist(),
                region[idx].tolist(),
                when,
                s.csat[idx].tolist(),
                s.nps[idx].tolist(),
                methods[idx].tolist(),
                comments[idx].tolist(),
                strict=True,
            )
        ]

    def bad(recipe: str, row: Row, serial: int) -> Row:
        row[0] = "" if recipe == "empty response_id" else f"WJB{serial:06d}"
        if recipe == "csat 7 (outside 1-5)":
            row[5] = 7
        elif recipe == "csat 0 (outside 1-5)":
            row[5] = 0
        elif recipe == "nps 11 (outside 0-10)":
            row[6] = 11
        elif recipe == "unparseable submitted_at":
            row[4] = "待定"
        return row

    def earlier(row: Row) -> Row:  # the respondent changed their score the next day
        return row[:5] + [6 - row[5] if row[5] != 3 else 4] + row[6:]

    recipes = [
        "empty response_id",
        "csat 7 (outside 1-5)",
        "csat 0 (outside 1-5)",
        "nps 11 (outside 0-10)",
        "unparseable submitted_at",
    ]
    plan = MessPlan.draw(
        rng, n, recipes, scale, per_recipe=1.5, conflict_pool=all_but(n, unassigned)
    )
    path = out_dir / FILE_NAMES["surveys"]
    reports: list[FileReport] = []
    sheets = []
    for y in np.unique(year).tolist():
        sheet = f"{y}年"
        report = FileReport(
            "surveys",
            path,
            sheet=sheet,
            unassigned=int(np.isin(unassigned, np.flatnonzero(year == y)).sum()),
        )
        reports.append(report)
        title = [[f"{y}年客户满意度调查结果"], [], SURVEY_HEADER]
        body = emit(indexed_chunks(np.flatnonzero(year == y), rows), plan, report, bad, earlier)
        sheets.append((sheet, chained(title, body)))
    write_xlsx(path, sheets)
    return reports
