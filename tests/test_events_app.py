"""Events on the timeline in the app (#12), under AppTest: the Data page's editor (add, a
refused event with its reason, change, delete) in both languages, the events on the
Complaints charts following the project filter and the sidebar switch, and the roles.

Data: the tiny database of tests_ui_support (Alpha, Beta in East; 深圳湾 in 华南;
complaints opened 2026-10-27 .. 2026-11-05)."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests_ui_support import build_tiny_db

from dashboard.access import signin
from dashboard.access.users import User
from dashboard.cli import main
from dashboard.db import connect_readonly
from dashboard.events import store
from dashboard.events.model import EventDraft
from dashboard.ui import timeline

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ADMIN = User(name="root", role="admin")


def open_page(db: Path, monkeypatch, page: str, lang: str = "en") -> AppTest:
    monkeypatch.setenv("KPI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(f"dashboard/ui/pages/{page}.py")
    return at.run()


def titles(db: Path) -> list[str]:
    with connect_readonly(db) as con:
        return [e.title for e in store.list_events(con)]


def fill(at: AppTest, prefix: str, *, start: dt.date, end: dt.date | None, title: str) -> None:
    at.date_input(key=f"{prefix}_starts").set_value(start)
    at.date_input(key=f"{prefix}_ends").set_value(end)
    at.text_input(key=f"{prefix}_title").input(title)


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


@pytest.mark.parametrize(
    ("lang", "labels", "backwards", "no_title", "added"),
    [
        ("en", ("Add event", "Save changes", "Delete event"),
         "The end date 2026-11-01 is before the start date 2026-11-03.",
         "The event needs a title.", "Event added: New hotline opened."),
        ("zh", ("添加", "保存修改", "删除事件"),
         "结束日期 2026-11-01 早于开始日期 2026-11-03。",
         "事件需要标题。", "已添加事件：New hotline opened。"),
    ],
)  # fmt: skip
def test_the_data_page_adds_refuses_changes_and_deletes(
    tmp_path, monkeypatch, lang, labels, backwards, no_title, added
):
    db = build_tiny_db(tmp_path / "kpi.duckdb")
    add, save, delete = labels
    at = open_page(db, monkeypatch, "data", lang)
    assert not at.exception
    # end before start: refused with the reason, nothing saved
    fill(at, "event_new", start=dt.date(2026, 11, 3), end=dt.date(2026, 11, 1), title="Typhoon")
    at = click(at, add)
    assert any(backwards in e.value for e in at.error), [e.value for e in at.error]
    assert titles(db) == []
    # no title
    fill(at, "event_new", start=dt.date(2026, 11, 3), end=None, title="  ")
    at = click(at, add)
    assert any(no_title in e.value for e in at.error)
    assert titles(db) == []
    # a good one
    fill(at, "event_new", start=dt.date(2026, 11, 3), end=None, title="New hotline opened")
    at.multiselect(key="event_new_projects").select("Alpha")
    at = click(at, add)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == [added]
    assert titles(db) == ["New hotline opened"]
    assert at.text_input(key="event_new1_title").value == ""  # a fresh, empty add form
    shown = next(d.value for d in at.dataframe if len(d.value) == 1 and "Alpha" in d.value.values)
    assert "New hotline opened" in shown.values
    # change it into a range, then delete it
    (event_id,) = [e.event_id for e in _events(db)]
    prefix = f"event_{event_id}"
    at.date_input(key=f"{prefix}_ends").set_value(dt.date(2026, 11, 5))
    at = click(at, save)
    assert not at.error, [e.value for e in at.error]
    assert _events(db)[0].ends_on == dt.date(2026, 11, 5)
    at = click(at, delete)
    assert not at.exception and not at.error
    assert titles(db) == []


def test_an_unknown_project_typed_in_is_refused(tmp_path, monkeypatch):
    db = build_tiny_db(tmp_path / "kpi.duckdb")
    at = open_page(db, monkeypatch, "data", "zh")
    fill(at, "event_new", start=dt.date(2026, 11, 3), end=None, title="台风")
    at.multiselect(key="event_new_projects").set_value(["Gamma"])  # typed: a new option
    at = click(at, "添加")
    assert any("未知项目“Gamma”" in e.value for e in at.error), [e.value for e in at.error]
    assert titles(db) == []


def _events(db: Path):
    with connect_readonly(db) as con:
        return store.list_events(con)


def _chart_specs(at: AppTest) -> list[dict]:
    """Every chart's Vega-Lite spec with its datasets put back (Streamlit sends them apart,
    as Arrow)."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    found = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", "") == "vega_lite_chart":
                spec = json.loads(child.proto.spec)
                spec["datasets"] = {
                    ds.name: convert_arrow_bytes_to_pandas_df(ds.data.data).to_dict("records")
                    for ds in child.proto.datasets
                }
                found.append(spec)
            walk(child)

    walk(at.main)
    return found


def _event_titles(spec: dict) -> list[str]:
    out = []
    for lyr in spec.get("layer", []):
        if lyr.get("name") == timeline.EVENT_LAYER:
            out += [r["event"] for r in spec["datasets"][lyr["data"]["name"]]]
    return out


