"""Every contract KPI against an independent computation on random small datasets (#11).

hypothesis builds customers, orders, complaints (open ones, answers and resolutions at the
period boundaries), surveys and VIP contacts (VIP starts inside the windows), then compares
``dashboard.kpis.compute`` (the SQL of queries/) with ``dashboard.bench.pandas_baseline``,
which is written from shared/spec/kpis.md in pandas and shares no code with the SQL: both
grains, with and without project/region filters, with and without ``as_of``.
"""

from __future__ import annotations

import datetime as dt
import math

import duckdb
import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dashboard import kpis, materialized
from dashboard.bench import pandas_baseline
from dashboard.schema import create_schema
from dashboard.settings import Settings

START = dt.datetime(2026, 1, 26)  # a Monday; the data spans about ten weeks
DAYS = 70
PROJECTS = ("A", "B", "C")
REGION_OF = {"A": "East", "B": "East", "C": "West"}
SETTINGS = Settings()  # the defaults: 24 h SLA, 30-day VIP interval

# Instants land on round hours and on the exact midnight of period boundaries often, where
# "opened before the period's end" and "the 30 days ending on the last day" are decided.
moments = st.builds(
    lambda day, hour, minute: START + dt.timedelta(days=day, hours=hour, minutes=minute),
    st.integers(0, DAYS - 1),
    st.sampled_from([0, 0, 9, 12, 23]),
    st.sampled_from([0, 0, 30, 59]),
)
dates = st.builds(lambda d: (START + dt.timedelta(days=d)).date(), st.integers(-40, DAYS))
optional_dates = st.none() | dates


@st.composite
def datasets(draw):
    n_customers = draw(st.integers(1, 8))
    customers = []
    for i in range(n_customers):
        project = draw(st.sampled_from(PROJECTS))
        customers.append(
            (
                f"c{i}",
                project,
                REGION_OF[project],
                draw(st.booleans()),
                draw(optional_dates),
                draw(optional_dates),
            )
        )
    ids = [c[0] for c in customers]
    project_of = {c[0]: c[1] for c in customers}

    orders = []
    for i in range(draw(st.integers(0, 25))):
        cid = draw(st.sampled_from(ids))
        # an order's project is usually the customer's, sometimes another one's
        project = draw(st.sampled_from([project_of[cid], project_of[cid], *PROJECTS]))
        orders.append((f"o{i}", cid, project, REGION_OF[project], draw(moments)))

    complaints = []
    for i in range(draw(st.integers(0, 15))):
        project = draw(st.sampled_from(PROJECTS))
        opened = draw(moments)
        delays = st.none() | st.builds(
            lambda h, m: dt.timedelta(hours=h, minutes=m),
            st.sampled_from([0, 1, 5, 24, 48, 100, 300]),
            st.sampled_from([0, 0, 30]),
        )
        first, resolved = draw(delays), draw(delays)
        complaints.append(
            (
                f"k{i}",
                project,
                REGION_OF[project],
                opened,
                None if first is None else opened + first,
                None if resolved is None else opened + resolved,
            )
        )

    surveys = []
    for i in range(draw(st.integers(0, 15))):
        project = draw(st.sampled_from(PROJECTS))
        nps = draw(st.none() | st.integers(0, 10))
        surveys.append(
            (f"s{i}", project, REGION_OF[project], draw(moments), draw(st.integers(1, 5)), nps)
        )

    contacts = []
    for i in range(draw(st.integers(0, 15))):
        method = draw(st.sampled_from(["phone", "visit", "other"]))
        contacts.append((f"v{i}", draw(st.sampled_from(ids)), draw(moments), method))
    return customers, orders, complaints, surveys, contacts


