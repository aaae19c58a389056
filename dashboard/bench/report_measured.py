"""The report's sections of measured figures: ingest, KPI queries, pandas, the Overview,
memory, processes, the browser, growth."""

from __future__ import annotations

from dashboard.bench.md_format import case_label, mark, ms, num, table
from dashboard.bench.targets import (
    APP_MEMORY_MB,
    GROWTH_EXPONENT,
    KPI_WARM_S,
    OVERVIEW_CACHED_S,
    OVERVIEW_COLD_S,
    PANDAS_RATIO,
)


def browser_section(scales: list[dict[str, object]]) -> str:
    rows = []
    notes = []
    for s in scales:
        b = s.get("browser") or {}
        if "skipped" in b:
            notes.append(f"{s['scale']:g}x: skipped ({b['skipped']})")
            continue
        for p in b.get("pages", []):
            filtered = p["filtered_seconds"]
            rows.append(
                [
                    f"{s['scale']:g}x",
                    p["page"],
                    f"{p['seconds']:.2f}",
                    "-" if filtered is None else f"{filtered:.2f}",
                ]
            )
    if not rows and not notes:
        return ""
    text = (
        "## Pages in a browser\n\n"
        "Headless Chromium (Playwright) against `streamlit run app.py` on the run's database: "
        "seconds from navigation until the script has finished and every chart is drawn "
        "(median of 2), plain and with a region filter in the URL (the largest region).\n\n"
    )
    if rows:
        text += table(["scale", "page", "seconds", "with a region filter"], rows) + "\n"
    if notes:
        text += "\n" + "; ".join(notes) + "\n"
    return text


def process_section(scales: list[dict[str, object]]) -> str:
    rows = []
    for s in scales:
        proc = s.get("processes")
        if not proc:
            continue
        for c in proc["cases"]:
            rows.append(
                [
                    f"{s['scale']:g}x",
                    c["kpi"],
                    f"{c['kpi_show_seconds']:.2f}",
                    f"{c['pandas_seconds']:.2f}",
                    f"{c['ratio']:.1f}x" if c.get("ratio") else "-",
                ]
            )
        rows.append([f"{s['scale']:g}x", "`kpi --help`", f"{proc['help_seconds']:.2f}", "", ""])
        if proc.get("python_seconds") is not None:
            floor = f"{proc['python_seconds']:.2f}"
            rows.append([f"{s['scale']:g}x", "`python -c pass` (the floor)", floor, "", ""])
    if not rows:
        return ""
    return (
        "## Command line, as processes\n\n"
        "What a user at a terminal waits for, start-up and imports included (median wall time "
        "of a fresh process): `kpi show KPI --format csv` on the run's database against "
        "`python -m dashboard.bench.pandas_script`, which reads clean Parquet copies of the "
        "tables with pandas and prints the same KPI (the pandas baseline's code). The two "
        "commands run in turn, round after round, so a passing load weighs on both.\n\n"
        + table(["scale", "KPI", "kpi show s", "pandas script s", "pandas / kpi show"], rows)
        + "\n"
    )


def ingest_section(scales: list[dict[str, object]]) -> str:
    rows = []
    for s in scales:
        floor = (s.get("ingest_floor") or {}).get("kinds", {})
        for kind, k in s["ingest"]["kinds"].items():
            secs = k["seconds"]
            bare = (floor.get(kind) or {}).get("seconds")
            rows.append(
                [
                    f"{s['scale']:g}x",
                    kind,
                    ", ".join(k["formats"]),
                    k["files"],
                    num(k["rows_in_file"]),
                    num(k["bytes"] / 1e6, 1),
                    f"{secs:.2f}",
                    f"{bare:.2f}" if bare else "-",
                    f"{secs / bare:.1f}x" if bare else "-",
                    num(k["rows_in_file"] / secs if secs else None),
                    num(k["bytes"] / 1e6 / secs if secs else None, 1),
                    num(k["loaded"]),
                    num(k["rejected"]),
                    num(k["duplicates"]),
                ]
            )
        total = s["ingest"]
        floor_total = (s.get("ingest_floor") or {}).get("total_seconds")
        rows.append(
            [
                f"**{s['scale']:g}x**",
                "**all five**",
                "",
                sum(k["files"] for k in total["kinds"].values()),
                num(sum(k["rows_in_file"] for k in total["kinds"].values())),
                num(sum(k["bytes"] for k in total["kinds"].values()) / 1e6, 1),
                f"**{total['total_seconds']:.2f}**",
                f"{floor_total:.2f}" if floor_total else "-",
                f"**{total['total_seconds'] / floor_total:.1f}x**" if floor_total else "-",
                "",
                "",
                num(sum(k["loaded"] for k in total["kinds"].values())),
                num(sum(k["rejected"] for k in total["kinds"].values())),
                num(sum(k["duplicates"] for k in total["kinds"].values())),
            ]
        )
    failed = [f for s in scales for k in s["ingest"]["kinds"].values() for f in k["failed"]]
    text = (
        "## Ingest\n\n"
        "Each kind's export files go through one `pipeline.import_files(files, kind=..., progress=True)` "
        "call into the same fresh database (in a child process), timed on its own; 'rows' are "
        "the rows in the files (loaded + rejected + duplicates). The time includes parsing, "
        "cleaning, rejects bookkeeping and the atomic publish of the database file. *floor* is "
        "the same files moved into DuckDB by the bare libraries in the same run, with no checks "
        "(`dashboard/bench/floor.py`: decode, `read_csv(all_varchar)`, python-calamine, "
        "`read_parquet`); *x floor* is the ingest's multiple of it.\n\n"
        + table(
            [
                "scale",
                "kind",
                "formats",
                "files",
                "rows",
                "MB",
                "seconds",
                "floor s",
                "x floor",
                "rows/s",
                "MB/s",
                "loaded",
                "rejected",
                "duplicates",
            ],
            rows,
        )
        + "\n"
    )
    if failed:
        text += "\nFiles rejected whole: " + "; ".join(failed[:10]) + "\n"
    return text


