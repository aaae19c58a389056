"""Real browser (#12): an event added on the Data page shows on the Complaints charts - its
tooltip appears when the pointer is on its marker - in both languages, and no page asks any
host but the app's own server for anything."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_browser import APP_IDLE, ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _require_browser
from tests_ui_support import build_tiny_db, served_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
TITLE = "New hotline opened"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_browser()
    db = build_tiny_db(tmp_path_factory.mktemp("browser_events") / "kpi.duckdb")
    log = tmp_path_factory.getbasetemp() / "streamlit_events.log"
    with served_app({"KPI_DB": str(db)}, log) as url:
        yield url


def _idle(page) -> None:
    page.wait_for_selector(APP_IDLE, timeout=60_000)
    page.wait_for_timeout(300)


def _add_event_on_the_data_page(page, url: str) -> None:
    page.goto(f"{url}/data?lang=en")
    _idle(page)
    form = page.locator("[data-testid='stForm']")  # Streamlit names elements by key: st-key-*
    form.scroll_into_view_if_needed()
    # the date field is one spin button per part (year, month, day)
    for part, value in (("year", "2026"), ("month", "11"), ("day", "03")):
        form.locator(f".st-key-event_new_starts [data-type='{part}']").click()
        page.keyboard.type(value)
    form.locator(".st-key-event_new_title input").fill(TITLE)
    form.get_by_role("button", name="Add event").click()
    page.get_by_text(f"Event added: {TITLE}.").wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "events_data_page.png"), full_page=True)


def _tooltip_of_the_marker(page, chart) -> str:
    """Point along the top of the plot, where each event has its marker (a triangle 4 px
    below the plot's top edge), until the event's tooltip shows, and read it as a person
    would. The charts draw on a canvas (#14), so there is no element to aim at: the pointer
    sweeps the strip as a hand would."""
    chart.scroll_into_view_if_needed()
    canvas = chart.locator("canvas").first
    canvas.wait_for(state="attached", timeout=30_000)
    box = canvas.bounding_box()
    assert box is not None
    tooltip = page.locator("#vg-tooltip-element")
    for y in (8, 11, 5, 14):  # the marker's rows below the canvas's top padding
        for x in range(0, int(box["width"]), 3):
            page.mouse.move(box["x"] + x, box["y"] + y)
            if tooltip.is_visible() and TITLE in tooltip.inner_text():
                return tooltip.inner_text()
    raise AssertionError("no event tooltip along the top of the chart")


def test_an_event_added_on_the_data_page_shows_on_the_complaints_charts(app_url: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    external: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1200})
            page.on(
                "request", lambda r: None if r.url.startswith(LOCAL) else external.append(r.url)
            )
            _add_event_on_the_data_page(page, app_url)
            for lang in ("en", "zh"):
                page.goto(f"{app_url}/complaints?lang={lang}")
                _idle(page)
                charts = page.locator("[data-testid='stVegaLiteChart']")
                charts.first.wait_for(timeout=60_000)
                page.wait_for_timeout(1500)  # let Vega draw
                page.screenshot(path=str(ARTIFACTS / f"events_complaints_{lang}.png"))
                text = _tooltip_of_the_marker(page, charts.first)
                assert TITLE in text and "2026-11-03" in text, text
                assert ("Event" if lang == "en" else "事件") in text
                assert ("every project" if lang == "en" else "全部项目") in text
                page.screenshot(path=str(ARTIFACTS / f"events_complaints_{lang}.png"))
        finally:
            browser.close()
    assert external == []
