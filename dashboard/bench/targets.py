"""The benchmark's targets (issues #6, #13, #14) and the report's table of them."""

from __future__ import annotations

from dashboard.bench.md_format import case_label, mark, ms, table

# Targets of issue #6, at 100x on 2 cores; round two's (#14) where marked.

INGEST_TOTAL_S = 30.0
INGEST_FLOOR_RATIO = 2.0  # ingest within 2x of the bare libraries (#14)
PROCESS_RATIO = 4.0  # `kpi show` as a process >= 4x faster than a pandas script (#14)
BROWSER_OVERVIEW_S = 0.8  # the Overview settled in a browser (#14)
BROWSER_PAGE_S = 1.5  # every page settled in a browser
# round two (#14): every KPI with any filter, both grains, as-of too
KPI_WARM_S = 0.020
OVERVIEW_COLD_S = 0.100
OVERVIEW_CACHED_S = 0.100
APP_MEMORY_MB = 1.5 * 1024
INGEST_MEMORY_MB = 2 * 1024
PANDAS_RATIO = 5.0  # summed over every case; and never slower in any one case
KPI_SHOW_S = 0.35  # `kpi show` as a process on the embedded database (#13)
GROWTH_EXPONENT = 1.1  # "no faster than linearly" with a little room for noise
TARGET_SCALE = 100


def targets_section(results: dict[str, object], largest: dict[str, object]) -> str:
    scale = largest["scale"]
    note = ""
    if scale < TARGET_SCALE:
        note = (
            f"\n_The largest scale of this run is {scale:g}x, not {TARGET_SCALE}x: the marks "
            "below say whether the targets hold at this smaller size only._\n"
        )
    ingest_total = largest["ingest"]["total_seconds"]
    floor = largest.get("ingest_floor")
    floor_ratio = (
        ingest_total / floor["total_seconds"] if floor and floor["total_seconds"] else None
    )
    slowest = max(largest["kpis"], key=lambda k: k["seconds"])
    ratios = largest["pandas"]["kpis"]
    worst_ratio = min(ratios, key=lambda p: p["ratio"])
    pandas_total = sum(p["seconds"] for p in ratios)
    product_total = sum(p["seconds"] / p["ratio"] for p in ratios if p["ratio"])
    summed_ratio = pandas_total / product_total if product_total else None
    ingest_mb = largest["ingest"].get("peak_rss_mb")
    ov = largest["overview"]
    mem = largest["app_memory"]["peak_rss_mb"]
    kpi_exponents = {
        name: e
        for name, e in results.get("growth", {}).items()
        if e is not None and name.split(" ")[0] in results["kpi_names"]
    }
    worst_growth = max(kpi_exponents.items(), key=lambda kv: kv[1]) if kpi_exponents else None
    rows = [
        [
            "all five exports ingested",
            f"<= {INGEST_TOTAL_S:.0f} s",
            f"{ingest_total:.1f} s",
            mark(ingest_total <= INGEST_TOTAL_S),
        ],
        [
            "ingest vs the bare libraries (same files, same run)",
            f"<= {INGEST_FLOOR_RATIO:g}x the floor",
            f"{floor_ratio:.1f}x ({floor['total_seconds']:.1f} s floor)"
            if floor_ratio
            else "not measured",
            mark(floor_ratio <= INGEST_FLOOR_RATIO) if floor_ratio else "n/a",
        ],
        [
            "every KPI query, warm (slowest case)",
            f"<= {KPI_WARM_S * 1000:.0f} ms",
            f"{ms(slowest['seconds'])} ms ({' / '.join(case_label(slowest))})",
            mark(all(k["seconds"] <= KPI_WARM_S for k in largest["kpis"])),
        ],
        [
            "Overview data, cold",
            f"<= {OVERVIEW_COLD_S * 1000:.0f} ms",
            f"{ms(ov['cold_seconds'])} ms",
            mark(ov["cold_seconds"] <= OVERVIEW_COLD_S),
        ],
        [
            "Overview data, cached",
            f"<= {OVERVIEW_CACHED_S * 1000:.0f} ms",
            f"{ms(ov['cached_seconds'])} ms",
            mark(ov["cached_seconds"] <= OVERVIEW_CACHED_S),
        ],
        [
            "peak memory of the ingest",
            f"<= {INGEST_MEMORY_MB:,.0f} MB",
            f"{ingest_mb:,.0f} MB" if ingest_mb is not None else "not measured",
            mark(ingest_mb <= INGEST_MEMORY_MB) if ingest_mb is not None else "n/a",
        ],
        [
            "peak memory of the app (data side)",
            f"<= {APP_MEMORY_MB:,.0f} MB",
            f"{mem:,.0f} MB",
            mark(mem <= APP_MEMORY_MB),
        ],
        [
            "every KPI case vs pandas (smallest ratio)",
            "never slower (>= 1x)",
            f"{worst_ratio['ratio']:.1f}x ({' / '.join(case_label(worst_ratio))})",
            mark(all(p["ratio"] >= 1 for p in ratios)),
        ],
        [
            "all KPI cases vs pandas, summed",
            f">= {PANDAS_RATIO:.0f}x faster",
            f"{summed_ratio:.1f}x" if summed_ratio else "not measured",
            mark(summed_ratio >= PANDAS_RATIO) if summed_ratio else "n/a",
        ],
        _process_target(largest),
        _kpi_show_target(results),
        *_browser_targets(largest),
        [
            "KPI query time growth (largest exponent)",
            f"<= ~1 (we allow {GROWTH_EXPONENT})",
            f"{worst_growth[1]:.2f} ({worst_growth[0]})" if worst_growth else "one scale only",
            mark(worst_growth[1] <= GROWTH_EXPONENT) if worst_growth else "n/a",
        ],
    ]
    return (
        f"## Targets at {scale:g}x\n{note}\n"
        + table(["target", "goal", "measured", "status"], rows)
        + "\n"
    )