def _by_case(scales: list[dict[str, object]], key: str) -> dict[tuple, list[dict]]:
    cases: dict[tuple, list[dict]] = {}
    for s in scales:
        items = s[key] if key == "kpis" else s["pandas"]["kpis"]
        for k in items:
            cases.setdefault(case_label(k), []).append(k)
    return cases


def kpi_section(scales: list[dict[str, object]]) -> str:
    header = ["KPI", "grain", "filter"]
    header += [f"{s['scale']:g}x ms" for s in scales]
    header += [f"{scales[-1]['scale']:g}x rows out", f"<= {KPI_WARM_S * 1000:.0f} ms"]
    rows = []
    for label, ks in _by_case(scales, "kpis").items():
        rows.append(
            [
                *label,
                *(ms(k["seconds"]) for k in ks),
                ks[-1]["result_rows"],
                mark(ks[-1]["seconds"] <= KPI_WARM_S),
            ]
        )
    project = scales[-1].get("filter_project")
    return (
        "## KPI queries\n\n"
        "`dashboard.kpis.compute(con, kpi, grain=..., projects=...)` on a read-only snapshot "
        "connection, returning the DataFrame the app shows; warm (one untimed run first), "
        f"median of the timed runs. 'one project' filters to the project with the most orders "
        f"(`{project}` at the largest scale).\n\n" + table(header, rows) + "\n"
    )


def pandas_section(scales: list[dict[str, object]]) -> str:
    header = ["KPI", "grain", "filter"]
    for s in scales:
        header += [f"{s['scale']:g}x pandas ms", f"{s['scale']:g}x ratio"]
    header += [f">= {PANDAS_RATIO:.0f}x", "same numbers"]
    rows = []
    for label, ps in _by_case(scales, "pandas").items():
        cells: list[object] = [*label]
        for p in ps:
            cells += [ms(p["seconds"]), f"{p['ratio']:.1f}x"]
        cells.append(mark(ps[-1]["ratio"] >= PANDAS_RATIO))
        cells.append(_agree(ps))
        rows.append(cells)
    totals = []
    for s in scales:
        product = sum(k["seconds"] for k in s["kpis"])
        pandas = sum(p["seconds"] for p in s["pandas"]["kpis"])
        load = s["pandas"]["load_seconds"]
        totals.append(
            [
                f"{s['scale']:g}x",
                ms(product),
                ms(pandas),
                f"{pandas / product:.1f}x",
                f"{load:.2f} s",
                f"{(load + pandas) / product:.1f}x",
            ]
        )
    return (
        "## Pandas baseline\n\n"
        "The same KPIs computed by `dashboard/bench/pandas_baseline.py`, a straightforward "
        "pandas script as a user would write it (groupby, merge, a loop over periods where "
        "the definition walks periods). It lives in the benchmark only and is tested to give "
        "the product's numbers. Its tables are loaded from DuckDB once, *outside* the timed "
        "part, as the issue asks (this flatters pandas: see the load column of the second "
        "table). Ratio = pandas time / product time, same case, same run. 'same numbers': "
        "the baseline's table equalled the product's (columns, rows, values) at every scale "
        "of this run.\n\n"
        + table(header, rows)
        + "\n\nAll cases together: the sum of the medians above, and what the ratio becomes "
        "when pandas pays for loading its tables once (a real script also parses the export "
        "files every run, which costs more again).\n\n"
        + table(
            [
                "scale",
                "product ms (all cases)",
                "pandas ms (all cases)",
                "ratio",
                "pandas table load",
                "ratio incl. one load",
            ],
            totals,
        )
        + "\n"
    )


def _agree(cases: list[dict[str, object]]) -> str:
    """'yes' when the baseline gave the product's table at every scale."""
    flags = [c.get("matches") for c in cases]
    if any(f is False for f in flags):
        return "**NO**"
    return "yes" if flags and all(f is True for f in flags) else "not checked"


