"""The import-time copies of the KPIs' unfiltered results (dashboard/kpi_cache.py): used only
when they are the exact answer, and then the same rows as the live query - over all data,
and as of the Overview's day (the Sunday ending the data's latest complete week, #14).

Survey responses (ISO weeks start Monday; 2026-03-02 and 03-09 are Mondays):
  s1 A  2026-03-03 (week 03-02)  csat 5, nps 10 (promoter)
  s2 B  2026-03-10 (week 03-09)  csat 3, nps 5 (detractor)
Weekly satisfaction by hand (responses, csat_avg, satisfied_rate, nps_responses, nps):
  03-02: 1, 5.0, 1/1 = 1.0, 1, 100 * (1 - 0) / 1 = 100.0
  03-09: 1, 3.0, 0/1 = 0.0, 1, 100 * (0 - 1) / 1 = -100.0
"""

from __future__ import annotations

import datetime as dt
import math
import shutil

import pytest

from dashboard import db, kpi_cache, pipeline
from dashboard.catalog import load_queries, staging_order
from dashboard.kpis import compute, prepare
from dashboard.paths import QUERIES_DIR

W = dt.date
SURVEYS = [
    ("s1", "c1", "A", "East", "2026-03-03 10:00:00", 5, 10),
    ("s2", "c2", "B", "West", "2026-03-10 10:00:00", 3, 5),
]
WEEKLY = [
    (W(2026, 3, 2), 1, 5.0, 1.0, 1, 100.0),
    (W(2026, 3, 9), 1, 3.0, 0.0, 1, -100.0),
]
ORDERS = [
    ("o1", "c1", "A", "East", "2026-03-03 10:00:00"),
    ("o2", "c1", "A", "East", "2026-03-10 10:00:00"),
    ("o3", "c2", "B", "West", "2026-03-11 10:00:00"),
]


def rows(frame):
    return [
        tuple(None if isinstance(v, float) and math.isnan(v) else v for v in rec)
        for rec in frame.itertuples(index=False)
    ]


def insert_surveys(con, surveys):
    con.executemany(
        "insert into surveys (response_id, customer_id, project, region, submitted_at, csat, "
        "nps) values (?, ?, ?, ?, ?, ?, ?)",
        surveys,
    )


def insert_orders(con, orders):
    con.executemany(
        "insert into orders (order_id, customer_id, project, region, ordered_at) "
        "values (?, ?, ?, ?, ?)",
        orders,
    )


@pytest.fixture
def published(tmp_path):
    """A database file written through db.writer, so the publish hooks ran."""
    path = tmp_path / "kpi.duckdb"
    with pipeline.publishing_writer(path) as con:
        insert_surveys(con, SURVEYS)
    return path


def test_publish_stores_the_unfiltered_results(published):
    with db.connect_readonly(published) as con:
        stored = con.execute(
            "select kpi, grain, by_kind from kpi_cache._meta order by all"
        ).fetchall()
        assert ("satisfaction", "week", None) in stored
        assert ("satisfaction", "month", "project") in stored
        # retention and cohorts too (#14): built from the stored intermediates, cheaply
        assert ("retention", "week", None) in stored
        assert ("cohorts", "month", "project") in stored
        assert rows(compute(con, "satisfaction", grain="week")) == WEEKLY


def test_the_stored_copy_is_what_is_read(published):
    # Overwrite the stored copy behind the query's back: compute() now returns it, which
    # shows the unfiltered call does not run the live query.
    with pipeline.publishing_writer(published) as con:
        con.execute(
            "update kpi_cache.satisfaction set responses = 99 "
            "where grain = 'week' and by_kind is null"
        )
        # the hook keeps the (fresh) copy as it is: nothing it depends on changed
    with db.connect_readonly(published) as con:
        assert compute(con, "satisfaction", grain="week")["responses"].tolist() == [99, 99]
        # a project filter is never served from the copy: live (s1 only, in A): 1
        live = compute(con, "satisfaction", grain="week", projects=["A"])
        assert live["responses"].tolist() == [1]


def test_date_range_on_the_copy_keeps_the_printed_periods(published):
    with db.connect_readonly(published) as con:
        frame = compute(con, "satisfaction", grain="week", date_from=W(2026, 3, 9))
        assert rows(frame) == [WEEKLY[1]]
        # by project: A has s1 in 03-02, B has s2 in 03-09; every group over both weeks
        frame = compute(con, "satisfaction", grain="week", by="project", date_to=W(2026, 3, 8))
        assert list(frame.columns)[:2] == ["period_start", "project"]
        assert rows(frame) == [
            (W(2026, 3, 2), "A", 1, 5.0, 1.0, 1, 100.0),
            (W(2026, 3, 2), "B", 0, None, None, 0, None),
        ]


