"""The weekly report as one self-contained HTML file.

Inline CSS, charts inlined as SVG rendered offline, system fonts only: no script, no
stylesheet link, no image or font fetched from anywhere, so the file can be mailed,
archived and opened offline on a phone. ``@media print`` lays it out for PDF.

Numbers carry their exact values in ``data-*`` attributes (``data-value`` etc.) so tests and
tools can read them back without parsing formatted text.
"""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd

from dashboard.present.formats import MISSING, cell_text, change_text, unit_of, value_text
from dashboard.present.headlines import BY_KEY, SECTIONS
from dashboard.report.charts import FONT_FAMILY, render_svg, sparkline_spec
from dashboard.report.labels import column_label, label
from dashboard.report.model import HeadlineValue, ProjectMove, WeeklyReport

LIST_ROWS_SHOWN = 20

OPEN_PAST_SLA_COLUMNS = (
    "complaint_id", "project", "region", "category", "severity", "opened_at", "hours_open", "sla_hours",
    "sla_clock", "business_hours_open",
)  # fmt: skip
OVERDUE_COLUMNS = (
    "customer_id", "customer_name", "project", "region", "last_contact_at", "days_since_contact", "days_overdue",
)  # fmt: skip
FRESHNESS_COLUMNS = ("kind", "rows", "first_event_at", "last_event_at", "last_import_at")

CSS = """
:root { --ink:#1f2933; --muted:#5f6b7a; --line:#e4e7eb; --bg:#f5f7fa; --card:#fff;
  --green:#1e8e3e; --green-bg:#e6f4ea; --amber:#b26a00; --amber-bg:#fef3e0;
  --red:#c5221f; --red-bg:#fce8e6; --accent:#3b5b8c; }
* { box-sizing:border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font-family:%(font)s; font-size:15px; line-height:1.45; }
.report { max-width:1120px; margin:0 auto; padding:24px 20px 40px; }
header.top { border-bottom:3px solid var(--accent); padding-bottom:12px; margin-bottom:20px; }
h1 { font-size:26px; margin:0 0 4px; }
h2 { font-size:19px; margin:28px 0 10px; padding-bottom:4px; border-bottom:1px solid var(--line); }
.meta { color:var(--muted); margin:2px 0; }
.meta b { color:var(--ink); }
.meta.partial { color:var(--amber); font-weight:600; }
.grid { display:grid; grid-template-columns:repeat(auto-fill, minmax(240px, 1fr)); gap:12px; }
.kpi { background:var(--card); border:1px solid var(--line); border-left:5px solid #c7ccd1;
  border-radius:8px; padding:12px 14px 6px; break-inside:avoid; page-break-inside:avoid; }
.kpi.green { border-left-color:var(--green); } .kpi.amber { border-left-color:var(--amber); }
.kpi.red { border-left-color:var(--red); }
.kpi-name { font-size:14px; color:var(--muted); font-weight:600; }
.kpi-value { font-size:30px; font-weight:700; margin:2px 0 0; }
.kpi-change { font-size:14px; margin:2px 0; }
.kpi-change .vs { color:var(--muted); }
.good { color:var(--green); } .bad { color:var(--red); } .neutral { color:var(--muted); }
.kpi-target { font-size:13px; color:var(--muted); margin:4px 0; }
.pill { display:inline-block; padding:0 8px; border-radius:10px; font-size:12px; font-weight:600; }
.pill.green { background:var(--green-bg); color:var(--green); }
.pill.amber { background:var(--amber-bg); color:var(--amber); }
.pill.red { background:var(--red-bg); color:var(--red); }
.pill.none, .pill.few { background:var(--line); color:var(--muted); }
.n { font-size:12px; color:var(--muted); margin-left:6px; }
.spark svg { width:100%%; height:auto; display:block; }
.two { display:grid; grid-template-columns:1fr 1fr; gap:16px; }
.panel { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:10px 12px;
  break-inside:avoid; }
h3.group { font-size:15px; color:var(--accent); margin:16px 0 8px; }
.strip { margin:0 0 4px; }
.strip .pill { font-size:13px; margin-right:4px; }
.panel h3 { font-size:15px; margin:0 0 6px; }
.note { color:var(--muted); font-size:13px; margin:0 0 8px; }
.scroll { overflow-x:auto; -webkit-overflow-scrolling:touch; }
table { border-collapse:collapse; width:100%%; font-size:13px; background:var(--card); }
th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); white-space:nowrap; }
th { background:#eef1f5; font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
.nodata { background:var(--amber-bg); border:1px solid #f5c27a; border-radius:8px; padding:16px 18px; }
.nodata h2 { border:none; margin:0 0 6px; }
footer { margin-top:32px; color:var(--muted); font-size:13px; }
footer table { font-size:12px; }
@media (max-width: 640px) {
  .report { padding:14px 10px 28px; }
  h1 { font-size:21px; }
  .grid { grid-template-columns:1fr 1fr; gap:8px; }
  .two { grid-template-columns:1fr; }
  .kpi { padding:8px 8px 4px; border-left-width:4px; }
  .kpi-name { font-size:13px; }
  .kpi-value { font-size:22px; }
  .kpi-change, .kpi-target { font-size:12px; }
}
@media print {
  @page { size:A4; margin:12mm; }
  body { background:#fff; font-size:11pt; -webkit-print-color-adjust:exact; print-color-adjust:exact; }
  .report { max-width:none; padding:0; }
  .grid { grid-template-columns:repeat(4, 1fr); gap:6px; }
  .kpi { padding:8px 10px 4px; }
  .kpi-value { font-size:22px; }
  h2 { break-after:avoid; page-break-after:avoid; }
  section { break-inside:auto; }
  tr { break-inside:avoid; }
  table { font-size:8.5pt; }
  th, td { white-space:normal; padding:3px 5px; }
  td.num { white-space:nowrap; }
  .scroll { overflow:visible; }
}
"""


