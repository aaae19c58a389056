"""What each rule type says, and for which period.

``due_period`` decides (from the schedule alone) whether a rule is due at a moment and which
period its delivery is for; ``build_message`` computes the message. Every number comes
from ``dashboard.kpis.compute`` or the weekly report's ``model.gather`` - nothing is
recomputed here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import duckdb
import pandas as pd

from dashboard.notify.config import CASES_COLUMN, NotifyConfig, NotifyConfigError, Rule, Scope
from dashboard.notify.messages import PAGE_OF_KPI, Attachment, Message, dashboard_link
from dashboard.notify.schedule import period_end, period_label, period_start, previous_period_start
from dashboard.notify.words import kpi_name, word
from dashboard.present.formats import change_text, number_text, value_text
from dashboard.present.headlines import number
from dashboard.settings import Settings

KNOWN_UNITS = ("count", "rate", "hours", "score", "nps")


@dataclass(frozen=True)
class DuePeriod:
    rule: Rule
    period: str  # the delivery log's period, e.g. "2026-W26", "2026-06", "2026-06-29"
    occurrence: datetime  # the scheduled local moment that made it due
    subject_start: date  # first day of the period the message is about
    grain: str  # "week", "month" or "day": the grain of subject_start


def due_period(rule: Rule, moment: datetime) -> DuePeriod | None:
    """The period ``rule`` is due for at local ``moment``, or None when not due yet."""
    if rule.type == "threshold":
        # Checked after each complete period: at the schedule's time if it has one, else
        # as soon as the period is over.
        if rule.schedule is not None:
            occurrence = rule.schedule.due(moment)
            if occurrence is None:
                return None
        else:
            occurrence = datetime.combine(period_start(rule.grain, moment.date()), time())
        checked = previous_period_start(rule.grain, occurrence.date())
        return DuePeriod(rule, period_label(rule.grain, checked), occurrence, checked, rule.grain)
    assert rule.schedule is not None
    occurrence = rule.schedule.due(moment)
    if occurrence is None:
        return None
    if rule.type == "weekly_report":  # the last complete ISO week before the occurrence
        week = previous_period_start("week", occurrence.date())
        return DuePeriod(rule, period_label("week", week), occurrence, week, "week")
    start = rule.schedule.period_start(moment)
    return DuePeriod(
        rule, period_label(rule.schedule.every, start), occurrence, start, rule.schedule.every
    )


Built = tuple[Message | None, str]  # the message, or None and the reason nothing is sent


def build_message(
    con: duckdb.DuckDBPyConnection,
    due: DuePeriod,
    *,
    config: NotifyConfig,
    settings: Settings,
    scope: Scope,
    moment: datetime,
    attachments: bool = False,
) -> Built:
    """The message for ``due`` (None with the reason when there is nothing to send)."""
    builders: dict[str, Callable[..., Built]] = {
        "weekly_report": _weekly_report,
        "threshold": _threshold,
        "open_sla_breaches": _open_sla_breaches,
        "overdue_vips": _overdue_vips,
    }
    return builders[due.rule.type](con, due, config, settings, scope, moment, attachments)


# --- weekly report ----------------------------------------------------------------------


def _weekly_report(
    con: duckdb.DuckDBPyConnection, due: DuePeriod, config: NotifyConfig, settings: Settings,
    scope: Scope, moment: datetime, attachments: bool,
) -> Built:  # fmt: skip
    from dashboard.present.periods import IsoWeek
    from dashboard.report.model import gather

    rule, lang = due.rule, due.rule.lang
    week = IsoWeek(due.subject_start)
    report = gather(
        con, week=week, projects=scope.projects, regions=scope.regions, settings=settings
    )
    lines = [
        word("week_line", lang, week=week.label, first=week.monday, last=week.sunday),
        *_scope_lines(scope, lang),
    ]
    if not report.has_data:
        last = report.last_event_day
        lines.append(word("no_data", lang, last=last) if last else word("no_data_at_all", lang))
    counts = {"green": 0, "amber": 0, "red": 0}
    numbers: list[dict[str, Any]] = []
    for h in report.headlines:
        name_key = "coverage_rate.mtd" if h.period == "month_to_date" else h.key
        parts = [word("value_line", lang, metric=kpi_name(name_key, lang),
                      value=value_text(h.value, h.unit, lang))]  # fmt: skip
        if h.change is not None:
            parts.append(word("vs_previous_week", lang, change=change_text(h.change, h.unit, lang)))
        too_few = bool(getattr(h, "too_few", False))
        if too_few:  # as on the dashboard: no verdict on a handful of cases
            parts.append(word("too_few", lang, n=getattr(h, "n", None)))
        elif h.status:
            counts[h.status] += 1
            target = value_text(h.target, h.unit, lang)
            status = word(f"status_{h.status}", lang)
            parts.append(word("status_target", lang, status=status, target=target))
        lines.append(" · ".join(parts))
        numbers.append(
            {
                "key": h.key,
                "value": h.value,
                "previous": h.previous,
                "change": h.change,
                "target": h.target,
                "status": None if too_few else h.status,
                "n": getattr(h, "n", None),
                "too_few": too_few,
                "period": h.period,
            }
        )
    lines.insert(1 + len(_scope_lines(scope, lang)), word("summary", lang, **counts))
    lines.append(word("open_past_sla_count", lang, n=len(report.open_past_sla)))
    lines.append(word("overdue_vips_count", lang, n=len(report.overdue_vips)))
    files: tuple[Attachment, ...] = ()
    if attachments:
        from dashboard.report import MIME_TYPES
        from dashboard.report.html import render_html
        from dashboard.report.xlsx import render_xlsx

        lines.append(word("attached", lang))
        name = f"kpi-report-{week.label}"
        files = (
            Attachment(f"{name}.html", MIME_TYPES["html"], render_html(report, lang).encode()),
            Attachment(f"{name}.xlsx", MIME_TYPES["xlsx"], render_xlsx(report, lang)),
        )
    # the Overview shows the last complete week ending on or before ``to``: the Sunday
    link = dashboard_link(
        config.dashboard_url, "", lang=lang, projects=scope.projects, regions=scope.regions,
        date_to=week.sunday,
    )  # fmt: skip
    message = Message(
        rule=rule.name,
        period=due.period,
        lang=lang,
        title=word("weekly_title", lang, week=week.label),
        lines=tuple(lines),
        link=link,
        data=_data(
            due,
            scope,
            week=week.label,
            first=week.monday,
            last=week.sunday,
            headlines=numbers,
            open_past_sla=len(report.open_past_sla),
            overdue_vips=len(report.overdue_vips),
        ),  # fmt: skip
        attachments=files,
    )
    return message, ""


# --- threshold ---------------------------------------------------------------------------


def _threshold(
    con: duckdb.DuckDBPyConnection, due: DuePeriod, config: NotifyConfig, settings: Settings,
    scope: Scope, moment: datetime, attachments: bool,
) -> Built:  # fmt: skip
    from dashboard.kpis import compute, get_query

    rule, lang = due.rule, due.rule.lang
    key = f"notify.rules ({rule.name})"
    checked, grain = due.subject_start, rule.grain
    previous = previous_period_start(grain, checked)
    frame = compute(
        con, rule.kpi, grain=grain, date_from=previous, date_to=checked,
        projects=scope.projects, regions=scope.regions, as_of=moment.date(), settings=settings,
    )  # fmt: skip
    if rule.metric not in frame.columns:
        raise NotifyConfigError(
            f"{key}.metric: {rule.metric!r} is not a column of {rule.kpi} "
            f"(columns: {', '.join(c for c in frame.columns if c != 'period_start')})"
        )
    cases_column = rule.cases_column or CASES_COLUMN.get(rule.metric, "")
    if cases_column and cases_column not in frame.columns:
        raise NotifyConfigError(
            f"{key}.cases_column: {cases_column!r} is not a column of {rule.kpi}"
        )
    now, before = _row(frame, checked), _row(frame, previous)
    value, prev = number(now.get(rule.metric)), number(before.get(rule.metric))
    label = period_label(grain, checked)
    if value is None:
        return None, f"no value of {rule.metric} for {label}"
    unit = get_query(rule.kpi).units.get(rule.metric, "score")
    scale = 100.0 if unit == "rate" else 1.0  # rate changes are compared in percentage points
    change = None if prev is None else (value - prev) * scale
    cases = number(now.get(cases_column)) if cases_column else None
    if rule.min_cases and (cases or 0) < rule.min_cases:
        return (
            None,
            f"only {cases or 0:g} cases behind {rule.metric} in {label} (min_cases {rule.min_cases})",
        )
    fired = []
    for name, limit in rule.limits.items():
        if name == "below" and value < limit or name == "above" and value > limit:
            fired.append((name, limit))
        elif name.startswith("change_") and change is not None:
            if rule.min_cases and (number(before.get(cases_column)) or 0) < rule.min_cases:
                continue  # a change from a period with too few cases says nothing
            if (
                name == "change_below"
                and change < limit
                or name == "change_above"
                and change > limit
            ):
                fired.append((name, limit))
    if not fired:
        return None, f"{rule.metric} = {value:g} in {label}: no limit crossed"

    metric_name = kpi_name(rule.metric, lang)
    shown_unit = unit if unit in KNOWN_UNITS else "score"

    def limit_text(name: str, limit: float) -> str:
        if name.startswith("change_") and unit == "rate":
            return change_text(limit / 100, "rate", lang).lstrip("+")
        if name.startswith("change_"):
            return change_text(limit, shown_unit, lang).lstrip("+")
        return value_text(limit, shown_unit, lang)

    conditions = []
    for name, limit in fired:
        cond = f"cond_{name}"
        if name == "change_below" and limit >= 0:
            cond = "cond_change_below_pos"
        if name == "change_above" and limit <= 0:
            cond = "cond_change_above_neg"
        shown = abs(limit) if cond in ("cond_change_below", "cond_change_above") else limit
        conditions.append(word(cond, lang, limit=limit_text(name, shown)))
    first_day, last_day = checked, period_end(grain, checked) - timedelta(days=1)
    period_line = (
        word("week_line", lang, week=label, first=first_day, last=last_day)
        if grain == "week"
        else word("month_line", lang, month=label, first=first_day, last=last_day)
    )
    lines = [period_line, *_scope_lines(scope, lang)]
    value_part = value_text(value, shown_unit, lang)
    if change is not None:
        vs = "vs_previous_week" if grain == "week" else "vs_previous_month"
        value_part += " · " + word(vs, lang, change=change_text(change / scale, shown_unit, lang))
    target = settings.target(rule.metric) if hasattr(settings, "target") else None
    if target is not None:
        from dashboard.present.status import target_status

        status = target_status(value, target.value, target.direction, shown_unit)
        if status:
            shown_target = value_text(target.value, shown_unit, lang)
            status_word = word(f"status_{status}", lang)
            value_part += " · " + word(
                "status_target", lang, status=status_word, target=shown_target
            )
    lines.append(word("value_line", lang, metric=metric_name, value=value_part))
    if prev is not None:
        lines.append(word("previous_line", lang, value=value_text(prev, shown_unit, lang)))
    if cases is not None:
        lines.append(
            word(
                "cases_line",
                lang,
                n=number_text(cases, "count", lang),
                column=kpi_name(cases_column, lang),
            )
        )
    link = dashboard_link(
        config.dashboard_url, PAGE_OF_KPI.get(rule.kpi, "analyst"), lang=lang,
        projects=scope.projects, regions=scope.regions, grain=grain, date_to=checked,
    )  # fmt: skip
    message = Message(
        rule=rule.name,
        period=due.period,
        lang=lang,
        title=word(
            "alert_title", lang, metric=metric_name, condition="; ".join(conditions), period=label
        ),
        lines=tuple(lines),
        link=link,
        data=_data(
            due,
            scope,
            kpi=rule.kpi,
            metric=rule.metric,
            grain=grain,
            period_start=checked,
            value=value,
            previous=prev,
            change=change,
            cases=cases,
            fired=[n for n, _ in fired],
        ),  # fmt: skip
    )
    return message, ""


# --- lists -------------------------------------------------------------------------------


def _open_sla_breaches(
    con: duckdb.DuckDBPyConnection, due: DuePeriod, config: NotifyConfig, settings: Settings,
    scope: Scope, moment: datetime, attachments: bool,
) -> Built:  # fmt: skip
    from dashboard.kpis import compute

    rule, lang = due.rule, due.rule.lang

    def past_sla(day: date) -> list[dict[str, Any]]:
        frame = compute(
            con, "open_complaints_past_sla", projects=scope.projects, regions=scope.regions,
            as_of=day, settings=settings,
        )  # fmt: skip
        return frame.to_dict("records")

    today = past_sla(moment.date())
    business = any(r.get("sla_clock") == "business" for r in today)
    yesterday = past_sla(moment.date() - timedelta(days=1)) if business else []
    rows = past_sla_now(today, yesterday, moment)
    title = word("sla_title", lang, n=len(rows))
    lines = [word("as_of_line", lang, moment=moment.strftime("%Y-%m-%d %H:%M"), zone=config.timezone),
             *_scope_lines(scope, lang)]  # fmt: skip
    if not rows:
        if not rule.send_empty:
            return None, "no open complaint past its SLA"
        lines.append(word("sla_none", lang))
    items = [
        word(
            "sla_item",
            lang,
            id=r["complaint_id"],
            project=_text(r.get("project")),
            category=_text(r.get("category")),
            opened=_minute(r.get("opened_at")),
            overdue=number_text(r["hours_overdue"], "hours", lang),
            sla=f"{number(r['sla_hours']):g}",
            clock=word("working_hours" if r.get("sla_clock") == "business" else "hours", lang),
        )  # fmt: skip
        for r in rows
    ]
    link = dashboard_link(config.dashboard_url, "complaints", lang=lang, projects=scope.projects,
                          regions=scope.regions)  # fmt: skip
    data = _data(due, scope, as_of=moment.isoformat(sep=" ", timespec="minutes"), count=len(rows),
                 complaints=[{"complaint_id": str(r["complaint_id"]), "project": _text(r.get("project")),
                              "hours_overdue": round(r["hours_overdue"], 2)} for r in rows])  # fmt: skip
    return _list_message(rule, due, lang, title, lines, items, link, data), ""


def past_sla_now(
    today: list[dict[str, Any]], yesterday: list[dict[str, Any]], moment: datetime
) -> list[dict[str, Any]]:
    """The rows of ``open_complaints_past_sla`` (as of the moment's day, and for business-clock
    SLAs as of the day before) that are past their SLA at ``moment``, most overdue first, each
    with ``hours_overdue``.

    The query measures up to the end of its as-of day. On the calendar clock the hours after
    the moment are simply taken off. Working hours left in the day are the calendar's
    business (#17), so a business-clock complaint is listed once it was past its SLA at the
    end of yesterday (working hours only grow while it stays open), with that overdue time:
    one that crosses its SLA during today appears in tomorrow's list.
    """
    cut = datetime.combine(moment.date() + timedelta(days=1), time())
    ahead = (cut - moment).total_seconds() / 3600.0
    earlier = {r["complaint_id"]: r for r in yesterday}
    found = []
    for r in today:  # still open at the end of today (so not resolved before the moment)
        sla = number(r.get("sla_hours"))
        if sla is None:
            continue
        if r.get("sla_clock") == "business":
            before = earlier.get(r["complaint_id"])
            hours = number(before.get("business_hours_open")) if before else None
            overdue = None if hours is None else hours - sla
        else:
            hours = number(r.get("hours_open"))
            overdue = None if hours is None else hours - ahead - sla
        if overdue is not None and overdue > 0:
            found.append({**r, "hours_overdue": overdue})
    return sorted(found, key=lambda r: (-r["hours_overdue"], str(r["complaint_id"])))


def _overdue_vips(
    con: duckdb.DuckDBPyConnection, due: DuePeriod, config: NotifyConfig, settings: Settings,
    scope: Scope, moment: datetime, attachments: bool,
) -> Built:  # fmt: skip
    from dashboard.kpis import compute

    rule, lang = due.rule, due.rule.lang
    day = moment.date()
    frame = compute(
        con, "overdue_vips", projects=scope.projects, regions=scope.regions, as_of=day,
        settings=settings,
    )  # fmt: skip
    rows = frame.to_dict("records")
    interval = int(getattr(settings, "vip_interval_days", 30) or 30)
    lines = [word("vip_interval", lang, days=interval, day=day), *_scope_lines(scope, lang)]
    if not rows:
        if not rule.send_empty:
            return None, "no overdue VIP"
        lines.append(word("vip_none", lang))
    items = []
    for r in rows:
        values = {"id": r["customer_id"], "name": _text(r.get("customer_name")),
                  "project": _text(r.get("project"))}  # fmt: skip
        if number(r.get("days_since_contact")) is None:
            items.append(word("vip_item_never", lang, **values))
        else:
            items.append(word("vip_item", lang, **values, last=_minute(r.get("last_contact_at")),
                              days=number_text(r["days_since_contact"], "days", lang)))  # fmt: skip
    link = dashboard_link(config.dashboard_url, "vip", lang=lang, projects=scope.projects,
                          regions=scope.regions)  # fmt: skip
    data = _data(due, scope, as_of=day, count=len(rows),
                 vips=[{"customer_id": str(r["customer_id"]), "project": _text(r.get("project")),
                        "days_since_contact": number(r.get("days_since_contact"))} for r in rows])  # fmt: skip
    return _list_message(
        rule, due, lang, word("vip_title", lang, n=len(rows)), lines, items, link, data
    ), ""


def _list_message(
    rule: Rule,
    due: DuePeriod,
    lang: str,
    title: str,
    lines: list[str],
    items: list[str],
    link: str,
    data: dict[str, Any],
) -> Message:
    return Message(
        rule=rule.name,
        period=due.period,
        lang=lang,
        title=title,
        lines=tuple(lines),
        items=tuple(items[: rule.max_items]),
        items_total=len(items),
        link=link,
        data=data,
    )


# --- helpers -----------------------------------------------------------------------------


def _scope_lines(scope: Scope, lang: str) -> list[str]:
    lines = []
    if scope.projects:
        lines.append(word("scope_projects", lang, names=", ".join(scope.projects)))
    if scope.regions:
        lines.append(word("scope_regions", lang, names=", ".join(scope.regions)))
    return lines


def _data(due: DuePeriod, scope: Scope, **values: Any) -> dict[str, Any]:
    return {
        "rule": due.rule.name,
        "type": due.rule.type,
        "period": due.period,
        "projects": list(scope.projects),
        "regions": list(scope.regions),
        **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()},
    }


def _row(frame: pd.DataFrame, start: date) -> dict[str, Any]:
    if frame.empty or "period_start" not in frame:
        return {}
    hit = frame[pd.to_datetime(frame["period_start"]).dt.date == start]
    return hit.iloc[0].to_dict() if len(hit) else {}


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _minute(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")
