"""Real browser (#12): the dashboard works without internet - no page requests anything
from a host other than the app's own server (the favicon used to come from gstatic)."""

from __future__ import annotations

import pytest
from test_browser import APP_IDLE, CHROMIUM, CHROMIUM_ARGS
from test_browser import app_url as app_url  # noqa: F401  (the module-scoped server fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [
    "",
    "retention",
    "complaints",
    "satisfaction",
    "vip",
    "projects",
    "analyst",
    "sqllab",
    "data",
]
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


def test_no_page_requests_an_external_host(app_url: str) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    external: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on(
                "request", lambda r: None if r.url.startswith(LOCAL) else external.append(r.url)
            )
            for lang in ("zh", "en"):
                for path in PAGES:
                    page.goto(f"{app_url}/{path}?lang={lang}")
                    page.wait_for_selector(APP_IDLE, timeout=60_000)
                    page.wait_for_timeout(500)  # charts and icons load after the script
        finally:
            browser.close()
    assert external == []
