"""Real-browser sign-in tests (#15): password accounts and company single sign-on through
Streamlit's st.login against a local OIDC provider (oidc-provider-mock) started here on
127.0.0.1 - never the internet. Chromium via Playwright, as in test_browser.py.

Data: the tiny database of tests_ui_support. The department head "alpha" sees project Alpha
only; the other projects are Beta (East) and 深圳湾 (华南). Week of 2026-11-02: Alpha has
one active customer (c1), the company three (c1, c4, c6).
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_browser import APP_IDLE, ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _require_browser
from tests_ui_support import build_tiny_db, free_port, served_app

from dashboard.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "alpha-Passw0rd-2026"
OTHERS = ("Beta", "深圳湾")


def _add_user(settings: Path, db: Path, *argv: str, password: str | None = None) -> None:
    stdin = sys.stdin
    if password is not None:
        sys.stdin = io.StringIO(password + "\n")
    try:
        extra = ["--password-stdin"] if password is not None else []
        code = main(["users", "add", *argv, *extra, "--settings", str(settings), "--db", str(db)])
    finally:
        sys.stdin = stdin
    assert code == 0


def _streamlit(env: dict[str, str], port: int, log_path: Path, *extra: str):
    return served_app(env, log_path, *extra, port=port)


@pytest.fixture(scope="module")
def password_site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    _require_browser()
    root = tmp_path_factory.mktemp("pw_site")
    db = build_tiny_db(root / "kpi.duckdb")
    settings = root / "kpi.toml"
    settings.write_text('language = "en"\n[access]\nmode = "password"\n')
    _add_user(settings, db, "alpha", "--role", "department_head", "--project", "Alpha",
              password=PASSWORD)  # fmt: skip
    env = {"KPI_DB": str(db), "KPI_SETTINGS": str(settings)}
    with _streamlit(env, free_port(), root / "streamlit.log") as url:
        yield url, root


@pytest.fixture(scope="module")
def oidc_site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    _require_browser()
    import oidc_provider_mock

    root = tmp_path_factory.mktemp("oidc_site")
    db = build_tiny_db(root / "kpi.duckdb")
    settings = root / "kpi.toml"
    settings.write_text('language = "en"\n[access]\nmode = "oidc"\n')
    _add_user(settings, db, "alpha", "--role", "department_head", "--project", "Alpha",
              "--email", "alpha@corp.test")  # fmt: skip
    with oidc_provider_mock.run_server_in_thread(port=0) as provider:
        port = free_port()
        secrets = root / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "a-test-cookie-secret-for-this-run-only"\n'
            'client_id = "kpi-dashboard"\n'
            'client_secret = "a-test-client-secret"\n'
            "server_metadata_url = "
            f'"http://127.0.0.1:{provider.server_port}/.well-known/openid-configuration"\n'
        )
        env = {"KPI_DB": str(db), "KPI_SETTINGS": str(settings)}
        with _streamlit(env, port, root / "streamlit.log", "--secrets.files", str(secrets)) as url:
            yield url, root


@contextmanager
def _browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _idle(page) -> None:
    page.wait_for_selector(APP_IDLE, timeout=60_000)
    page.wait_for_timeout(500)


def _password_sign_in(page, name: str, password: str) -> None:
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    _idle(page)


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def test_password_sign_in_scope_and_sign_out(password_site) -> None:
    from playwright.sync_api import expect

    url, root = password_site
    ARTIFACTS.mkdir(exist_ok=True)
    with _browser() as browser:
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1440, "height": 1400}
        )
        page = context.new_page()
        page.goto(url)
        expect(page.locator("h1")).to_have_text("Sign in", timeout=60_000)

        _password_sign_in(page, "alpha", "not-the-password")
        expect(page.get_by_text("Wrong user name or password.")).to_be_visible(timeout=30_000)
        expect(page.locator("[data-testid='stMetric']")).to_have_count(0)

        _password_sign_in(page, "alpha", PASSWORD)
        expect(page.locator("h1")).to_contain_text("Overview", timeout=60_000)
        first = page.locator("[data-testid='stMetric']").first
        expect(first).to_contain_text("Active customers", timeout=60_000)
        expect(first.locator("[data-testid='stMetricValue']")).to_have_text("1")  # c1 only
        sidebar = page.locator("[data-testid='stSidebar']")
        expect(sidebar).to_contain_text("Signed in as alpha")
        page.screenshot(path=str(ARTIFACTS / "access_overview_alpha.png"), full_page=True)

        # A drill-down (the rows behind one of the tiles): nothing of the other projects.
        page.get_by_role("button", name="Rows").nth(4).click()
        _idle(page)
        dialog = page.get_by_role("dialog")  # the rows open in a dialog (#12)
        expect(dialog.get_by_text("The rows behind:")).to_be_visible(timeout=30_000)
        drill = dialog.inner_text()
        assert not any(o in drill for o in OTHERS), drill[:500]
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0, timeout=10_000)

        # The weekly report download: Alpha only.
        with page.expect_download() as info:
            page.get_by_role("button", name=re.compile("HTML")).click()
        report = Path(info.value.path()).read_text(encoding="utf-8")
        assert "Alpha" in report and not any(o in report for o in OTHERS)

        # Every page the head can open shows none of the other projects.
        for title in ("Retention", "Complaints", "Satisfaction", "VIP revisit", "Projects"):
            page.get_by_role("link", name=title).click()
            expect(page.locator("h1")).to_contain_text(title, timeout=30_000)
            _idle(page)
            text = _main_text(page) + sidebar.inner_text()
            assert not any(o in text for o in OTHERS), (title, text[:500])
        expect(page.get_by_text(re.compile(r"rank \d+ of 3")).first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "access_projects_alpha.png"), full_page=True)
        # A CSV download (drill-down table of the Projects page): Alpha only.
        with page.expect_download() as info:
            page.get_by_role("button", name="Download CSV").first.click()
        csv_text = Path(info.value.path()).read_text(encoding="utf-8-sig")
        assert "Alpha" in csv_text and not any(o in csv_text for o in OTHERS)
        # Pages of other roles are not in the menu, and refused by URL.
        assert page.get_by_role("link", name="SQL lab").count() == 0

        page.goto(f"{url}/sqllab")
        _password_sign_in(page, "alpha", PASSWORD)  # a new page load is a new session
        expect(page.get_by_text("This page is not available to your role")).to_be_visible(
            timeout=30_000
        )

        # Another project by URL: refused, named, and not applied.
        page.goto(f"{url}/?project=深圳湾")
        _password_sign_in(page, "alpha", PASSWORD)
        expect(page.get_by_text("'深圳湾' is outside your scope")).to_be_visible(timeout=30_000)
        expect(
            page.locator("[data-testid='stMetric']").first.locator("[data-testid='stMetricValue']")
        ).to_have_text("1")
        page.screenshot(path=str(ARTIFACTS / "access_refused_project.png"), full_page=True)

        sidebar.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible(timeout=30_000)
        _idle(page)
        expect(page.locator("h1")).to_have_text("Sign in", timeout=30_000)  # nothing else
        expect(page.locator("[data-testid='stMetric']")).to_have_count(0)
        context.close()

    import sqlite3

    with sqlite3.connect(root / "audit.sqlite") as con:
        events = [r[0] for r in con.execute("select event from audit_log order by id")]
        dump = "\n".join(map(str, con.execute("select * from audit_log")))
    assert events[:3] == ["user_added", "sign_in_failed", "sign_in"]  # kpi users add first
    assert "report_download" in events and events[-1] == "sign_out"
    assert PASSWORD not in dump and "not-the-password" not in dump
    log = (root / "streamlit.log").read_text()
    assert PASSWORD not in log and "not-the-password" not in log


def test_oidc_sign_in_against_a_local_provider(oidc_site) -> None:
    from playwright.sync_api import expect

    url, root = oidc_site
    with _browser() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 1400})
        page.goto(url)
        expect(page.locator("h1")).to_have_text("Sign in with your company account", timeout=60_000)
        page.get_by_role("button", name="Sign in").click()
        # The provider's own page (oidc-provider-mock): who is signing in.
        page.locator("input[name=sub]").fill("alpha@corp.test")
        page.get_by_role("button", name="Authorize").click()
        _idle(page)
        expect(page.locator("h1")).to_contain_text("Overview", timeout=60_000)
        sidebar = page.locator("[data-testid='stSidebar']")
        expect(sidebar).to_contain_text("Signed in as alpha", timeout=30_000)
        first = page.locator("[data-testid='stMetric']").first
        expect(first.locator("[data-testid='stMetricValue']")).to_have_text("1", timeout=60_000)
        assert not any(o in _main_text(page) + sidebar.inner_text() for o in OTHERS)
        page.screenshot(path=str(ARTIFACTS / "access_oidc_alpha.png"), full_page=True)
        sidebar.get_by_role("button", name="Sign out").click()
        # st.logout ends the session at the provider too (RP-initiated logout), then returns.
        page.get_by_role("button", name="End session").click()
        expect(page.get_by_role("heading", name="Sign in with your company account")).to_be_visible(
            timeout=30_000
        )
        _idle(page)
        expect(page.locator("[data-testid='stMetric']")).to_have_count(0)

        stranger = browser.new_page()
        stranger.goto(url)
        expect(stranger.locator("h1")).to_have_text(
            "Sign in with your company account", timeout=60_000
        )
        stranger.get_by_role("button", name="Sign in").click()
        stranger.locator("input[name=sub]").fill("stranger@corp.test")
        stranger.get_by_role("button", name="Authorize").click()
        _idle(stranger)
        expect(stranger.get_by_text("is not a user of this dashboard")).to_be_visible(
            timeout=60_000
        )
        expect(stranger.locator("[data-testid='stMetric']")).to_have_count(0)

    import sqlite3

    with sqlite3.connect(root / "audit.sqlite") as con:
        rows = list(con.execute("select user_name, event, detail from audit_log order by id"))
    assert ("alpha", "sign_in", "oidc") in rows
    assert ("alpha", "sign_out", "") in rows
    assert ("stranger@corp.test", "sign_in_refused", "oidc: not a user") in rows
    assert "a-test-client-secret" not in (root / "streamlit.log").read_text()