def render_html(report: WeeklyReport, lang: str = "zh") -> str:
    t = lambda key: label(key, lang)  # noqa: E731 - short local alias keeps markup readable
    parts: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(t('title'))} {escape(report.week.label)}</title>",
        f"<style>{CSS % {'font': FONT_FAMILY}}</style>",
        "</head>",
        f'<body><main class="report" data-week="{report.week.label}" data-lang="{lang}"'
        f' data-has-data="{str(report.has_data).lower()}">',
        _header(report, lang),
    ]
    if not report.has_data:
        parts.append(_no_data(report, lang))
    else:
        parts += [
            _headlines_section(report, lang),
            _movers_section(report, lang),
            _list_section(
                "open-past-sla",
                t("open_past_sla"),
                t("open_past_sla.note"),
                report.open_past_sla,
                OPEN_PAST_SLA_COLUMNS,
                "complaint_id",
                lang,
            ),
            _list_section(
                "overdue-vips",
                t("overdue_list"),
                t("overdue_list.note").format(days=report.vip_interval_days),
                report.overdue_vips,
                OVERDUE_COLUMNS,
                "customer_id",
                lang,
            ),
        ]
    parts += [_footer(report, lang), "</main></body></html>"]
    return "\n".join(parts)


def _header(report: WeeklyReport, lang: str) -> str:
    t = lambda key: label(key, lang)  # noqa: E731
    week = report.week
    if report.projects or report.regions:
        bits = []
        if report.regions:
            bits.append(f"{t('scope.regions')}: {', '.join(report.regions)}")
        if report.projects:
            bits.append(f"{t('scope.projects')}: {', '.join(report.projects)}")
        scope = "; ".join(bits)
    else:
        scope = t("scope.all")
    partial = ""
    last = report.last_event_day
    if report.has_data and last is not None and last < week.sunday:
        note = t("partial_week").format(last=last.isoformat())
        partial = f'<p class="meta partial" id="partial-week">{escape(note)}</p>'
    return (
        '<header class="top">'
        f"<h1>{escape(t('title'))}</h1>"
        f'<p class="meta">{escape(t("week"))}: <b>{week.label}</b> '
        f"({week.monday.isoformat()} – {week.sunday.isoformat()})</p>"
        f'<p class="meta" id="scope">{escape(t("scope"))}: <b>{escape(scope)}</b></p>'
        f"{partial}</header>"
    )


