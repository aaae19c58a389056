"""Real browser (#11): an open session follows a command-line import to the new week, and
the URL never carries an end date the user did not choose."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import APP_IDLE, CHROMIUM, CHROMIUM_ARGS, ROOT, _require_browser
from tests_ui_support import build_tiny_db, served_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def served_db(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    _require_browser()
    db = build_tiny_db(tmp_path / "kpi.duckdb")
    with served_app({"KPI_DB": str(db)}, tmp_path / "streamlit.log") as url:
        yield url, db


def test_an_open_session_follows_a_command_line_import(served_db, tmp_path) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, db = served_db
    newer = tmp_path / "orders_newer.csv"
    # Friday 2026-11-20: the data now end in W47, so the latest complete week is W46
    newer.write_text(
        "order_id,customer_id,project,region,ordered_at\n"
        "n1,c1,Alpha,East,2026-11-12 10:00\n"
        "n2,c4,深圳湾,华南,2026-11-20 10:00\n",
        encoding="utf-8",
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1400})
            page.goto(f"{url}/?lang=en")
            page.wait_for_selector(APP_IDLE, timeout=60_000)
            heading = page.locator("[data-testid='stHeading']").filter(has_text="Week 2026-W")
            # the tiny database ends on Wednesday 11-11: latest complete week W45
            expect(heading.first).to_contain_text("Week 2026-W45", timeout=60_000)

            result = subprocess.run(
                [sys.executable, "-m", "dashboard.cli", "ingest", str(newer), "--db", str(db)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert result.returncode == 0, result.stdout + result.stderr

            # move to another page and back, as a user would
            page.get_by_role("link", name="Retention").click()
            expect(page.locator("h1")).to_contain_text("Retention", timeout=30_000)
            page.wait_for_selector(APP_IDLE)
            page.get_by_role("link", name="Overview").click()
            page.wait_for_selector(APP_IDLE)
            expect(heading.first).to_contain_text("Week 2026-W46", timeout=30_000)
            assert "to=" not in page.url and "from=" not in page.url, page.url

            # a reload keeps following: still the new week, still no implicit end date
            page.reload()
            page.wait_for_selector(APP_IDLE, timeout=60_000)
            expect(heading.first).to_contain_text("Week 2026-W46", timeout=30_000)
            assert "to=" not in page.url, page.url
        finally:
            browser.close()