def test_complaints_charts_show_the_events_of_the_filter(tmp_path, monkeypatch):
    db = build_tiny_db(tmp_path / "kpi.duckdb")
    for title, projects in (
        ("Hotline", ()),
        ("Alpha visit", ("Alpha",)),
        ("Beta visit", ("Beta",)),
    ):
        store.add_event(
            EventDraft(dt.date(2026, 11, 3), title, projects=projects), editor=ADMIN, db=db
        )
    at = open_page(db, monkeypatch, "complaints")
    specs = _chart_specs(at)
    time_charts = [s for s in specs if _event_titles(s)]
    assert len(time_charts) >= 4  # resolution, p90, SLA, backlog (and the category trend)
    assert sorted(_event_titles(time_charts[0])) == ["Alpha visit", "Beta visit", "Hotline"]
    # the resolution distribution has no time axis: no events on it
    assert any(not _event_titles(s) and "bucket" in json.dumps(s) for s in specs)
    at.sidebar.multiselect(key="f_projects").set_value(["Alpha"]).run()
    assert not at.exception
    filtered = [_event_titles(s) for s in _chart_specs(at) if _event_titles(s)]
    assert filtered and all(sorted(t) == ["Alpha visit", "Hotline"] for t in filtered)
    # the sidebar switch hides them
    at.sidebar.toggle(key="show_events").set_value(False).run()
    assert not any(_event_titles(s) for s in _chart_specs(at))


PASSWORD = "s3cret-Passw0rd!"


@pytest.fixture()
def signed_site(tmp_path, monkeypatch):
    db = build_tiny_db(tmp_path / "kpi.duckdb")
    settings = tmp_path / "kpi.toml"
    settings.write_text('language = "en"\n[access]\nmode = "password"\n')
    for name, role in (("ana", "analyst"), ("exec", "executive")):
        stdin, sys.stdin = sys.stdin, io.StringIO(PASSWORD + "\n")
        try:
            assert main(["users", "add", name, "--role", role, "--password-stdin",
                         "--settings", str(settings), "--db", str(db)]) == 0  # fmt: skip
        finally:
            sys.stdin = stdin
    monkeypatch.setenv("KPI_DB", str(db))
    monkeypatch.setenv("KPI_SETTINGS", str(settings))
    monkeypatch.setattr(signin, "FAILURE_DELAY_SECONDS", 0.0)
    return db


def sign_in(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.text_input(key="signin_name").input(name)
    at.text_input(key="signin_pw").input(PASSWORD)
    at.button[0].click()
    return at.run()


def test_an_analyst_edits_events_but_does_not_upload(signed_site):
    at = sign_in("ana")
    at.switch_page("dashboard/ui/pages/data.py")
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert not at.file_uploader  # uploads stay with admins
    fill(at, "event_new", start=dt.date(2026, 10, 28), end=None, title="Typhoon")
    at = click(at, "Add event")
    assert titles(signed_site) == ["Typhoon"]
    assert _events(signed_site)[0].created_by == "ana"


def test_an_executive_cannot_reach_the_editor_nor_the_store(signed_site):
    at = sign_in("exec")
    registered = at._registered_pages  # noqa: SLF001 - like opening /data by URL
    at._page_hash = next(h for h, i in registered.items() if i.get("url_pathname") == "data")  # noqa: SLF001
    at.run()
    assert any("not available to your role" in e.value for e in at.error)
    assert not at.text_input  # no form
    with pytest.raises(ValueError, match="Only admins and analysts"):
        store.add_event(
            EventDraft(dt.date(2026, 10, 28), "x"),
            editor=User(name="exec", role="executive"),
            db=signed_site,
        )


def test_an_events_csv_uploaded_with_the_kind_events(tmp_path, monkeypatch):
    db = build_tiny_db(tmp_path / "kpi.duckdb")
    at = open_page(db, monkeypatch, "data")
    at.selectbox(key="import_kind").set_value("events").run()
    csv = "日期,结束日期,标题,项目\n2026-10-20,2026-10-22,Typhoon,\n2026-13-01,,Bad date,\n"
    at.file_uploader[0].upload("台风.csv", csv.encode(), "text/csv").run()
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)  # amber: a row was rejected
    assert "台风.csv: 1 rows loaded, 1 rejected with errors" in warnings, warnings
    assert titles(db) == ["Typhoon"]
    # the rejected row and its reason are on the page, in the rejected rows table
    reasons = [d.value for d in at.dataframe if "Reason" in d.value.columns]
    assert any("'2026-13-01' is not a date" in " ".join(map(str, r["Reason"])) for r in reasons)


def test_the_events_table_shows_no_none_for_a_one_day_event_without_chinese_title():
    import datetime as dt

    from dashboard.events.model import Event
    from dashboard.ui.events_editor import _frame

    frame = _frame([Event(starts_on=dt.date(2026, 3, 3), ends_on=None, title="Hotline")])
    row = frame.iloc[0]
    assert (row["starts_on"], row["ends_on"], row["title_zh"]) == ("2026-03-03", "", "")
    assert "None" not in frame.astype(str).to_string()
