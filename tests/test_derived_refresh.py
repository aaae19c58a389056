"""What an import refreshes of the derived layer (dashboard/derived.py, #14): only the stored
tables whose input tables changed, everything current as published, checked without
opening the published file again.

The stored tables are marked by hand with a row no build would write ('marker'): a table
the import rewrote has lost it, one it left alone still has it.
"""

from __future__ import annotations

import pytest

from dashboard import db, kpi_cache, kpis, materialized, pipeline
from dashboard.data_version import composed, table_versions
from dashboard.settings import load_settings

ORDERS = "order_id,customer_id,project,region,ordered_at\n"
SURVEYS = "response_id,customer_id,project,region,submitted_at,csat,nps\n"
VIP_CONTACTS = "contact_id,customer_id,contacted_at,method\n"
CUSTOMERS = "customer_id,project,region,is_vip\n"


def _csv(path, header, lines):
    path.write_text(header + lines, encoding="utf-8")
    return path


def _stored_intermediates(con):
    return materialized.current(con, kpis.catalog(), load_settings().sql_params())


def _current_copies(con):
    day = kpi_cache.overview_as_of(con, kpis.prepare)
    return {kpi for kpi in kpi_cache.CACHED if kpi_cache._is_current(con, kpi, kpis.prepare, day)}


def _marked(con, table):
    return con.execute(f"select count(*) from {table} where grain = 'marker'").fetchone()[0]


@pytest.fixture
def imported(tmp_path):
    """Orders and surveys imported (one file each), then the stored retention activity and
    satisfaction copy marked."""
    path = tmp_path / "kpi.duckdb"
    orders = _csv(tmp_path / "orders.csv", ORDERS, "o1,c1,A,East,2026-03-03 10:00:00\n")
    surveys = _csv(tmp_path / "surveys.csv", SURVEYS, "s1,c1,A,East,2026-03-03 10:00:00,5,10\n")
    pipeline.import_files([orders], db=path)
    pipeline.import_files([surveys], db=path)
    with db.writer(path) as con:  # no refresh: the marks are all this publish changes
        con.execute("insert into materialized.int_activity_counts (grain) values ('marker')")
        con.execute("insert into kpi_cache.satisfaction (grain) values ('marker')")
    return path


def test_an_import_leaves_the_stored_tables_of_other_kinds_alone_and_current(imported, tmp_path):
    vip = _csv(tmp_path / "vip_contacts.csv", VIP_CONTACTS, "v1,c1,2026-03-04 09:00:00,phone\n")
    pipeline.import_files([vip], db=imported)
    with db.connect_readonly(imported) as con:
        # VIP contacts feed neither the customers' activity (orders, customers) nor
        # satisfaction (surveys): both tables untouched and still the answer
        assert _marked(con, "materialized.int_activity_counts") == 1
        assert _marked(con, "kpi_cache.satisfaction") == 1
        assert {"int_activity_counts", "int_vip_contacts"} <= _stored_intermediates(con)
        assert _current_copies(con) == set(kpi_cache.CACHED)


def test_an_import_of_customers_leaves_the_customers_activity_alone(imported, tmp_path):
    # int_activity_counts reads orders only; its count column is named `customers`, which
    # once made it watch the customers table too (rebuilt at every import of customers)
    people = _csv(tmp_path / "customers.csv", CUSTOMERS, "c1,A,East,yes\n")
    pipeline.import_files([people], db=imported)
    with db.connect_readonly(imported) as con:
        assert con.execute("select count(*) from customers").fetchone()[0] == 1
        assert _marked(con, "materialized.int_activity_counts") == 1
        assert "int_activity_counts" in _stored_intermediates(con)


