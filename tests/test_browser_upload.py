"""Real browser (#12): the first upload on the Data page of an empty database - a good file
gets a green banner with its row count, a file whose kind cannot be told a red one with
the file's name and the full reason. Its own server (the upload changes the database);
any request to a host other than 127.0.0.1 fails the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import APP_IDLE, ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _require_browser
from tests_ui_support import served_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
CUSTOMERS = Path(__file__).resolve().parent / "data" / "drilldown" / "customers.csv"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_browser()
    db = tmp_path_factory.mktemp("browser_upload") / "new.duckdb"  # not there yet: first run
    log = tmp_path_factory.getbasetemp() / "streamlit_upload.log"
    with served_app({"KPI_DB": str(db)}, log) as url:
        yield url


def test_a_good_and_a_refused_upload_get_their_banners(app_url, tmp_path) -> None:
    from playwright.sync_api import expect, sync_playwright

    mystery = tmp_path / "mystery.csv"
    mystery.write_text("foo,bar\n1,2\n", encoding="utf-8")
    external: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1400})
            page.on(
                "request", lambda r: None if r.url.startswith(LOCAL) else external.append(r.url)
            )
            page.goto(f"{app_url}/data?lang=en")
            expect(page.locator("h1")).to_contain_text("Data", timeout=60_000)
            page.wait_for_selector(APP_IDLE, timeout=60_000)
            page.locator("input[type='file']").set_input_files([str(CUSTOMERS), str(mystery)])
            page.get_by_role("button", name="Import").click()
            main = page.locator("[data-testid='stMain']")
            good = main.locator("[data-testid='stAlert']").filter(has_text="customers.csv")
            expect(good).to_contain_text("customers.csv: 4 rows loaded.", timeout=60_000)
            refused = main.locator("[data-testid='stAlert']").filter(has_text="mystery.csv")
            expect(refused).to_contain_text("mystery.csv: rejected")
            # the reason in full, not cut in a table cell
            expect(refused).to_contain_text("cannot tell which kind of export this is")
            expect(refused).to_contain_text("found: foo, bar")
            page.wait_for_selector(APP_IDLE, timeout=60_000)
            page.screenshot(path=str(ARTIFACTS / "data_upload_en.png"), full_page=True)
            # the summary names no kind for the refused file (it showed "nan")
            summary = page.get_by_role("button", name="Download CSV").first
            with page.expect_download() as info:
                summary.click()
            rows = Path(info.value.path()).read_text(encoding="utf-8-sig").splitlines()
            assert rows[2].startswith("mystery.csv,,,0,"), rows

            # the import reached the database: the Overview's sidebar offers the new projects
            page.goto(f"{app_url}/?lang=en")
            page.wait_for_selector(APP_IDLE, timeout=60_000)
            sidebar = page.locator("[data-testid='stSidebar']")
            sidebar.locator("[data-testid='stMultiSelect']").last.click()
            expect(page.get_by_role("option", name="P2")).to_be_visible(timeout=30_000)
        finally:
            browser.close()
    assert external == [], f"requests to other hosts: {external}"
