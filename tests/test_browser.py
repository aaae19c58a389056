"""Real-browser test: `streamlit run app.py` driven by Playwright through Debian's chromium.

The way Streamlit's own repo does it: start the server on a free port, poll
/_stcore/health, wait until the app's script has finished (data-test-script-state), then
act. Screenshots go to tests/artifacts/ (not committed). Without chromium the test is
skipped on a developer machine but fails in CI (CI installs it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests_ui_support import build_tiny_db, served_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _require_browser() -> None:
    missing = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "playwright is not installed"
    if missing is None and not Path(CHROMIUM).exists():
        missing = f"no chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run in CI: {missing}")
        pytest.skip(missing)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_browser()
    db = build_tiny_db(tmp_path_factory.mktemp("browser") / "kpi.duckdb")
    with served_app({"KPI_DB": str(db)}, tmp_path_factory.getbasetemp() / "streamlit.log") as url:
        yield url


def test_overview_filter_and_language_in_a_real_browser(app_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1800})
            page.goto(app_url)
            page.wait_for_selector(APP_IDLE, timeout=60_000)
            metrics = page.locator("[data-testid='stMetric']")
            expect(metrics).to_have_count(13, timeout=60_000)
            first_value = metrics.first.locator("[data-testid='stMetricValue']")
            # Tiny DB, week of 2026-11-02: c1, c4, c6 ordered -> 3 active customers.
            expect(first_value).to_have_text("3")
            expect(page.locator("h1")).to_contain_text("总览")
            page.wait_for_timeout(1500)  # let the sparklines draw
            page.screenshot(path=str(ARTIFACTS / "overview_zh.png"), full_page=True)

            # Filter to region 华南 in the sidebar: only c4 ordered that week -> 1.
            sidebar = page.locator("[data-testid='stSidebar']")
            sidebar.locator("[data-testid='stMultiSelect']").first.click()
            page.keyboard.type("华南")
            page.keyboard.press("Enter")
            expect(first_value).to_have_text("1", timeout=30_000)
            assert "region=" in page.url

            # Switch the language.
            sidebar.get_by_text("English", exact=True).click()
            expect(page.locator("h1")).to_contain_text("Overview", timeout=30_000)
            expect(metrics.first).to_contain_text("Active customers")
            page.wait_for_selector(APP_IDLE)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ARTIFACTS / "overview_en_region.png"), full_page=True)

            # Another page keeps the filters (query params are re-applied after the switch).
            page.get_by_role("link", name="Retention").click()
            expect(page.locator("h1")).to_contain_text("Retention", timeout=30_000)
            page.wait_for_selector(APP_IDLE)
            assert "region=" in page.url and "lang=en" in page.url
            expect(page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible(
                timeout=30_000
            )
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ARTIFACTS / "retention_en.png"), full_page=True)
        finally:
            browser.close()
