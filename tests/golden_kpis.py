"""Record every KPI's rows on the demo data (``data/``) as golden files (#13).

Run once, on commit 3a99bc2, *before* the intermediate layer / date spine refactor:

    python -m tests.golden_kpis          # writes tests/data/golden/*.csv

``tests/test_golden_kpis.py`` recomputes the same calls with the code as it is now and
compares them with these files (floats to 1e-9): the "identical rows before and after the
intermediate layer" test the issue asks for. The files are the old code's own output on
purpose - they pin behaviour through a refactor; the hand-computed contract tests
(tests/test_kpi_*.py) remain the proof that the numbers are right.

Cases: the five contract KPIs in both grains (cohorts: month), unfiltered, by project, for
one project and for one region, four date ranges, with and without one ``--as-of``; the
other page queries with fewer combinations; complaints-family queries also with SLA rules
(a severity rule, a category rule on the business clock). Regenerate only for an intended
change of results, and say why in the commit.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GOLDEN_DIR = Path(__file__).parent / "data" / "golden"
RULES_SETTINGS = GOLDEN_DIR / "sla_rules.toml"

PROJECT = "深圳·湾区中心"
REGION = "华北区"
AS_OF = dt.date(2026, 6, 14)  # a Sunday, mid-month: month-to-date and a cut week
DATE_RANGES: dict[str, tuple[dt.date | None, dt.date | None]] = {
    "all": (None, None),
    "mid": (dt.date(2025, 3, 1), dt.date(2025, 8, 31)),
    "from": (dt.date(2026, 1, 5), None),
    "to": (None, dt.date(2025, 6, 30)),
}
FILTERS: dict[str, dict[str, Any]] = {
    "all": {},
    "by_project": {"by": "project"},
    "project": {"projects": [PROJECT]},
    "region": {"regions": [REGION]},
}
KPIS = ("retention", "cohorts", "complaints", "satisfaction", "vip_coverage")
# page queries: (id, whether it has a grain)
OTHERS = (
    ("complaint_breakdown", True),
    ("complaint_pareto", True),
    ("csat_distribution", True),
    ("leaky_bucket", True),
    ("repeat_purchase", True),
    ("resolution_distribution", True),
    ("vip_contacts_by_staff", True),
    ("satisfaction_ranking", False),
    ("open_complaints_past_sla", False),
    ("overdue_vips", False),
    ("dimensions", False),
)
# one row per customer/complaint/response: a few cases keep the files small
ROW_LEVEL = {
    "lost_customers": (
        ("week", "project", "mid", False),
        ("week", "project", "all", True),
        ("month", "region", "mid", True),
    ),
    "complaint_details": (("week", "project", "mid", False), ("month", "region", "mid", True)),
    "survey_responses": (("week", "project", "mid", False), ("month", "region", "mid", True)),
}
SLA_QUERIES = (
    "complaints",
    "complaint_breakdown",
    "complaint_details",
    "open_complaints_past_sla",
)


@dataclass(frozen=True)
class Case:
    query: str
    name: str  # unique within the query's file
    kwargs: dict[str, Any] = field(hash=False)
    rules: bool = False  # computed with RULES_SETTINGS instead of the defaults
    ordered: bool = True  # row order is part of the result

    @property
    def file(self) -> str:
        grouped = "by" in self.kwargs
        return (
            f"{self.query}{'__by_project' if grouped else ''}{'__rules' if self.rules else ''}.csv"
        )


def cases() -> Iterator[Case]:
    for kpi in KPIS:
        grains = ("month",) if kpi == "cohorts" else ("week", "month")
        for grain in grains:
            for fname, filt in FILTERS.items():
                for rname, (date_from, date_to) in DATE_RANGES.items():
                    for as_of in (None, AS_OF):
                        name = f"{grain}/{fname}/{rname}/{'asof' if as_of else 'now'}"
                        kwargs = {
                            "grain": grain,
                            "date_from": date_from,
                            "date_to": date_to,
                            "as_of": as_of,
                            **filt,
                        }
                        yield Case(kpi, name, kwargs)
    for query, picks in ROW_LEVEL.items():
        for grain, fname, rname, with_as_of in picks:
            date_from, date_to = DATE_RANGES[rname]
            as_of = AS_OF if with_as_of else None
            name = f"{grain}/{fname}/{rname}/{'asof' if as_of else 'now'}"
            kwargs = {
                "grain": grain,
                "date_from": date_from,
                "date_to": date_to,
                "as_of": as_of,
                **FILTERS[fname],
            }
            yield Case(query, name, kwargs, ordered=False)
    for query, has_grain in OTHERS:
        for grain in ("week", "month") if has_grain else (None,):
            for fname in ("all", "project", "region"):
                for rname in ("all", "mid"):
                    for as_of in (None, AS_OF):
                        date_from, date_to = DATE_RANGES[rname]
                        name = f"{grain}/{fname}/{rname}/{'asof' if as_of else 'now'}"
                        kwargs = {
                            "grain": grain,
                            "date_from": date_from,
                            "date_to": date_to,
                            "as_of": as_of,
                            **FILTERS[fname],
                        }
                        yield Case(query, name, kwargs, ordered=False)
    for query in SLA_QUERIES:
        grains = (None,) if query == "open_complaints_past_sla" else ("week", "month")
        for grain in grains:
            for fname in ("all", "project", "by_project"):
                if fname == "by_project" and query != "complaints":
                    continue
                if query == "complaint_details" and fname == "all":
                    continue  # one row per complaint: the project case is enough
                for as_of in (None, AS_OF):
                    name = f"{grain}/{fname}/all/{'asof' if as_of else 'now'}"
                    kwargs = {"grain": grain, "as_of": as_of, **FILTERS[fname]}
                    yield Case(query, name, kwargs, rules=True, ordered=query == "complaints")


def cell(value: Any) -> str:
    """Full precision, ISO dates, empty for NULL."""
    if value is None:
        return ""
    try:
        if value != value:  # NaN / pd.NA-like
            return ""
    except (TypeError, ValueError):
        if str(value) == "<NA>":
            return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    return str(value)


def run_case(con: Any, case: Case) -> tuple[list[str], list[list[str]]]:
    from dashboard import kpis
    from dashboard.settings import Settings, load_settings

    settings = load_settings(RULES_SETTINGS) if case.rules else Settings()
    kwargs = {k: v for k, v in case.kwargs.items() if v is not None}
    frame = kpis.compute(con, case.query, settings=settings, engine="duckdb", **kwargs)
    header = [str(c) for c in frame.columns]
    rows = [[cell(v) for v in row] for row in frame.astype(object).itertuples(index=False)]
    if not case.ordered:
        rows.sort()
    return header, rows


def build_demo_db(path: Path) -> Path:
    from dashboard.paths import DATA_DIR
    from dashboard.pipeline import import_files as ingest_paths

    ingest_paths([DATA_DIR], db=path)
    return path


def compute_all(con: Any) -> dict[str, list[list[str]]]:
    """file name -> rows: ``case, column...`` header lines per case, then its rows."""
    files: dict[str, list[list[str]]] = {}
    for case in cases():
        header, rows = run_case(con, case)
        out = files.setdefault(case.file, [])
        out.append(["#case", case.name, *header])
        out.extend([case.name, "", *row] for row in rows)
    return files


def main() -> int:
    import tempfile

    from dashboard.db import connect_readonly

    with tempfile.TemporaryDirectory() as tmp:
        db = build_demo_db(Path(tmp) / "demo.duckdb")
        con = connect_readonly(db)
        try:
            files = compute_all(con)
        finally:
            con.close()
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        with open(GOLDEN_DIR / name, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerows(lines)
    print(f"wrote {len(files)} files to {GOLDEN_DIR}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