def _no_data(report: WeeklyReport, lang: str) -> str:
    t = lambda key: label(key, lang)  # noqa: E731
    if report.last_event_day is None:
        text = t("empty_db")
    else:
        week = report.week
        text = t("no_data_text").format(
            week=week.label, start=week.monday.isoformat(), end=week.sunday.isoformat()
        )
        if report.latest_complete and report.latest_complete != week:
            text += " " + t("no_data_hint").format(week=report.latest_complete.label)
    return (
        f'<section class="nodata" id="no-data"><h2>{escape(t("no_data_title"))}</h2>'
        f"<p>{escape(text)}</p></section>"
    )


def _headlines_section(report: WeeklyReport, lang: str) -> str:
    by_key = report.headline
    counts = {s: sum(1 for h in report.headlines if (h.status or "none") == s)
              for s in ("green", "amber", "red", "none")}  # fmt: skip
    strip = " ".join(
        f'<span class="pill {s}" data-status-count="{s}">{escape(label("status." + s, lang))}'
        f" {n}</span>"
        for s, n in counts.items()
        if n
    )
    out = [
        f'<section id="headlines"><h2>{escape(label("headlines", lang))}</h2>',
        f'<p class="strip">{escape(label("status_summary", lang))}: {strip}</p>',
    ]
    for section, keys in SECTIONS:
        out.append(f'<h3 class="group">{escape(label("section." + section, lang))}</h3>')
        out.append('<div class="grid">')
        out += [_card(by_key[k], lang) for k in keys if k in by_key]
        out.append("</div>")
    out.append("</section>")
    return "".join(out)


def _attr(x: float | None) -> str:
    return "" if x is None else repr(float(x))


def _card(h: HeadlineValue, lang: str) -> str:
    monthly = h.period == "month_to_date"
    name = label("coverage_rate.mtd" if monthly else h.key, lang)
    vs = f' <span class="vs">{escape(label("vs_previous", lang))}</span>'
    if h.change is None and monthly:
        change, vs = label("month_running", lang), ""
    else:
        change = change_text(h.change, h.unit, lang) or MISSING
    tone = {True: "good", False: "bad"}.get(h.change_good, "neutral")  # type: ignore[arg-type]
    arrow = "" if not h.change else ("▲ " if h.change > 0 else "▼ ")
    status_key = "few" if h.too_few else (h.status or "none")
    sample = (
        f' <span class="n">{escape(label("sample_size", lang).format(n=f"{h.n:,}"))}</span>'
        if h.n is not None
        else ""
    )
    target = (
        f"{escape(label('target', lang))} {escape(value_text(h.target, h.unit, lang))} · "
        if h.target is not None
        else ""
    )
    chart = render_svg(
        sparkline_spec(
            h.trend,
            h.unit,
            h.target,
            value_title=name,
            target_title=label("target", lang),
            monthly=monthly,
        )
    )
    return (
        f'<article class="kpi {status_key}" id="kpi-{h.key}" data-kpi="{h.key}"'
        f' data-value="{_attr(h.value)}" data-previous="{_attr(h.previous)}"'
        f' data-change="{_attr(h.change)}" data-target="{_attr(h.target)}"'
        f' data-status="{h.status or ""}" data-period="{h.period}"'
        f' data-n="{"" if h.n is None else h.n}" data-too-few="{str(h.too_few).lower()}"'
        f' data-period-start="{h.period_start.isoformat() if h.period_start else ""}">'
        f'<div class="kpi-name">{escape(name)}</div>'
        f'<div class="kpi-value">{escape(value_text(h.value, h.unit, lang))}</div>'
        f'<div class="kpi-change {tone}">{arrow}{escape(change)}'
        f"{vs}</div>"
        f'<div class="kpi-target">{target}<span class="pill {status_key}">'
        f"{escape(label('status.' + status_key, lang))}</span>{sample}</div>"
        f'<div class="spark" title="{escape(label("trend_12w", lang))}">{chart}</div>'
        "</article>"
    )


def _movers_section(report: WeeklyReport, lang: str) -> str:
    t = lambda key: label(key, lang)  # noqa: E731
    return (
        f'<section id="movers"><h2>{escape(t("movers"))}</h2>'
        f'<p class="note">{escape(t("movers.note"))}</p><div class="two">'
        + _movers_table("improving", t("improving"), report.improving, lang)
        + _movers_table("worsening", t("worsening"), report.worsening, lang)
        + "</div></section>"
    )


