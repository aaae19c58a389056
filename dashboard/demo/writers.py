"""Write the simulated business as the messy exports real systems produce.

One writer per kind, each imitating a different source system:
- customers   客户档案.csv            CRM: UTF-8, tab-delimited, Chinese headers, 是/否
                                       (VIP/普通 for the project from an acquired system)
- orders      订单明细.csv            ERP: UTF-8 with BOM, English headers, ¥1,234.50,
                                       ISO dates with 'T' before a system migration
              订单明细_华北区.parquet  the northern region's ERP: Parquet, typed columns
- complaints  投诉台账_GBK.csv        ticketing: GB18030, title lines, CRLF, 2026/3/5 9:05
- surveys     满意度调查.xlsx          survey tool: one sheet per year, title row, date cells
- vip_contacts VIP回访记录.csv         call log: semicolon-delimited, 2026年3月5日 14:30

Each file name holds exactly one kind's name word, so the loader can tell its kind.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.demo import catalog
from dashboard.demo.catalog import PROJECTS
from dashboard.demo.mess import (
    CHINESE,
    DATE_CN,
    DATE_ISO,
    DATE_SLASH,
    ISO_MIN,
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
from dashboard.demo.xlsx import write_xlsx

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


def _pick(rng: np.random.Generator, n: int, count: float, scale: float, exclude=()) -> np.ndarray:
    """``count * scale`` distinct row indices (at least one), none of ``exclude``."""
    pool = all_but(n, list(exclude))
    size = min(len(pool), max(1, round(count * scale)))
    return np.sort(rng.choice(pool, size=size, replace=False)) if size else pool[:0]


def _padded(rng: np.random.Generator, names: np.ndarray, share: float) -> np.ndarray:
    """A few values with stray spaces around them (the loader trims text)."""
    pad = rng.random(len(names)) < share
    return np.where(pad, np.char.add(np.char.add(" ", names), "  "), names)


def _write_csv(
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


# --------------------------------------------------------------------------- customers


def write_customers(
    world: World, out_dir: Path, rng: np.random.Generator, scale: float
) -> FileReport:
    c = world.customers
    n = len(c.ids)
    start64 = np.datetime64(world.start, "D")
    legacy = PROJECT_NAMES[c.project] == catalog.LEGACY_BOOLEAN_PROJECT
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
    project = _padded(rng, PROJECT_NAMES[c.project], 0.01)
    region = REGION_NAMES[c.project].astype(object)
    unassigned = _pick(rng, n, 3, scale, exclude=np.flatnonzero(c.is_vip))
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
    _write_csv(path, body, encoding="utf-8", delimiter="\t", preamble=[header])
    return report


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
    in_parquet = REGION_NAMES[project_idx] == catalog.PARQUET_ORDER_REGION
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
    unassigned = csv_rows[_pick(rng, len(csv_rows), 5, scale)]
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
    _write_csv(path, body, encoding="utf-8-sig", preamble=[ORDER_HEADER])
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
            np.array(catalog.ORDER_SERVICES)[o.service[idx]].tolist(),
            np.array(catalog.PAY_METHODS)[o.pay[idx]].tolist(),
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
                out.write_table(_table(batch, schema))
                batch.clear()
        if batch:
            out.write_table(_table(batch, schema))
    return report


def _table(batch: list[Row], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*batch, strict=True))
    return pa.table(
        [pa.array(col, type=f.type) for col, f in zip(columns, schema, strict=True)], schema=schema
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
    project = _padded(rng, PROJECT_NAMES[k.project], 0.02).astype(object)
    region = REGION_NAMES[k.project].astype(object)
    unassigned = _pick(rng, n, 3, scale)
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
    categories = np.array(catalog.COMPLAINT_CATEGORIES)[k.category]
    texts = [
        catalog.COMPLAINT_TEXTS[cat][t % len(catalog.COMPLAINT_TEXTS[cat])]
        for cat, t in zip(categories.tolist(), k.text.tolist(), strict=True)
    ]
    # Free text typed by people: ASCII quotes and commas, and a line break now and then.
    for i in _pick(rng, n, 4, scale).tolist():
        texts[i] = f'客户原话："{texts[i]}", 要求尽快处理'
    for i in _pick(rng, n, 2, scale).tolist():
        texts[i] = f"{texts[i]}\n（已电话安抚）"
    channels = np.array(catalog.CHANNELS)[k.channel]
    severities = np.array(catalog.SEVERITIES)[k.severity]
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
    _write_csv(path, body, encoding="gb18030", lineterminator="\r\n", preamble=preamble)
    return report


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
    unassigned = _pick(rng, n, 2, scale)
    region[unassigned] = ""
    submitted = world.datetimes(s.submitted)
    typed_by_hand = rng.random(n) < 0.05  # a text cell instead of a date cell
    hand_text = format_datetimes(submitted, SLASH_SHORT)
    methods = np.array(catalog.SURVEY_METHODS)[s.method]
    comments = np.array(catalog.SURVEY_COMMENTS)[s.comment]
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
        sheets.append((sheet, _chain(title, body)))
    write_xlsx(path, sheets)
    return reports


def _chain(first: list[Row], rest: Iterable[Row]) -> Iterable[Row]:
    yield from first
    yield from rest


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
    notes = np.array(catalog.CONTACT_NOTES)[v.note]

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
    _write_csv(path, body, encoding="utf-8", delimiter=";", preamble=[VIP_HEADER])
    return report