def test_an_import_rebuilds_the_stored_tables_that_read_its_kind(imported, tmp_path):
    # on the day before the data's last one: the Overview's as-of day (the Sunday before
    # the last event, 2026-03-01) stays, so the KPI copies of other tables stay too
    more = _csv(tmp_path / "orders2.csv", ORDERS, "o2,c2,B,West,2026-03-02 10:00:00\n")
    pipeline.import_files([more], db=imported)
    with db.connect_readonly(imported) as con:
        assert _marked(con, "materialized.int_activity_counts") == 0  # rebuilt
        assert _marked(con, "kpi_cache.satisfaction") == 1  # surveys did not change
        assert "int_activity_counts" in _stored_intermediates(con)
        assert _current_copies(con) == set(kpi_cache.CACHED)
        # c1 (A/East) and c2 (B/West) both active in week 03-02: one row each
        assert (
            con.execute(
                "select sum(customers) from materialized.int_activity_counts where grain = 'week'"
            ).fetchone()[0]
            == 2
        )


def test_the_import_checks_what_it_stored_before_publishing(tmp_path, monkeypatch):
    def reopened(path):
        raise AssertionError("the published file was opened again to check it")

    monkeypatch.setattr(pipeline, "_outdated", reopened)
    path = tmp_path / "kpi.duckdb"
    orders = _csv(tmp_path / "orders.csv", ORDERS, "o1,c1,A,East,2026-03-03 10:00:00\n")
    pipeline.import_files([orders], db=path)
    with db.connect_readonly(path) as con:
        assert "int_activity_counts" in _stored_intermediates(con)
        assert _current_copies(con) == set(kpi_cache.CACHED)


def test_a_skipped_last_file_still_has_the_published_file_checked(tmp_path, monkeypatch):
    path = tmp_path / "kpi.duckdb"
    orders = _csv(tmp_path / "orders.csv", ORDERS, "o1,c1,A,East,2026-03-03 10:00:00\n")
    pipeline.import_files([orders], db=path)
    checked = []
    real = pipeline._outdated
    monkeypatch.setattr(pipeline, "_outdated", lambda p: checked.append(p) or real(p))
    pipeline.import_files([orders], db=path)  # same content: skipped, nothing published
    assert checked == [path]


def test_restamping_moves_only_the_records_current_before(imported):
    """What ``checkpoint_keeping_versions`` does when a checkpoint moved the storage layout
    of surveys (its rows the same): satisfaction's copy, recorded with the version before,
    gets the version after; copies of other tables and a copy already stale stay as they
    are."""
    with db.writer(imported) as con:
        tables = kpi_cache.CACHED["satisfaction"].tables
        before = table_versions(con, ("orders", "complaints", "surveys", "customers",
                                      "vip_contacts", "date_spine"))  # fmt: skip
        after = {**before, "surveys": "moved"}
        con.execute(
            "update kpi_cache._meta set data_version = 'stale' "
            "where kpi = 'satisfaction' and grain = 'month' and by_kind is null"
        )
        kpi_cache.restamp(con, before, after)
        stamped = dict(
            con.execute(
                "select grain || coalesce(by_kind, ''), data_version from kpi_cache._meta "
                "where kpi = 'satisfaction'"
            ).fetchall()
        )
        others = set(
            con.execute(
                "select data_version from kpi_cache._meta where kpi = 'complaints'"
            ).fetchall()
        )
        queries, settings = kpis.catalog(), load_settings().sql_params()
        activity = ("orders",)
        materialized.restamp(con, queries, settings, before, {**before, "orders": "moved"})
        activity_version = con.execute(
            "select data_version from materialized._meta where query_id = 'int_activity_counts'"
        ).fetchone()[0]
        vips_version = con.execute(
            "select data_version from materialized._meta where query_id = 'int_vips'"
        ).fetchone()[0]
    moved = composed(after, tables)
    assert stamped == {"week": moved, "weekproject": moved, "month": "stale", "monthproject": moved}
    assert others == {(composed(before, kpi_cache.CACHED["complaints"].tables),)}
    assert activity_version == composed({**before, "orders": "moved"}, activity)
    assert vips_version == composed(before, ("customers",))