def load(data, stored: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory database with the dataset; ``stored``: with the stored intermediates
    written, as an import does (dashboard/materialized.py), so the KPIs read them."""
    customers, orders, complaints, surveys, contacts = data
    con = duckdb.connect("")
    create_schema(con)
    inserts = {
        "customers (customer_id, project, region, is_vip, vip_since, joined_on)": customers,
        "orders (order_id, customer_id, project, region, ordered_at)": orders,
        "complaints (complaint_id, project, region, opened_at, first_response_at, resolved_at)": complaints,
        "surveys (response_id, project, region, submitted_at, csat, nps)": surveys,
        "vip_contacts (contact_id, customer_id, contacted_at, method)": contacts,
    }
    for target, rows in inserts.items():
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            con.executemany(f"insert into {target} values ({marks})", rows)
    if stored:
        materialized.build(con, kpis.catalog(), SETTINGS.sql_params())
        assert materialized.is_current(con, kpis.catalog(), SETTINGS.sql_params())
    return con


def normalise(frame: pd.DataFrame) -> list[tuple]:
    def cell(value):
        if value is None or value is pd.NA or value is pd.NaT:
            return None
        if isinstance(value, pd.Timestamp):
            return value.date()
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, float) and math.isnan(value):
            return None
        if hasattr(value, "item"):
            return cell(value.item())
        return value

    return [tuple(cell(v) for v in row) for row in frame.itertuples(index=False, name=None)]


def same(product: list[tuple], baseline: list[tuple]) -> bool:
    if len(product) != len(baseline):
        return False
    for left, right in zip(product, baseline, strict=True):
        for a, b in zip(left, right, strict=True):
            if isinstance(a, float) or isinstance(b, float):
                if a is None or b is None:
                    if a is not b:
                        return False
                elif not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
                    return False
            elif a != b:
                return False
    return True


FILTERS = [
    {},
    {"projects": ["A"]},
    {"regions": ["East"]},
    {"projects": ["A", "C"]},
    {"projects": ["B"], "regions": ["West"]},  # nothing matches both
]


# no "explain" phase: its tracing made a failing run take minutes
PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)


@settings(
    max_examples=80,
    deadline=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    data=datasets(),
    as_of=st.none()
    | st.builds(lambda d: (START + dt.timedelta(days=d)).date(), st.integers(0, DAYS)),
    filters=st.sampled_from(FILTERS),
    stored=st.booleans(),
)
def test_every_kpi_matches_the_independent_computation(data, as_of, filters, stored):
    con = load(data, stored)
    try:
        tables = pandas_baseline.load_tables(con)
        for kpi in pandas_baseline.KPI_NAMES:
            for grain in ("month",) if kpi == "cohorts" else ("week", "month"):
                product = kpis.compute(
                    con, kpi, grain=grain, as_of=as_of, settings=SETTINGS, **filters
                )
                baseline = pandas_baseline.compute(tables, kpi, grain=grain, as_of=as_of, **filters)
                assert list(product.columns) == list(baseline.columns), kpi
                got, want = normalise(product), normalise(baseline)
                assert same(got, want), (kpi, grain, as_of, filters, got, want)
    finally:
        con.close()


@settings(
    max_examples=40, deadline=None, phases=PHASES, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=datasets(), bounds=st.tuples(st.integers(0, DAYS), st.integers(0, DAYS)))
def test_date_range_only_chooses_periods(data, bounds):
    """--from/--to pick the printed periods; they never change a printed period's numbers."""
    con = load(data)
    try:
        lo, hi = sorted(bounds)
        date_from = (START + dt.timedelta(days=lo)).date()
        date_to = (START + dt.timedelta(days=hi)).date()
        for kpi in pandas_baseline.KPI_NAMES:
            grain = "month" if kpi == "cohorts" else "week"
            full = kpis.compute(con, kpi, grain=grain, settings=SETTINGS)
            window = kpis.compute(
                con, kpi, grain=grain, date_from=date_from, date_to=date_to, settings=SETTINGS
            )
            first = full.columns[0]
            keep = full[(full[first] >= date_from) & (full[first] <= date_to)]
            assert same(normalise(window), normalise(keep)), kpi
    finally:
        con.close()
