"""The weekly KPI report (issue #8): the week's headline KPIs, movers and follow-up lists
as a self-contained HTML page or an Excel workbook.

``build_report_bytes`` is the one entry point for the CLI (`kpi report`) and the dashboard's
download button; ``model.gather`` is the one place the report's numbers come from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from dashboard.present.periods import BadWeek, IsoWeek, parse_week

__all__ = ["FORMATS", "BadWeek", "IsoWeek", "build_report_bytes", "parse_week"]

FORMATS = ("html", "xlsx")
MIME_TYPES = {
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def build_report_bytes(
    con: duckdb.DuckDBPyConnection,
    *,
    week: IsoWeek | str | None = None,
    projects: Sequence[str] = (),
    regions: Sequence[str] = (),
    lang: str = "zh",
    fmt: str = "html",
    settings: Any = None,
    min_mover_base: int | None = None,
    scoped: bool = False,
) -> bytes:
    """The weekly report for ``week`` (an ``IsoWeek``, ``"2026-W47"`` or None for the latest
    complete week of the data) and the given filters, as HTML (UTF-8) or XLSX bytes.
    ``min_mover_base``: cases a project needs behind a rate in both weeks to be listed among
    the movers (default as on the Overview: the settings' ``min_cases``). ``scoped``: the
    report of a user limited to some projects/regions (#15): ``projects``/``regions`` are
    their scope, and the company-wide row counts of the data freshness are left out."""
    from dashboard.report.model import gather

    if fmt not in FORMATS:
        raise ValueError(f"report format must be html or xlsx, got {fmt!r}")
    if lang not in ("zh", "en"):
        raise ValueError(f"report language must be zh or en, got {lang!r}")
    if isinstance(week, str):
        week = parse_week(week)
    extra = {} if min_mover_base is None else {"min_mover_base": min_mover_base}
    report = gather(con, week=week, projects=projects, regions=regions, settings=settings, **extra)
    if scoped and report.freshness is not None:
        import dataclasses

        freshness = report.freshness.drop(columns=["rows"], errors="ignore")
        report = dataclasses.replace(report, freshness=freshness)
    if fmt == "html":
        from dashboard.report.html import render_html

        return render_html(report, lang).encode("utf-8")
    from dashboard.report.xlsx import render_xlsx

    return render_xlsx(report, lang)
