"""The report's sections about the run itself: the machine, its load, how to reproduce it,
the method."""

from __future__ import annotations

from dashboard.bench.md_format import table

REPRODUCE = "kpi bench --scales 1,10,100 --repeat 5 --out docs/BENCHMARKS.md"


def busy_warning(results: dict[str, object]) -> str:
    """Say so when other work competed for the CPU: every timing is then inflated."""
    m = results["machine"]
    cores = m.get("cores") or 1
    # Before the run any load is someone else's; at its end the benchmark itself accounts
    # for up to about one core (pandas is single-threaded, DuckDB uses all cores briefly).
    start, end = m.get("load_average_at_start"), results.get("load_average_at_end")
    busy_start = bool(start) and start[0] > 0.75 * cores
    busy_end = bool(end) and end[0] > 1.25 * cores
    warnings = []
    if busy_start or busy_end:
        loads = [values[0] for values in (start, end) if values]
        warnings.append(
            f"> **The machine was busy during this run** (1-minute load average up to "
            f"{max(loads):.1f} on {cores} cores, from other processes as well as the "
            "benchmark): timings are inflated, ingest and cold figures most. Compare runs made "
            "on a quiet machine before drawing conclusions from small differences.\n"
        )
    checks = [c for c in (m.get("cpu_check_at_start"), results.get("cpu_check_at_end")) if c]
    if cores >= 2 and any(isinstance(c, dict) and c["two"] > 1.6 * c["one"] for c in checks):
        warnings.append(
            "> **Fewer than two cores were free** during this run: two loops side by side took "
            "much longer than one (see the CPU check under Machine), so multi-threaded work "
            "(ingest, DuckDB queries) ran slower than on two free cores.\n"
        )
    return "\n".join(warnings)


def machine_section(results: dict[str, object]) -> str:
    m = results["machine"]
    rows = [
        ["CPU", m["cpu"]],
        ["cores available", m["cores"]],
        ["RAM", f"{m['ram_gb']:.1f} GB" if m.get("ram_gb") else "unknown"],
        ["OS", m["os"]],
        ["Python", m["python"]],
        ["DuckDB", m["duckdb"]],
        ["pandas", m["pandas"]],
        ["numpy", m["numpy"]],
        ["Streamlit", m["streamlit"]],
        ["date", m["date"]],
        [
            "load average (1/5/15 min) at start / end",
            f"{_loads(m.get('load_average_at_start'))} / "
            f"{_loads(results.get('load_average_at_end'))}",
        ],
        [
            "CPU check at start / end: a 10 M-step Python loop alone, then two at once in "
            "2 processes (about equal = 2 free cores; lower is faster)",
            f"{_cpu_check(m.get('cpu_check_at_start'))} / "
            f"{_cpu_check(results.get('cpu_check_at_end'))}",
        ],
    ]
    return "## Machine\n\n" + table(["", ""], rows) + "\n"


def _cpu_check(value: dict[str, float] | None) -> str:
    if not isinstance(value, dict):
        return "not measured"
    return f"{value['one']:.2f} s, {value['two']:.2f} s"


def _loads(values: list[float] | None) -> str:
    return "unknown" if not values else " ".join(f"{v:.2f}" for v in values)


def _project_relative(path: str) -> str:
    from pathlib import Path

    from dashboard.paths import PROJECT_ROOT

    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return path


def reproduce_section(results: dict[str, object]) -> str:
    cfg = results["config"]
    scales = ",".join(f"{s:g}" for s in cfg["scales"])
    return (
        "## Reproduce\n\n"
        f"```\npip install -e .\n{REPRODUCE}\n```\n\n"
        f"This file was produced with scales {scales}, {cfg['repeat']} timed runs per KPI "
        f"(after one warm-up run), {cfg['pandas_repeat']} per pandas computation, seed "
        f"{cfg['seed']}, data under `{_project_relative(cfg['workdir'])}` (generated exports are reused when the "
        "scale and seed match). The raw figures are in `results.json` there.\n"
    )


def method_section(results: dict[str, object]) -> str:
    return (
        "## Method and caveats\n\n"
        "- Demo exports come from `dashboard.demo.generate(out_dir, scale, seed)`: messy "
        "files as users hand them over (GBK and UTF-8 CSV, XLSX, ...), 1x = the embedded "
        "default size.\n"
        "- Wall-clock times with `time.perf_counter`; the machine was otherwise not idle-"
        "guaranteed, so small figures (a few ms) carry noise of a few ms.\n"
        "- No test asserts any of these timings (issue #6 rule); CI may run "
        "`kpi bench --scales 0.05 --repeat 1` as a smoke test.\n"
        "- Where a target is missed, the profile-based account of why, and what to change, "
        "follows (kept in `dashboard/bench/notes.md`, appended by `kpi bench`).\n"
    )
