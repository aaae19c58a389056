"""`kpi calendar [--year YYYY]`: the working calendar of the SLA business clock (#17).

Prints the year's working days, public holidays and make-up working days (调休) with where
each comes from: the ``holidays`` package's China calendar, an override in the settings
(``extra_holidays`` / ``extra_workdays``) or the weekday rule. The table lists the special
days and a count per month; ``--format csv|json`` lists every day of the year."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys

FORMATS = ("table", "csv", "json")
USAGE_EXIT = 2
COLUMNS = ("date", "weekday", "working", "kind", "name", "source")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "calendar",
        help="print the working calendar of the SLA business clock",
        description=(
            "Print a year's working days, public holidays and make-up working days (调休) "
            "of the [calendar] settings, with their source (package or override)."
        ),
    )
    parser.add_argument("--year", type=int, help="the year to print (default: this year)")
    parser.add_argument("--format", default="table", help="table (default), csv or json")
    parser.add_argument("--settings", metavar="FILE",
                        help="settings file (default: $KPI_SETTINGS or kpi.toml)")  # fmt: skip
    parser.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"kpi calendar: error: {message}", file=sys.stderr)
    return USAGE_EXIT


def run(args: argparse.Namespace) -> int:
    from dashboard.settings import SettingsError, load_settings
    from dashboard.sla_clock.calendar import CalendarNotCovered, working_calendar

    if args.format not in FORMATS:
        return _fail(f"--format must be one of {', '.join(FORMATS)}, got {args.format!r}")
    year = args.year or dt.date.today().year
    if not 1 <= year <= 9998:
        return _fail(f"--year must be a year like 2026, got {year}")
    try:
        settings = load_settings(args.settings)
    except SettingsError as exc:
        return _fail(str(exc))
    calendar = working_calendar(settings.calendar)
    try:
        days = calendar.year(year)
    except CalendarNotCovered as exc:
        return _fail(str(exc))
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(_record(d).values() for d in days)
    elif args.format == "json":
        json.dump([_record(d) for d in days], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(_table(year, days, settings.calendar, calendar) + "\n")
    return 0


def _record(day) -> dict:
    from dashboard.sla_clock.config import WEEKDAYS

    return {
        "date": day.day.isoformat(),
        "weekday": WEEKDAYS[day.day.isoweekday() - 1],
        "working": "yes" if day.working else "no",
        "kind": day.kind,
        "name": day.name,
        "source": day.source,
    }


def _table(year, days, cal, calendar) -> str:
    from dashboard.sla_clock.calendar import REST_DAY, WORKDAY

    hours = ", ".join(s.label for s in cal.work_hours)
    per_day = cal.seconds_per_working_day / 3600
    country = calendar.country.source if calendar.country else "none (the weekdays alone)"
    working = sum(d.working for d in days)
    lines = [
        f"Working calendar {year} / {year} 年工作日历",
        f"  holidays: {country}",
        f"  workdays: {calendar.describe_week()}; work hours {hours} ({per_day:g} h a working day)",
        f"  {working} working days, {len(days) - working} days off",
        "  working days per month: "
        + ", ".join(
            f"{m:02d}: {sum(d.working for d in days if d.day.month == m)}" for m in range(1, 13)
        ),
        "",
    ]
    special = [d for d in days if d.kind not in (WORKDAY, REST_DAY)]
    if not special:
        lines.append("(no public holidays, make-up working days or overrides this year)")
        return "\n".join(lines)
    records = [_record(d) for d in special]
    widths = {c: max(len(c), *(len(r[c]) for r in records)) for c in COLUMNS}
    lines.append("  ".join(c.ljust(widths[c]) for c in COLUMNS).rstrip())
    lines.append("  ".join("-" * widths[c] for c in COLUMNS))
    lines += ["  ".join(r[c].ljust(widths[c]) for c in COLUMNS).rstrip() for r in records]
    return "\n".join(lines)
