"""Browser latency (#14): how long a person waits, in a real browser, for each page of the
app on the benchmark's database - from navigation until the page has settled (the script
finished and the charts drawn), and again with a region filter in the URL.

The run also times the floor: a one-line Streamlit page served and loaded the same way,
what any page costs before it computes or draws anything (#14: the pages' figures are read
against it).

Needs Playwright and Debian's chromium (``/usr/bin/chromium``, or ``$CHROMIUM``); without
them the stage is skipped and the report says why. The app is started on 127.0.0.1 on a
free port for the measurement and stopped afterwards.
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from dashboard.paths import PROJECT_ROOT

PAGES = ("", "retention", "complaints", "satisfaction", "vip", "projects", "analyst", "data")
SETTLED = "[data-testid='stApp'][data-test-script-state='notRunning']"
FLOOR_APP = 'import streamlit as st\n\nst.title("Floor")\nst.write("Nothing to compute.")\n'
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str:
    return os.environ.get("CHROMIUM", "/usr/bin/chromium")


def missing() -> str | None:
    """Why the stage cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    if not Path(chromium_path()).exists():
        return f"no chromium at {chromium_path()} (apt-get install chromium)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy")


def _settle_seconds(page: object, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(SETTLED, timeout=120_000)
    # charts draw after the script: wait until every chart container has its canvas/svg
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]"
        ".every(c => c.querySelector('canvas, svg'))",
        timeout=120_000,
    )
    return time.perf_counter() - start


@contextlib.contextmanager
def _served(app: str, cwd: Path, env: dict[str, str]):
    """``streamlit run app`` on 127.0.0.1 until the block ends; yields its URL."""
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", app,
            "--server.headless", "true", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _floor_seconds(browser: object, repeat: int) -> float:
    """Median seconds of the one-line page (``FLOOR_APP``), warmed once like the pages."""
    with tempfile.TemporaryDirectory(prefix="kpi-floor-") as folder:
        (Path(folder) / "floor.py").write_text(FLOOR_APP, encoding="utf-8")
        with _served("floor.py", Path(folder), dict(os.environ)) as url:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            try:
                _settle_seconds(page, url)
                return statistics.median(_settle_seconds(page, url) for _ in range(repeat))
            finally:
                page.close()


def measure(
    db: Path, region: str | None, repeat: int = 2, pages: tuple[str, ...] = PAGES
) -> dict[str, object]:
    """Median seconds per page (plain and with ``?region=``) and of the floor page, or
    ``{"skipped": why}``."""
    why = missing()
    if why:
        return {"skipped": why}
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "KPI_DB": str(db)}
    quoted = urllib.parse.quote(region or "")
    timings: list[dict[str, object]] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            with _served("app.py", PROJECT_ROOT, env) as url:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                _settle_seconds(page, f"{url}/?lang=en")  # warm the server once
                for name in pages:
                    plain = [_settle_seconds(page, f"{url}/{name}?lang=en") for _ in range(repeat)]
                    filtered = (
                        [
                            _settle_seconds(page, f"{url}/{name}?lang=en&region={quoted}")
                            for _ in range(repeat)
                        ]
                        if region
                        else []
                    )
                    timings.append(
                        {
                            "page": name or "overview",
                            "seconds": statistics.median(plain),
                            "filtered_seconds": statistics.median(filtered) if filtered else None,
                        }
                    )
                page.close()
            floor = _floor_seconds(browser, repeat)
        finally:
            browser.close()
    return {"pages": timings, "region": region, "floor_seconds": floor}
