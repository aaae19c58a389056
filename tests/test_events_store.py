"""Events on the timeline (#12): the table, its checks, who may change it, the CSV import,
``kpi events`` and the events query's filters.

Data: the tiny database of tests_ui_support (Alpha, Beta in East; 深圳湾 in 华南)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from tests_ui_support import build_tiny_db

from dashboard import kpis
from dashboard.access.users import User
from dashboard.cli import main
from dashboard.db import connect_readonly
from dashboard.events import store
from dashboard.events.model import EventDraft, EventProblem
from dashboard.pipeline import import_files as ingest_paths

ADMIN = User(name="root", role="admin")
ANALYST = User(name="ana", role="analyst")
EXECUTIVE = User(name="exec", role="executive")
HEAD = User(name="alpha", role="department_head", projects=("Alpha",))


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return build_tiny_db(tmp_path / "kpi.duckdb")


def events_of(db: Path) -> list:
    with connect_readonly(db) as con:
        return store.list_events(con)


def test_add_change_delete_round_trip(db):
    added = store.add_event(
        EventDraft(dt.date(2026, 10, 13), "  New hotline   opened ", projects=("Alpha",)),
        editor=ANALYST,
        db=db,
    )
    assert added.title == "New hotline opened"  # spaces tidied
    assert added.created_by == "ana" and added.projects == ("Alpha",)
    typhoon = store.add_event(
        EventDraft(
            dt.date(2026, 10, 20), "Typhoon", ends_on=dt.date(2026, 10, 22), title_zh="台风"
        ),
        editor=ADMIN,
        db=db,
    )
    assert [e.title for e in events_of(db)] == ["New hotline opened", "Typhoon"]
    changed = store.update_event(
        typhoon.event_id,
        EventDraft(dt.date(2026, 10, 20), "Typhoon Haikui", ends_on=dt.date(2026, 10, 23)),
        editor=ANALYST,
        db=db,
    )
    assert changed.ends_on == dt.date(2026, 10, 23) and changed.updated_by == "ana"
    assert changed.title_zh is None  # cleared by the edit
    store.delete_event(added.event_id, editor=ADMIN, db=db)
    assert [e.title for e in events_of(db)] == ["Typhoon Haikui"]


@pytest.mark.parametrize(
    ("draft", "code", "zh"),
    [
        (EventDraft(dt.date(2026, 10, 5), "x", ends_on=dt.date(2026, 10, 4)), "end_before_start",
         "结束日期 2026-10-04 早于开始日期 2026-10-05。"),
        (EventDraft(dt.date(2026, 10, 5), "   "), "empty_title", "事件需要标题。"),
        (EventDraft(dt.date(2026, 10, 5), "x", projects=("Gamma",)), "unknown_project",
         "未知项目“Gamma”（数据中的项目：Alpha, Beta, 深圳湾）。"),
        (EventDraft(dt.date(2026, 10, 5), "x", regions=("West",)), "unknown_region",
         "未知区域“West”（数据中的区域：East, 华南）。"),
    ],
)  # fmt: skip
def test_a_bad_event_is_refused_with_a_reason_and_nothing_is_saved(db, draft, code, zh):
    with pytest.raises(EventProblem) as caught:
        store.add_event(draft, editor=ADMIN, db=db)
    assert caught.value.code == code
    assert caught.value.text("zh") == zh
    assert events_of(db) == []


@pytest.mark.parametrize("editor", [EXECUTIVE, HEAD, None])
def test_only_admins_and_analysts_may_edit(db, editor):
    with pytest.raises(EventProblem) as caught:
        store.add_event(EventDraft(dt.date(2026, 10, 5), "x"), editor=editor, db=db)
    assert caught.value.code == "refused"
    assert "Only admins and analysts" in str(caught.value)
    kept = store.add_event(EventDraft(dt.date(2026, 10, 5), "kept"), editor=ADMIN, db=db)
    for action in (
        lambda: store.update_event(kept.event_id, EventDraft(dt.date(2026, 10, 6), "y"),
                                   editor=editor, db=db),
        lambda: store.delete_event(kept.event_id, editor=editor, db=db),
    ):  # fmt: skip
        with pytest.raises(EventProblem):
            action()
    assert [e.title for e in events_of(db)] == ["kept"]


def test_events_survive_later_imports(db, tmp_path):
    store.add_event(EventDraft(dt.date(2026, 10, 13), "New hotline"), editor=ADMIN, db=db)
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order_id,customer_id,project,region,ordered_at\nz1,c1,Alpha,East,2026-11-10 09:00\n"
    )
    (result,) = ingest_paths([orders], db=db)
    assert result.status == "loaded" and result.loaded == 1
    assert [e.title for e in events_of(db)] == ["New hotline"]


EVENTS_CSV = (
    "date,end,title,projects,regions\n"
    "2026-10-13,,New hotline opened,Alpha,\n"  # line 2
    "2026/10/20,2026/10/22,Typhoon,,East\n"  # line 3
    "2026-13-01,,Bad date,,\n"  # line 4: month 13
    "2026-10-25,2026-10-24,Backwards,,\n"  # line 5
    "2026-10-13,,New hotline opened,Alpha,\n"  # line 6: the same row again
)


def test_an_events_csv_loads_good_rows_and_names_each_bad_one(db, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS_CSV)
    (result,) = ingest_paths([path], db=db, kind="events")
    assert (result.status, result.kind) == ("loaded", "events")
    assert (result.rows_in_file, result.loaded, result.rejected, result.duplicates) == (5, 2, 2, 1)
    events = events_of(db)
    assert [(e.starts_on, e.ends_on, e.title, e.projects, e.regions) for e in events] == [
        (dt.date(2026, 10, 13), None, "New hotline opened", ("Alpha",), ()),
        (dt.date(2026, 10, 20), dt.date(2026, 10, 22), "Typhoon", (), ("East",)),
    ]
    con = duckdb.connect(str(db), read_only=True)
    rejects = con.execute(
        "select line_number, reason from rejected_rows where kind = 'events' order by 1"
    ).fetchall()
    con.close()
    assert rejects == [
        (4, "date: '2026-13-01' is not a date (expected e.g. 2026-03-05)."),
        (5, "The end date 2026-10-24 is before the start date 2026-10-25."),
    ]


def test_chinese_headers_and_an_edited_list_updates_instead_of_doubling(db, tmp_path):
    first = tmp_path / "事件.csv"
    first.write_text("开始日期,结束日期,事件,项目\n2026-11-01,,回访活动,Alpha、Beta\n", "utf-8")
    assert ingest_paths([first], db=db, kind="事件")[0].loaded == 1
    edited = tmp_path / "事件2.csv"
    edited.write_text("日期,结束日期,标题,项目\n2026年11月1日,2026-11-03,回访活动,Beta\n", "utf-8")
    assert ingest_paths([edited], db=db, kind="events")[0].loaded == 1
    (event,) = events_of(db)
    assert (event.starts_on, event.ends_on, event.projects) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 3),
        ("Beta",),
    )


def test_a_file_without_a_title_column_is_refused_whole(db, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("date,what\n2026-10-13,hotline\n")
    (result,) = ingest_paths([path], db=db, kind="events")
    assert result.status == "rejected"
    assert result.message.startswith("no title column") and "date, what" in result.message
    assert events_of(db) == []


def test_the_events_query_follows_dates_and_filters(db):
    for draft in (
        EventDraft(dt.date(2026, 10, 13), "hotline", projects=("Alpha",)),
        EventDraft(dt.date(2026, 10, 20), "typhoon", ends_on=dt.date(2026, 10, 22)),
        EventDraft(dt.date(2026, 11, 2), "south only", regions=("华南",)),
    ):
        store.add_event(draft, editor=ADMIN, db=db)
    with connect_readonly(db) as con:

        def titles(**filters) -> list[str]:
            return kpis.compute(con, "events", **filters)["title"].tolist()

        assert titles() == ["hotline", "typhoon", "south only"]
        # an event without projects applies to every project
        assert titles(projects=["Beta"]) == ["typhoon", "south only"]
        assert titles(projects=["Alpha"], regions=["East"]) == ["hotline", "typhoon"]
        # overlapping the range counts: the typhoon ends on the 22nd
        assert titles(date_from=dt.date(2026, 10, 22), date_to=dt.date(2026, 10, 31)) == ["typhoon"]
        # a department head of Beta: not Alpha's event; the others name no project
        from dashboard.access.scope import Scope

        scoped = kpis.compute(con, "events", scope=Scope(projects=("Beta",)))
        assert scoped["title"].tolist() == ["typhoon", "south only"]
        assert scoped["days"].tolist() == [3, 1]  # 20, 21 and 22 October; 2 November


def test_kpi_events_cli(db, capsys):
    assert main(["events", "add", "--date", "2026-10-13", "--title", "New hotline",
                 "--title-zh", "新热线", "--project", "Alpha", "--db", str(db)]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith("added 1\t2026-10-13\tNew hotline / 新热线\tAlpha")
    assert main(["events", "add", "--date", "2026-10-13", "--end", "2026-10-01",
                 "--title", "x", "--db", str(db)]) == 1  # fmt: skip
    assert "before the start date" in capsys.readouterr().err
    assert main(["events", "list", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "1\t2026-10-13\tNew hotline / 新热线\tAlpha\n"
    assert main(["events", "delete", "7", "--db", str(db)]) == 1
    assert "There is no event 7" in capsys.readouterr().err
    assert main(["events", "delete", "1", "--db", str(db)]) == 0
    assert events_of(db) == []


def test_the_default_database_gets_the_demo_events_and_a_stale_marker_does_not_recurse(
    tmp_path, monkeypatch
):
    """The embedded default is built from data/ plus dashboard/demo/events.csv. Rebuilding
    it when every file was imported already (only its marker out of date) used to call
    itself through the import's own read of the file until the stack ran out."""
    from dashboard import paths
    from dashboard import pipeline as dbmod

    data = tmp_path / "data"
    data.mkdir()
    (data / "orders.csv").write_text(
        "order_id,customer_id,project,region,ordered_at\n"
        "o1,c1,深圳·湾区中心,华南区,2026-11-10 09:00\n"
        "o2,c2,长沙·梅溪湖,华中区,2026-11-10 09:00\n"
        "o3,c3,成都·天府新城,西部区,2026-11-10 09:00\n"
    )
    default = tmp_path / "kpi.duckdb"
    monkeypatch.setattr(dbmod, "DEFAULT_DB", default)
    monkeypatch.setattr(paths, "DATA_DIR", data)
    dbmod.ensure_database(default)
    demo = events_of(default)
    # the demo's six stories (dashboard/demo/events.csv); every project it names is known
    assert len(demo) == 6 and demo[-1].title == "New complaints hotline opened"
    dbmod._fingerprint_path(default).write_text("stale\n")  # noqa: SLF001
    dbmod.ensure_database(default)
    assert len(events_of(default)) == 6