def test_changed_rows_bypass_a_stale_copy(published):
    # Rows added without the publish hook (not through db.writer): the copy is out of date.
    import duckdb

    raw = duckdb.connect(str(published))
    insert_surveys(raw, [("s3", "c3", "A", "East", "2026-03-12 09:00:00", 4, None)])
    raw.close()
    with db.connect_readonly(published) as con:
        # 03-09 now has s2 (3) and s3 (4): 2 responses, csat (3 + 4) / 2 = 3.5, satisfied
        # 1/2 = 0.5, one NPS answer (s2, detractor): -100
        assert rows(compute(con, "satisfaction", grain="week"))[1] == (
            W(2026, 3, 9), 2, 3.5, 0.5, 1, -100.0,
        )  # fmt: skip


def test_edited_query_file_bypasses_the_copy(published, tmp_path):
    edited = tmp_path / "queries"
    shutil.copytree(QUERIES_DIR, edited)
    path = edited / "satisfaction.sql"
    # same logic, different text: the copy was made by other SQL, so it is not used
    path.write_text(path.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    with pipeline.publishing_writer(published) as con:
        con.execute("update kpi_cache.satisfaction set responses = 99")
    with db.connect_readonly(published) as con:
        frame = compute(con, "satisfaction", grain="week", queries_dir=edited)
        assert rows(frame) == WEEKLY


def _stored_version(path):
    with db.connect_readonly(path) as con:
        return con.execute(
            "select distinct data_version from kpi_cache._meta where kpi = 'satisfaction'"
        ).fetchall()


def _current_version(path):
    with db.connect_readonly(path) as con:
        return [(kpi_cache._data_version(con, "satisfaction"),)]


def _survey_csv(path, lines):
    path.write_text(
        "response_id,customer_id,project,region,submitted_at,csat,nps\n" + lines,
        encoding="utf-8",
    )
    return path


def test_a_deferred_slow_hook_does_not_run(tmp_path):
    from dashboard.derived import refresh_derived

    path = tmp_path / "kpi.duckdb"
    # what the import does for every file but the last: the cheap steps only
    with db.writer(path, before_publish=lambda c: refresh_derived(c, slow=False)) as con:
        insert_surveys(con, SURVEYS)
    with db.connect_readonly(path) as con:
        # the views hook ran (fast), the stored KPI results did not
        assert con.execute("select count(*) from stg_surveys").fetchone()[0] == 2
        assert not con.execute(
            "select count(*) from information_schema.tables where table_schema = 'kpi_cache'"
        ).fetchone()[0]
        # and the live query answers instead
        assert rows(compute(con, "satisfaction", grain="week")) == WEEKLY


@pytest.fixture
def survey_files(tmp_path):
    """SURVEYS as two export files: a.csv (week 03-02), b.csv (week 03-09)."""
    first = _survey_csv(tmp_path / "a.csv", "s1,c1,A,East,2026-03-03 10:00:00,5,10\n")
    second = _survey_csv(tmp_path / "b.csv", "s2,c2,B,West,2026-03-10 10:00:00,3,5\n")
    return first, second


def test_an_import_of_several_files_leaves_the_copy_current(tmp_path, survey_files):
    from dashboard.pipeline import import_files as ingest_paths

    path = tmp_path / "kpi.duckdb"
    ingest_paths(list(survey_files), db=path)
    assert _stored_version(path) == _current_version(path)
    with db.connect_readonly(path) as con:
        assert rows(compute(con, "satisfaction", grain="week")) == WEEKLY


def test_the_copy_is_stored_even_when_the_last_file_is_skipped(tmp_path, survey_files):
    from dashboard.pipeline import import_files as ingest_paths

    path = tmp_path / "kpi.duckdb"
    first, second = survey_files
    ingest_paths([first], db=path)
    # b.csv is new (published with the slow hook deferred), a.csv is skipped (same content)
    results = ingest_paths([second, first], db=path)
    assert [r.status for r in results][-1] == "skipped"
    assert _stored_version(path) == _current_version(path)
    with db.connect_readonly(path) as con:
        assert rows(compute(con, "satisfaction", grain="week")) == WEEKLY


# ----------------------------------------------------------- the other KPIs' copies

COMPLAINTS = [
    # id, customer, project, region, opened, resolved
    ("k1", "c1", "A", "East", "2026-03-03 10:00:00", "2026-03-03 22:00:00"),  # 12 h
    ("k2", "c2", "B", "West", "2026-03-04 10:00:00", "2026-03-05 16:00:00"),  # 30 h
]


@pytest.fixture
def with_complaints(tmp_path):
    path = tmp_path / "kpi.duckdb"
    with pipeline.publishing_writer(path) as con:
        insert_orders(con, ORDERS)
        con.executemany(
            "insert into complaints (complaint_id, customer_id, project, region, opened_at, "
            "resolved_at) values (?, ?, ?, ?, ?, ?)",
            COMPLAINTS,
        )
    return path


def test_every_kpi_has_its_unfiltered_copy(with_complaints):
    with db.connect_readonly(with_complaints) as con:
        stored = {
            row[0] for row in con.execute("select distinct kpi from kpi_cache._meta").fetchall()
        }
    assert stored == set(kpi_cache.CACHED)


def test_complaints_copy_follows_the_sla_setting(with_complaints):
    from dashboard.settings import Settings

    with db.connect_readonly(with_complaints) as con:
        # week 03-02, default 24 h SLA: k1 (12 h) met, k2 (30 h) missed -> 1 of 2
        live = compute(con, "complaints", grain="week", projects=["A", "B"])
        stored = compute(con, "complaints", grain="week")
        assert stored.equals(live)
        assert stored["sla_met"].tolist() == [1]
    # behind the query's back: the copy now says 99; the call with the same settings reads it
    with pipeline.publishing_writer(with_complaints) as con:
        con.execute("update kpi_cache.complaints set sla_met = 99")
    with db.connect_readonly(with_complaints) as con:
        assert compute(con, "complaints", grain="week")["sla_met"].tolist() == [99]
        # other SLA hours are another definition: computed live, 48 h -> both met = 2
        other = compute(con, "complaints", grain="week", settings=Settings(sla_default_hours=48))
        assert other["sla_met"].tolist() == [2]


def test_a_copy_is_bypassed_when_its_own_table_changes(with_complaints):
    import duckdb

    raw = duckdb.connect(str(with_complaints))
    raw.execute(
        "insert into complaints (complaint_id, customer_id, project, region, opened_at) "
        "values ('k3', 'c1', 'A', 'East', '2026-03-05 09:00:00')"
    )
    raw.close()
    with db.connect_readonly(with_complaints) as con:
        # k1, k2 and the new k3: 3 opened in week 03-02
        assert compute(con, "complaints", grain="week")["opened"].tolist() == [3]


def test_declared_tables_are_the_tables_each_kpi_reads():
    # A copy is trusted while its declared tables are unchanged: a KPI reading a table it
    # does not declare would be served stale rows. Each file's SQL says what it reads; a
    # staging or intermediate view's name is followed into that view's own SQL (a KPI id
    # such as "complaints" may equal a table's name: only those views are followed).
    import sqlglot
    from sqlglot import exp

    from dashboard.kpis import catalog

    queries = catalog()

    def raw_tables(query_id: str) -> set[str]:
        tree = sqlglot.parse_one(queries[query_id].sql, read="duckdb")
        ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
        found: set[str] = set()
        for table in tree.find_all(exp.Table):
            name = table.name
            if not name or name in ctes or isinstance(table.this, exp.Func):
                continue
            view = name in queries and queries[name].kind in ("staging", "intermediate")
            found |= raw_tables(name) if view else {name}
        return found

    for kpi, cached in kpi_cache.CACHED.items():
        assert raw_tables(kpi) == set(cached.tables), kpi


def test_a_rerun_import_refreshes_copies_made_with_old_settings(tmp_path, monkeypatch):
    from dashboard.pipeline import import_files as ingest_paths

    path = tmp_path / "kpi.duckdb"
    complaints = tmp_path / "complaints.csv"
    complaints.write_text(
        "complaint_id,customer_id,project,region,opened_at,resolved_at\n"
        "k1,c1,A,East,2026-03-03 10:00:00,2026-03-04 16:00:00\n",  # 30 h
        encoding="utf-8",
    )
    toml = tmp_path / "kpi.toml"
    toml.write_text("[sla]\ndefault_hours = 24\n", encoding="utf-8")
    monkeypatch.setenv("KPI_SETTINGS", str(toml))
    ingest_paths([complaints], db=path)
    with db.connect_readonly(path) as con:
        assert kpi_cache.is_current(con, prepare)
        assert compute(con, "complaints", grain="week")["sla_met"].tolist() == [0]  # 30 > 24
    toml.write_text("[sla]\ndefault_hours = 48\n", encoding="utf-8")
    with db.connect_readonly(path) as con:
        assert not kpi_cache.is_current(con, prepare)  # made with 24 h
        assert compute(con, "complaints", grain="week")["sla_met"].tolist() == [1]  # live
    # the same file again: skipped, nothing published, but the copies are brought up to date
    results = ingest_paths([complaints], db=path)
    assert [r.status for r in results] == ["skipped"]
    with db.connect_readonly(path) as con:
        assert kpi_cache.is_current(con, prepare)
        assert compute(con, "complaints", grain="week")["sla_met"].tolist() == [1]  # 30 <= 48


# ------------------------------------------- the copies against the live SQL, demo data


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """The embedded demo exports (data/) imported into a fresh file: the importer's publish
    hooks store every copy."""
    from dashboard.paths import DATA_DIR
    from dashboard.pipeline import import_files as ingest_paths

    path = tmp_path_factory.mktemp("demo") / "kpi.duckdb"
    ingest_paths([DATA_DIR], db=path)
    return path


RANGES = [
    (None, None),
    (W(2026, 3, 4), None),  # a Wednesday: the week of 03-02 starts before it
    (None, W(2025, 6, 15)),
    (W(2025, 2, 10), W(2025, 9, 30)),
]


@pytest.mark.parametrize("kpi", sorted(kpi_cache.CACHED))
def test_every_stored_copy_equals_the_live_query_on_the_demo_data(demo_db, kpi):
    from dashboard.kpis import prepare, run_arrow

    with db.connect_readonly(demo_db) as con:
        assert kpi_cache.is_current(con, prepare)
        day = kpi_cache.overview_as_of(con, prepare)
        variants = kpi_cache.CACHED[kpi].variants(day)
        assert day is not None and any(as_of == day for _, _, as_of in variants) == bool(
            kpi_cache.CACHED[kpi].as_of_combos
        )
        for grain, by, as_of in variants:
            for date_from, date_to in RANGES:
                prepared = prepare(
                    kpi, grain=grain, by=by, as_of=as_of, date_from=date_from, date_to=date_to
                )
                case = (kpi, grain, by, as_of, date_from, date_to)
                stored = kpi_cache.lookup(con, prepared)
                live = run_arrow(con, prepared)
                if stored is None:  # no stored rows in the range: the live query answers
                    assert live.num_rows == 0, case
                else:
                    assert stored.equals(live), case


def test_a_queries_folder_without_a_kpi_file_still_stores_the_others(tmp_path, monkeypatch, capsys):
    # An analyst's folder with the staging views and complaints.sql only (no retention.sql):
    # the import works, complaints is stored, nothing warns about the missing files.
    import dashboard.catalog
    import dashboard.paths

    folder = tmp_path / "queries"
    folder.mkdir()
    for name in ("stg_orders", "stg_complaints", "stg_customers", "stg_surveys"):
        shutil.copy(QUERIES_DIR / f"{name}.sql", folder)
    shutil.copy(QUERIES_DIR / "stg_vip_contacts.sql", folder)
    # the intermediate views complaints.sql reads, transitively (the SLA settings tables too)
    shipped = load_queries(QUERIES_DIR)
    for name in staging_order(shipped, shipped["complaints"].uses_staging):
        if name.startswith("int_"):
            shutil.copy(QUERIES_DIR / f"{name}.sql", folder)
    shutil.copy(QUERIES_DIR / "complaints.sql", folder)
    monkeypatch.setattr(dashboard.paths, "QUERIES_DIR", folder)
    monkeypatch.setattr(dashboard.catalog, "QUERIES_DIR", folder)
    path = tmp_path / "kpi.duckdb"
    with pipeline.publishing_writer(path) as con:
        con.executemany(
            "insert into complaints (complaint_id, customer_id, project, region, opened_at, "
            "resolved_at) values (?, ?, ?, ?, ?, ?)",
            COMPLAINTS,
        )
    assert "warning" not in capsys.readouterr().err
    with db.connect_readonly(path) as con:
        stored = {r[0] for r in con.execute("select kpi from kpi_cache._meta").fetchall()}
        assert stored == {"complaints"}
        assert kpi_cache.is_current(con, prepare)


def test_an_update_or_delete_by_another_tool_is_noticed(tmp_path):
    """The database is the analysts' workbench: an UPDATE or DELETE made with another tool
    (no import, so no new _import_id) must not leave a stored copy answering (#11)."""
    import duckdb as _duckdb

    from dashboard.kpis import prepare
    from dashboard.pipeline import import_files as ingest_paths

    path = tmp_path / "kpi.duckdb"
    complaints = tmp_path / "complaints.csv"
    complaints.write_text(
        "complaint_id,customer_id,project,region,opened_at,resolved_at\n"
        "k1,c1,A,East,2026-03-03 10:00:00,2026-03-04 16:00:00\n"  # 30 h: over 24 h
        "k2,c1,A,East,2026-03-03 10:00:00,2026-03-03 16:00:00\n",  # 6 h: met
        encoding="utf-8",
    )
    ingest_paths([complaints], db=path)
    with db.connect_readonly(path) as con:
        assert kpi_cache.is_current(con, prepare)
        assert kpi_cache.lookup(con, prepare("complaints", grain="week")) is not None
        assert compute(con, "complaints", grain="week")["sla_met"].tolist() == [1]

    other = _duckdb.connect(str(path))  # another tool, read-write, behind the importer
    other.execute(
        "update complaints set resolved_at = timestamp '2026-03-03 11:00' where complaint_id = 'k1'"
    )
    other.close()
    with db.connect_readonly(path) as con:
        assert not kpi_cache.is_current(con, prepare)
        assert kpi_cache.lookup(con, prepare("complaints", grain="week")) is None
        # live: k1 now 1 h, k2 6 h -> both met
        assert compute(con, "complaints", grain="week")["sla_met"].tolist() == [2]

    other = _duckdb.connect(str(path))
    other.execute("delete from complaints where complaint_id = 'k2'")
    other.close()
    with db.connect_readonly(path) as con:
        assert kpi_cache.lookup(con, prepare("complaints", grain="week")) is None
        frame = compute(con, "complaints", grain="week")
        assert (frame["opened"].tolist(), frame["sla_met"].tolist()) == ([1], [1])


# ------------------------------------------------ copies as of the Overview's day (#14)


def test_the_overview_day_is_the_sunday_of_the_latest_complete_week(tmp_path):
    # Independently of kpi_cache: present.periods (the Overview's own rule) over 3 years of
    # last days; every weekday and the year ends (ISO weeks that straddle them) come up.
    from dashboard.present.periods import latest_complete_week

    path = tmp_path / "kpi.duckdb"
    with pipeline.publishing_writer(path) as con:
        day = W(2025, 12, 20)
        while day < W(2028, 1, 10):
            con.execute("delete from surveys")
            insert_surveys(con, [("s1", "c1", "A", "East", f"{day} 23:59:00", 5, 10)])
            assert kpi_cache.overview_as_of(con, prepare) == latest_complete_week(day).sunday
            day += dt.timedelta(days=1)


def test_the_overview_day_ignores_customers_join_dates(tmp_path):
    # A customer who joined after the last event does not move the day (as the Overview's
    # data_access.last_event_day): the last survey, Tuesday 03-10, is in a partial week, so
    # the day is Sunday 03-08.
    path = tmp_path / "kpi.duckdb"
    with pipeline.publishing_writer(path) as con:
        insert_surveys(con, SURVEYS)
        con.execute(
            "insert into customers (customer_id, project, region, joined_on, is_vip) "
            "values ('c9', 'A', 'East', date '2026-04-30', false)"
        )
        assert kpi_cache.overview_as_of(con, prepare) == W(2026, 3, 8)
    with pipeline.publishing_writer(path) as con:
        con.execute("delete from surveys")
        con.execute("delete from customers")
        assert kpi_cache.overview_as_of(con, prepare) is None  # no events: no as-of copies


def test_the_copy_as_of_the_overview_day_answers_that_day_only(published):
    # SURVEYS' last response is Tuesday 03-10: the Overview's day is Sunday 03-08, as of
    # which only s1 (03-03) had answered. Overwrite the as-of copy behind the query's back:
    # compute() returns it for that day, and the live query for any other day.
    day = W(2026, 3, 8)
    with pipeline.publishing_writer(published) as con:
        con.execute(
            "update kpi_cache.satisfaction set responses = 99 "
            "where grain = 'week' and by_kind is null and stored_as_of = $day",
            {"day": day},
        )
    with db.connect_readonly(published) as con:
        assert compute(con, "satisfaction", grain="week", as_of=day)["responses"].tolist() == [99]
        # the next day (Monday 03-09): live, s1 only (s2 answered on 03-10)
        monday = compute(con, "satisfaction", grain="week", as_of=W(2026, 3, 9))
        assert monday["responses"].tolist() == [1]
        # over all data: the plain copy, both weeks (by hand in the module docstring)
        assert rows(compute(con, "satisfaction", grain="week")) == WEEKLY
        # a filter is never served from a copy
        filtered = compute(con, "satisfaction", grain="week", as_of=day, projects=["A"])
        assert filtered["responses"].tolist() == [1]


def test_new_data_that_moves_the_overview_day_rebuilds_the_as_of_copies(published):
    # A later survey (Monday 03-16) completes week 03-09: the day moves to Sunday 03-15 and
    # the copies follow; the old day is then answered live.
    with pipeline.publishing_writer(published) as con:
        insert_surveys(con, [("s3", "c3", "A", "East", "2026-03-16 09:00:00", 4, 9)])
    with db.connect_readonly(published) as con:
        assert kpi_cache.overview_as_of(con, prepare) == W(2026, 3, 15)
        assert kpi_cache.is_current(con, prepare)
        new_day = prepare("satisfaction", grain="week", as_of=W(2026, 3, 15))
        old_day = prepare("satisfaction", grain="week", as_of=W(2026, 3, 8))
        assert kpi_cache.lookup(con, new_day) is not None
        assert kpi_cache.lookup(con, old_day) is None
        # as of 03-15: s1 in week 03-02, s2 in week 03-09 (s3 is after the day)
        frame = compute(con, "satisfaction", grain="week", as_of=W(2026, 3, 15))
        assert frame["responses"].tolist() == [1, 1]


def test_every_call_of_the_weekly_overview_is_answered_by_a_stored_copy(demo_db):
    # The Overview's default view (pages/overview.py, as overview_probe replays it): the
    # headline KPIs by week and the movers by project, as of the shown week's Sunday, and
    # VIP coverage by month - every one of them read from kpi_cache, none computed live.
    from dashboard.kpis import prepare
    from dashboard.present.headlines import BY_KEY, HEADLINE_KPIS, MOVER_KEYS
    from dashboard.present.periods import latest_complete_week

    with db.connect_readonly(demo_db) as con:
        last = max(
            row[0]
            for row in con.execute(
                "select max(ordered_at)::date from orders union all "
                "select max(opened_at)::date from complaints union all "
                "select max(submitted_at)::date from surveys union all "
                "select max(contacted_at)::date from vip_contacts"
            ).fetchall()
            if row[0] is not None
        )
        week = latest_complete_week(last)
        day = week.sunday
        calls = [(kpi, "week", None, week.shift(-12).monday, week.monday) for kpi in HEADLINE_KPIS]
        calls += [
            (BY_KEY[k].kpi, "week", "project", week.shift(-1).monday, week.monday)
            for k in MOVER_KEYS
        ]
        calls.append(("vip_coverage", "month", None, None, day.replace(day=1)))
        for kpi, grain, by, date_from, date_to in calls:
            prepared = prepare(
                kpi, grain=grain, by=by, as_of=day, date_from=date_from, date_to=date_to
            )
            assert kpi_cache.lookup(con, prepared) is not None, (kpi, grain, by)


def test_each_tables_version_is_read_once_per_read_only_file(published, monkeypatch):
    """The first page after an import checks several stored copies reading the same tables
    (#14): each table's storage layout is read once per file, and the composed version is
    what the one-query form gives."""
    from dashboard import data_version

    reads = []
    original = data_version.table_versions

    def counted(con, tables):
        reads.extend(tables)
        return original(con, tables)

    monkeypatch.setattr(data_version, "table_versions", counted)
    tables = ("surveys", "date_spine")
    with db.connect_readonly(published) as con:
        one_query = con.execute(data_version.data_version_sql(tables)).fetchone()[0]
        assert data_version.current_version(con, tables) == one_query
        assert data_version.current_version(con, ("surveys",)) == one_query.rsplit("|", 2)[0]
        assert data_version.current_version(con, tables) == one_query
    assert sorted(reads) == ["date_spine", "surveys"]  # once each, not three times
