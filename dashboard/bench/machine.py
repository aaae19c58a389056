"""A description of the machine the benchmark ran on (for the report's first section)."""

from __future__ import annotations

import os
import platform
import resource
import sys
from datetime import datetime
from importlib import metadata


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float | None:
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe() -> dict[str, object]:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": _cpu_model(),
        "cores": cores,
        "ram_gb": _ram_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": _version("duckdb"),
        "pandas": _version("pandas"),
        "numpy": _version("numpy"),
        "streamlit": _version("streamlit"),
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "load_average_at_start": load_average(),
        "cpu_check_at_start": cpu_check(),
        "command": " ".join(["kpi", *sys.argv[1:]]) if sys.argv else "kpi bench",
    }


CPU_CHECK_STEPS = 10_000_000


def _loop_seconds() -> float:
    import time

    start = time.perf_counter()
    total = 0
    for step in range(CPU_CHECK_STEPS):
        total += step
    return time.perf_counter() - start


def cpu_check() -> dict[str, float]:
    """How fast this machine runs right now: a fixed single-threaded Python loop alone
    ("one"), then two of them at once in two processes ("two", wall time). A shared VM's
    speed drifts (the loop took 0.25 s and 0.41 s ten minutes apart here) and its second
    core is sometimes not there (then "two" is about twice "one"); the report prints both,
    at the start and the end of the run."""
    import multiprocessing
    import time

    one = _loop_seconds()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.apply(int)  # start both workers before timing
        start = time.perf_counter()
        runs = [pool.apply_async(_loop_seconds) for _ in range(2)]
        for run in runs:
            run.get()
        two = time.perf_counter() - start
    return {"one": round(one, 3), "two": round(two, 3)}


def load_average() -> list[float] | None:
    """1, 5 and 15 minute load averages: other work on the machine skews small timings."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def peak_rss_mb() -> float:
    """High-water mark of this process's resident memory, in MB.

    Linux: ``VmHWM`` of /proc/self/status, the peak of this program's own memory.
    ``getrusage().ru_maxrss`` is not used there: it carries over the *parent's* RSS at fork
    time into a child started with subprocess, so a child of a big parent would report the
    parent's size. Elsewhere ru_maxrss is the best there is.
    """
    try:
        with open("/proc/self/status", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