def _process_target(largest: dict[str, object]) -> list[object]:
    cases = (largest.get("processes") or {}).get("cases") or []
    ratios = [c for c in cases if c.get("ratio")]
    if not ratios:
        return [
            "`kpi show` as a process vs a pandas script",
            f">= {PROCESS_RATIO:g}x",
            "not measured",
            "n/a",
        ]
    worst = min(ratios, key=lambda c: c["ratio"])
    return [
        "`kpi show` as a process vs a pandas script (smallest ratio)",
        f">= {PROCESS_RATIO:g}x faster",
        f"{worst['ratio']:.1f}x ({worst['kpi']}: {worst['kpi_show_seconds']:.2f} s vs "
        f"{worst['pandas_seconds']:.2f} s)",
        mark(all(c["ratio"] >= PROCESS_RATIO for c in ratios)),
    ]


def _kpi_show_target(results: dict[str, object]) -> list[object]:
    # judged at the smallest scale: the embedded database is the 1x demo
    scales = [s for s in results["scales"] if (s.get("processes") or {}).get("cases")]
    if not scales:
        return ["`kpi show` as a process", f"<= {KPI_SHOW_S:g} s", "not measured", "n/a"]
    smallest = min(scales, key=lambda s: s["scale"])
    slowest = max(smallest["processes"]["cases"], key=lambda c: c["kpi_show_seconds"])
    return [
        f"`kpi show` as a process at {smallest['scale']:g}x (slowest KPI)",
        f"<= {KPI_SHOW_S:g} s",
        f"{slowest['kpi_show_seconds']:.2f} s ({slowest['kpi']})",
        mark(slowest["kpi_show_seconds"] <= KPI_SHOW_S),
    ]


def _browser_targets(largest: dict[str, object]) -> list[list[object]]:
    pages = (largest.get("browser") or {}).get("pages")
    if not pages:
        why = (largest.get("browser") or {}).get("skipped", "not measured")
        return [["pages in a browser", f"<= {BROWSER_PAGE_S:g} s", f"skipped: {why}", "n/a"]]
    overview = next(p for p in pages if p["page"] == "overview")
    worst = max(pages, key=lambda p: max(p["seconds"], p["filtered_seconds"] or 0))
    worst_s = max(worst["seconds"], worst["filtered_seconds"] or 0)
    return [
        [
            "Overview in a browser, settled",
            f"<= {BROWSER_OVERVIEW_S:g} s",
            f"{overview['seconds']:.2f} s",
            mark(overview["seconds"] <= BROWSER_OVERVIEW_S),
        ],
        [
            "every page in a browser, settled (slowest, filter included)",
            f"<= {BROWSER_PAGE_S:g} s",
            f"{worst_s:.2f} s ({worst['page']})",
            mark(worst_s <= BROWSER_PAGE_S),
        ],
    ]