def _movers_table(table_id: str, title: str, moves: list[ProjectMove], lang: str) -> str:
    head = "".join(
        f'<th class="{c}">{escape(column_label(k, lang))}</th>'
        for k, c in (
            ("project", ""),
            ("kpi", ""),
            ("previous", "num"),
            ("value", "num"),
            ("change", "num"),
        )
    )
    rows = []
    for m in moves:
        unit = BY_KEY[m.key].unit
        tone = "good" if table_id == "improving" else "bad"
        rows.append(
            f'<tr data-project="{escape(m.project)}" data-kpi="{m.key}"'
            f' data-previous="{_attr(m.previous)}" data-value="{_attr(m.value)}"'
            f' data-change="{_attr(m.change)}">'
            f"<td>{escape(m.project)}</td><td>{escape(label(m.key, lang))}</td>"
            f'<td class="num">{escape(value_text(m.previous, unit, lang))}</td>'
            f'<td class="num">{escape(value_text(m.value, unit, lang))}</td>'
            f'<td class="num {tone}">{escape(change_text(m.change, unit, lang) or MISSING)}</td></tr>'
        )
    body = "".join(rows) or f'<tr><td colspan="5">{escape(label("no_movers", lang))}</td></tr>'
    return (
        f'<div class="panel"><h3>{escape(title)}</h3><div class="scroll">'
        f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        "</div></div>"
    )


def _list_section(
    section_id: str,
    title: str,
    note: str,
    df: pd.DataFrame,
    columns: tuple[str, ...],
    id_column: str,
    lang: str,
) -> str:
    total = 0 if df is None else len(df)
    out = [
        f'<section id="{section_id}" data-count="{total}"><h2>{escape(title)}'
        f" <small>({total})</small></h2>",
        f'<p class="note">{escape(note)}</p>',
    ]
    if total == 0:
        out.append(f"<p>{escape(label('none_listed', lang))}</p></section>")
        return "".join(out)
    cols = [c for c in columns if c in df.columns]
    out.append(_table(df.head(LIST_ROWS_SHOWN), cols, lang, id_column=id_column))
    if total > LIST_ROWS_SHOWN:
        more = label("more_rows", lang).format(n=total - LIST_ROWS_SHOWN)
        out.append(f'<p class="note">{escape(more)}</p>')
    out.append("</section>")
    return "".join(out)


def _table(df: pd.DataFrame, cols: list[str], lang: str, *, id_column: str | None = None) -> str:
    numeric = {c for c in cols if pd.api.types.is_numeric_dtype(df[c])}
    head = "".join(
        f'<th class="{"num" if c in numeric else ""}">{escape(column_label(c, lang))}</th>'
        for c in cols
    )
    rows = []
    for rec in df[cols].to_dict("records"):
        data_id = f' data-id="{escape(str(rec[id_column]))}"' if id_column else ""
        cells = "".join(
            f'<td class="{"num" if c in numeric else ""}">{escape(_cell(c, rec[c], lang))}</td>'
            for c in cols
        )
        rows.append(f"<tr{data_id}>{cells}</tr>")
    return (
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _cell(column: str, value: Any, lang: str) -> str:
    if column == "kind" and isinstance(value, str):
        return label(f"kind.{value}", lang)
    return cell_text(value, unit_of(column), lang)


def _footer(report: WeeklyReport, lang: str) -> str:
    t = lambda key: label(key, lang)  # noqa: E731
    fresh = report.freshness
    table = ""
    if fresh is not None and not fresh.empty:
        cols = [c for c in FRESHNESS_COLUMNS if c in fresh.columns]
        table = _table(fresh, cols, lang)
    last = report.last_event_day.isoformat() if report.last_event_day else t("na")
    generated = t("generated").format(
        when=report.generated_at.strftime("%Y-%m-%d %H:%M"), last=last
    )
    return (
        f'<footer id="freshness"><h2>{escape(t("freshness"))}</h2>{table}'
        f"<p>{escape(generated)}</p><p>{escape(t('thresholds'))}</p></footer>"
    )
