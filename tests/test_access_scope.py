"""Scope intersection (#15) on hand-made scopes and filters, and the KPI API's use of it."""

from __future__ import annotations

import pytest
from tests_ui_support import build_tiny_db

from dashboard import kpi_cache, kpis
from dashboard.access.scope import Scope, ScopeError, check_query, needs_pairs, restrict
from dashboard.db import connect_readonly

PAIRS = [("East", "A"), ("East", "B"), ("West", "C"), ("West", "D")]


def test_everything_passes_filters_through():
    assert restrict(Scope.all(), ["A"], ["West"]) == (["A"], ["West"])
    assert restrict(None, [], []) == ([], [])


def test_empty_filters_take_the_scope():
    scope = Scope(projects=("B", "A"), regions=("East",))
    assert restrict(scope, [], []) == (["A", "B"], ["East"])  # sorted, canonical


def test_filter_inside_the_scope_narrows_it():
    scope = Scope(projects=("A", "B"), regions=("East",))
    assert restrict(scope, ["B"], []) == (["B"], ["East"])
    assert restrict(scope, [], ["East"]) == (["A", "B"], ["East"])


@pytest.mark.parametrize(
    ("projects", "regions", "refused"),
    [(["C"], [], "C"), (["A", "C"], [], "C"), ([], ["West"], "West"), (["A"], ["West"], "West")],
)
def test_filter_outside_the_scope_is_refused_by_name(projects, regions, refused):
    scope = Scope(projects=("A", "B"), regions=("East",))
    with pytest.raises(ScopeError, match=f"'{refused}' is outside your scope") as info:
        restrict(scope, projects, regions)
    assert info.value.value == refused
    assert isinstance(info.value, ValueError)


def test_region_only_scope_checks_projects_against_the_data():
    scope = Scope(regions=("East",))
    assert needs_pairs(scope, ["A"], [])
    assert restrict(scope, ["A"], [], pairs=PAIRS) == (["A"], ["East"])
    with pytest.raises(ScopeError, match="project 'C'"):
        restrict(scope, ["C"], [], pairs=PAIRS)  # C lies in West
    with pytest.raises(ScopeError, match="project 'A'"):
        restrict(scope, ["A"], [])  # no pairs given: the safe side refuses


def test_project_only_scope_checks_regions_against_the_data():
    scope = Scope(projects=("C",))
    assert restrict(scope, [], ["West"], pairs=lambda: PAIRS) == (["C"], ["West"])
    with pytest.raises(ScopeError, match="region 'East'"):
        restrict(scope, [], ["East"], pairs=lambda: PAIRS)


def test_scope_allows_pairs_with_and_semantics():
    scope = Scope(projects=("A", "C"), regions=("East",))
    assert scope.pairs(PAIRS) == [("East", "A")]  # C is in West: outside "A or C, in East"
    assert Scope.all().pairs(PAIRS) == PAIRS


def test_scope_needs_a_limit_and_is_a_stable_cache_key():
    with pytest.raises(ValueError):
        Scope()
    assert Scope(projects=("B", "A")) == Scope(projects=("A", "B", "A"))
    assert hash(Scope(projects=("B", "A"))) == hash(Scope(projects=("A", "B")))


def test_queries_without_both_filters_are_refused_for_a_limited_scope():
    check_query(Scope.all(), "dimensions", ())
    with pytest.raises(ScopeError, match="dimensions"):
        check_query(Scope(projects=("A",)), "dimensions", ())
    with pytest.raises(ScopeError):
        check_query(Scope(projects=("A",)), "x", ("projects",))


# --- through the KPI API, on the tiny database of tests_ui_support -------------------------


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = build_tiny_db(tmp_path_factory.mktemp("scope") / "tiny.duckdb")  # stores copies
    connection = connect_readonly(path)
    yield connection
    connection.close()


def test_compute_with_scope_equals_the_filtered_call(con):
    # Surveys (tests_ui_support): s4 c2 Alpha 10-28 csat 4; s1 c1 Alpha 11-03 csat 5;
    # s2 c4 深圳湾 11-04 csat 3; s3 c6 Beta 11-05 csat 4. Alpha only: week 10-26 one
    # response (4.0), week 11-02 one response (5.0).
    frame = kpis.compute(con, "satisfaction", scope=Scope(projects=("Alpha",)))
    got = {str(r.period_start): (r.responses, r.csat_avg) for r in frame.itertuples()}
    assert got == {"2026-10-26": (1, 4.0), "2026-11-02": (1, 5.0)}


def test_scoped_call_is_never_served_from_the_unfiltered_copy(con):
    # The unfiltered copy has 4 responses; the East scope must not see s2 (深圳湾, 华南).
    everything = kpis.compute(con, "satisfaction")
    assert int(everything["responses"].sum()) == 4
    assert kpi_cache.lookup(con, kpis.prepare("satisfaction")) is not None  # copy exists
    prepared = kpis.prepare("satisfaction", scope=Scope(regions=("East",)))
    assert prepared.values["regions"] == ["East"]
    assert kpi_cache.lookup(con, prepared) is None
    east = kpis.compute(con, "satisfaction", scope=Scope(regions=("East",)))
    assert int(east["responses"].sum()) == 3  # s4, s1, s3


def test_compute_refuses_a_project_of_another_region(con):
    with pytest.raises(ScopeError, match="project '深圳湾'"):
        kpis.compute(con, "satisfaction", projects=["深圳湾"], scope=Scope(regions=("East",)))
    frame = kpis.compute(con, "satisfaction", projects=["Beta"], scope=Scope(regions=("East",)))
    assert int(frame["responses"].sum()) == 1  # s3


def test_compute_refuses_unscopable_queries(con):
    with pytest.raises(ScopeError, match="data_quality"):
        kpis.compute(con, "data_quality", scope=Scope(projects=("Alpha",)))


def test_anonymise_keeps_only_own_rows_with_the_total():
    import pandas as pd

    from dashboard.access.ranks import anonymise

    ranked = pd.DataFrame(
        {
            "rank": [1, 2, 2, 4],
            "project": ["P1", "Mine", "P3", "P4"],
            "value": [0.9, 0.8, 0.8, 0.5],
            "previous_rank": pd.array([2, 1, None, 3], dtype="Int64"),
            "previous_value": [0.7, 0.9, None, 0.6],
            "rank_change": pd.array([1, -1, None, -1], dtype="Int64"),
        }
    )
    mine = anonymise(ranked, ["Mine", "NotRanked"])
    assert mine["project"].tolist() == ["Mine"]
    assert (int(mine["rank"][0]), int(mine["total"][0]), int(mine["previous_total"][0])) == (
        2,
        4,
        3,
    )
    assert not {"P1", "P3", "P4"} & set(map(str, mine.to_numpy().ravel()))