def overview_section(results: dict[str, object], scales: list[dict[str, object]]) -> str:
    rows = [
        [
            f"{s['scale']:g}x",
            ms(s["overview"]["cold_seconds"]),
            mark(s["overview"]["cold_seconds"] <= OVERVIEW_COLD_S),
            ms(s["overview"]["cached_seconds"]),
            mark(s["overview"]["cached_seconds"] <= OVERVIEW_CACHED_S),
        ]
        for s in scales
    ]
    return (
        "## Overview data\n\n"
        f"What is measured: {results['overview_method']}. Cold = a new read-only snapshot "
        "connection and an emptied cache, then the call; cached = the same call again "
        "(Streamlit's `st.cache_data` works outside `streamlit run`, in 'bare mode', so the "
        "app's own cache layer is what is measured). Medians of the repeated runs.\n\n"
        + table(
            [
                "scale",
                "cold ms",
                f"<= {OVERVIEW_COLD_S * 1000:.0f} ms",
                "cached ms",
                f"<= {OVERVIEW_CACHED_S * 1000:.0f} ms",
            ],
            rows,
        )
        + "\n"
        + _breakdown(scales[-1])
    )


def _breakdown(largest: dict[str, object]) -> str:
    calls = largest["overview"].get("cold_breakdown") or []
    if not calls:
        return ""
    rows = [
        [c["query"], c.get("grain", ""), c.get("from", ""), c.get("by", ""), ms(c["seconds"])]
        for c in calls
    ]
    return (
        f"\nWhere a cold build's time goes at {largest['scale']:g}x (one extra cold run, each "
        "query of the page timed; the queries are those of `data_access`, in call order):\n\n"
        + table(["query", "grain", "from", "by", "ms"], rows)
        + "\n"
    )


def memory_section(results: dict[str, object], scales: list[dict[str, object]]) -> str:
    rows = [
        [
            f"{s['scale']:g}x",
            num(sum(s["rows"].values())),
            num(s["db_mb"], 1),
            num(s["app_memory"]["peak_rss_mb"]),
            mark(s["app_memory"]["peak_rss_mb"] <= APP_MEMORY_MB),
            num(s["app_memory"].get("imports_rss_mb")),
            num(s["ingest"]["peak_rss_mb"]),
        ]
        for s in scales
    ]
    return (
        "## Memory\n\n"
        "Peak resident memory (RSS high-water mark: `VmHWM` of /proc/self/status; not "
        "`getrusage`, whose ru_maxrss a child inherits from its parent at fork) of child "
        "processes, so each figure is its own: *app* = a process that opens a read-only snapshot, builds the "
        "Overview data and runs every KPI case (what a dashboard process does with the data; "
        "the Streamlit web server itself adds a constant on top); *after imports* = the same "
        "process before touching data; *ingest* = the process importing all five exports. "
        f"The benchmark process itself (holding the pandas tables) peaked at "
        f"{results.get('bench_peak_rss_mb', 0):,.0f} MB.\n\n"
        + table(
            [
                "scale",
                "rows in DB",
                "DB file MB",
                "app peak MB",
                f"<= {APP_MEMORY_MB:,.0f} MB",
                "after imports MB",
                "ingest peak MB",
            ],
            rows,
        )
        + "\n"
    )


def growth_section(results: dict[str, object]) -> str:
    growth = results.get("growth") or {}
    if not growth:
        return (
            "## Growth\n\nOne scale only: no growth exponent (run with several scales, "
            "e.g. `--scales 1,10,100`).\n"
        )
    from dashboard.bench.runner import growth as fit_growth

    scales = results["scales"]
    # The slope between the two largest scales: fixed costs weigh less there, so it shows
    # the growth ahead better than the fit over all scales does.
    last_step = fit_growth(scales[-2:]) if len(scales) >= 3 else {}
    step_label = f"{scales[-2]['scale']:g}x -> {scales[-1]['scale']:g}x" if last_step else ""
    kpi_names = set(results["kpi_names"])
    rows = []
    for name, e in growth.items():
        is_kpi = name.split(" ")[0] in kpi_names
        row = [
            name,
            "" if e is None else f"{e:.2f}",
            mark(e <= GROWTH_EXPONENT) if is_kpi and e is not None else "",
        ]
        if last_step:
            step = last_step.get(name)
            row.append("" if step is None else f"{step:.2f}")
        rows.append(row)
    header = ["figure", "exponent (all scales)", f"<= {GROWTH_EXPONENT}"]
    if last_step:
        header.append(f"slope {step_label}")
    return (
        "## Growth\n\n"
        "Exponent b of a least-squares fit time = a * rows^b (numpy `polyfit` of log time on "
        "log rows) over all scales of the run; rows = the table the figure depends on (orders "
        "for retention and cohorts, complaints, surveys, VIP contacts; all rows for ingest "
        "total, Overview and memory). b = 1 is linear growth; b well below 1 means fixed "
        "costs still dominate at these sizes. Only KPI queries carry the target (judged on "
        "the fit over all scales, as the issue asks); the last column is the slope between "
        "the two largest scales alone, where fixed costs weigh least - a value above 1 there "
        "warns of superlinear growth ahead.\n\n" + table(header, rows) + "\n"
    )
