"""Simulate the demo company's business: clean, typed numpy arrays, no file formats.

Time is a float number of days since the window's first day at 00:00 (``t``); the window
is ``WINDOW_DAYS`` long and ends at the end of ``end``. Everything is vectorised so that
100x (2 million orders) stays fast; the only Python loops run over months or projects.

The writers (``writers.py``) turn this into messy export files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from dashboard.demo import company
from dashboard.demo.company import PROJECTS

WINDOW_DAYS = 728  # 104 ISO weeks: Monday .. the end Sunday
# Sizes at scale 1 (the embedded default); --scale multiplies them.
BASE_CUSTOMERS = 3000
BASE_ORDERS = 20_000
BASE_COMPLAINTS = 2000
BASE_SURVEYS = 3000
BASE_VIPS = 92  # VIPs among the customers still active at the end (~6% of them)


@dataclass
class Customers:
    ids: np.ndarray  # str, "C000001" in order of joining
    names: np.ndarray  # str
    project: np.ndarray  # int index into PROJECTS
    joined: np.ndarray  # int day (may be negative: joined before the window)
    churned: np.ndarray  # float day, inf when still a customer at the end
    is_vip: np.ndarray  # bool
    vip_since: np.ndarray  # float day, nan when not a VIP or not recorded
    staff: np.ndarray  # int index into World.staff_names (the VIP's account manager)


@dataclass
class Orders:
    number: np.ndarray  # int64 yyyymmdd * 100000 + sequence in the day; the id is "SO<number>"
    customer: np.ndarray  # int index into customers
    t: np.ndarray  # float day (second resolution)
    amount: np.ndarray  # float CNY
    service: np.ndarray  # int index into company.ORDER_SERVICES
    pay: np.ndarray  # int index into company.PAY_METHODS

    def id_text(self, idx: np.ndarray) -> list[str]:
        """Order ids of some rows (made per chunk: 2M id strings would cost ~200 MB)."""
        return [f"SO{number}" for number in self.number[idx].tolist()]

    @property
    def ids(self) -> list[str]:
        return self.id_text(np.arange(len(self.number)))


@dataclass
class Complaints:
    ids: np.ndarray
    customer: np.ndarray  # int index, -1 anonymous
    unknown_customer: np.ndarray  # str id not in the customers export, "" when not used
    project: np.ndarray
    category: np.ndarray
    channel: np.ndarray
    severity: np.ndarray
    opened: np.ndarray  # int minutes since window start
    first_response: np.ndarray  # int minutes, -1 when none (yet)
    resolved: np.ndarray  # int minutes, -1 when still open
    handler: np.ndarray  # int staff index
    text: np.ndarray  # int index into the category's texts


@dataclass
class Surveys:
    ids: np.ndarray
    customer: np.ndarray  # int index, -1 anonymous
    project: np.ndarray
    submitted: np.ndarray  # int minutes since window start
    csat: np.ndarray  # int 1..5
    nps: np.ndarray  # int 0..10, -1 not answered
    method: np.ndarray
    comment: np.ndarray


@dataclass
class VipContacts:
    ids: np.ndarray
    customer: np.ndarray  # int index
    contacted: np.ndarray  # int minutes since window start
    method: np.ndarray  # str as the staff member writes it
    staff: np.ndarray  # int staff index
    note: np.ndarray


@dataclass
class World:
    start: dt.date
    end: dt.date
    customers: Customers
    orders: Orders
    complaints: Complaints
    surveys: Surveys
    vip_contacts: VipContacts
    staff_names: tuple[str, ...]
    staff_project: np.ndarray  # project index of each member of staff

    def datetimes(self, minutes: np.ndarray) -> np.ndarray:
        """Minutes since the window start -> datetime64[s]."""
        return np.datetime64(self.start, "s") + minutes.astype("int64") * np.timedelta64(60, "s")

    def datetimes_from_days(self, t: np.ndarray) -> np.ndarray:
        seconds = np.floor(t * 86400).astype("int64")
        return np.datetime64(self.start, "s") + seconds * np.timedelta64(1, "s")


def simulate(scale: float = 1, seed: int = 42, end: dt.date | None = None) -> World:
    end = end or DEFAULT_END
    if scale <= 0:
        raise ValueError("scale must be positive")
    start = end - dt.timedelta(days=WINDOW_DAYS - 1)
    # Independent streams per component: changing one part does not reshuffle the others.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(8)]
    clock = Clock(start)
    staff_names, staff_project = _staff()
    customers, rate, one_time = _customers(streams[0], clock, scale)
    orders = _orders(streams[1], clock, customers, rate, one_time, scale)
    _choose_vips(streams[2], clock, customers, rate, one_time, scale, staff_project)
    vip_contacts = _vip_contacts(streams[3], clock, customers, staff_names, staff_project)
    complaints = _complaints(streams[4], clock, customers, orders, scale, staff_project)
    surveys = _surveys(streams[5], clock, customers, orders, scale)
    return World(
        start=start,
        end=end,
        customers=customers,
        orders=orders,
        complaints=complaints,
        surveys=surveys,
        vip_contacts=vip_contacts,
        staff_names=staff_names,
        staff_project=staff_project,
    )


DEFAULT_END = dt.date(2026, 11, 22)  # a Sunday: the last complete ISO week before 2026-11-23


class Clock:
    """Calendar helpers for day numbers relative to the window start."""

    def __init__(self, start: dt.date) -> None:
        self.start = start
        self.start64 = np.datetime64(start, "D")
        first_month = np.datetime64(start, "M")
        last_month = np.datetime64(start + dt.timedelta(days=WINDOW_DAYS), "M")
        months = np.arange(first_month, last_month + 2)
        # Day number of each calendar month's first day (first one may be negative).
        self.month_edges = (months.astype("datetime64[D]") - self.start64).astype("int64")
        self.month_numbers = months.astype("int64") % 12 + 1

    def day(self, date: dt.date | str) -> int:
        return int((np.datetime64(date, "D") - self.start64).astype("int64"))

    def month_index(self, t: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.month_edges, np.floor(t), side="right") - 1

    def calendar_month(self, t: np.ndarray) -> np.ndarray:
        return self.month_numbers[self.month_index(t)]

    def season(self, t: np.ndarray) -> np.ndarray:
        """Relative order intensity in (0, 1]: weekends, Lunar New Year dip, Double 11."""
        day = np.floor(t).astype("int64")
        weekday = (day + self.start.weekday()) % 7
        factor = np.array([1.0, 1.0, 1.0, 1.0, 1.05, 1.15, 0.85])[weekday]
        for lny in company.LUNAR_NEW_YEAR:
            offset = t - self.day(lny)
            factor = np.where((offset > -7) & (offset < 10), factor * 0.5, factor)
        month_start = self.month_edges[self.month_index(t)]
        double11 = (self.calendar_month(t) == 11) & (day - month_start < 11)
        factor = np.where(double11, factor * 1.3, factor)
        return factor / (1.15 * 1.3)


def _staff() -> tuple[tuple[str, ...], np.ndarray]:
    names: list[str] = []
    projects: list[int] = []
    for index, project in enumerate(PROJECTS):
        for name in project.staff:
            names.append(name)
            projects.append(index)
    return tuple(names), np.array(projects)


def _project_column(attribute: str) -> np.ndarray:
    return np.array([getattr(p, attribute) for p in PROJECTS], dtype=float)


def _opening_days(clock: Clock) -> np.ndarray:
    """Day each project opens (hands over to owners); -inf for long-standing projects."""
    return np.array(
        [
            WINDOW_DAYS - p.opens_days_before_end if p.opens_days_before_end else -np.inf
            for p in PROJECTS
        ]
    )


def _worsening(t: np.ndarray, project: np.ndarray) -> np.ndarray:
    """0 before a project's service starts worsening, ramping to 1 over 30 days."""
    start = np.array(
        [
            WINDOW_DAYS - p.worsens_days_before_end if p.worsens_days_before_end else np.inf
            for p in PROJECTS
        ]  # fmt: skip
    )[project]
    return np.clip((t - start) / 30.0, 0.0, 1.0)


def _time_of_day(rng: np.random.Generator, n: int, hours: np.ndarray) -> np.ndarray:
    """A fraction of a day drawn from an hourly profile (24 weights)."""
    hour = rng.choice(24, size=n, p=hours / hours.sum())
    return (hour + rng.random(n)) / 24.0


ORDER_HOURS = np.array([1, 0.5, 0.3, 0.2, 0.2, 0.3, 1, 3, 6, 9, 10, 9, 7, 7, 8, 8, 8, 7, 7, 8,
                        9, 8, 5, 2], dtype=float)  # fmt: skip
OFFICE_HOURS = np.array([0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 2, 6, 10, 10, 8, 4, 6, 9, 9, 8, 6, 3,
                         2, 2, 1.5, 1, 0.5], dtype=float)  # fmt: skip
CALL_HOURS = np.array([0, 0, 0, 0, 0, 0, 0, 0, 2, 8, 10, 8, 2, 4, 9, 10, 9, 6, 2, 1, 0.5, 0, 0,
                       0], dtype=float)  # fmt: skip
SURVEY_HOURS = np.array([0.2, 0.1, 0, 0, 0, 0, 0.2, 1, 3, 6, 7, 6, 5, 5, 6, 6, 6, 6, 7, 8, 8, 6,
                         3, 1], dtype=float)  # fmt: skip


def _customer_names(rng: np.random.Generator, n: int) -> np.ndarray:
    surnames = np.array(list(company.SURNAMES))
    given = np.array(list(company.GIVEN_CHARS))
    first = surnames[rng.integers(0, len(surnames), n)]
    second = given[rng.integers(0, len(given), n)]
    third = np.where(rng.random(n) < 0.65, given[rng.integers(0, len(given), n)], "")
    return np.char.add(np.char.add(first, second), third)


def _customers(
    rng: np.random.Generator, clock: Clock, scale: float
) -> tuple[Customers, np.ndarray, np.ndarray]:
    n = max(20, round(BASE_CUSTOMERS * scale))
    weights = _project_column("weight")
    project = rng.choice(len(PROJECTS), size=n, p=weights / weights.sum())
    opens = _opening_days(clock)[project]
    new_project = np.isfinite(opens)
    # A third were already customers when the window starts; the rest join over time, at a
    # growing pace (u ** 0.8 leans late); a newly handed-over project fills up fast.
    existing = (rng.random(n) < 0.35) & ~new_project
    u = rng.random(n)
    open_day = np.where(new_project, opens, 0.0)
    late = open_day + (WINDOW_DAYS - open_day) * np.where(new_project, u**1.6, u**0.8)
    joined = np.where(existing, -rng.integers(1, 1500, n), np.floor(late)).astype("int64")
    joined = np.minimum(joined, WINDOW_DAYS - 1)
    order = np.lexsort((rng.random(n), joined))  # ids follow the order of joining
    project, joined, existing = project[order], joined[order], existing[order]

    rate = rng.gamma(1.2, 1 / 1.2, n)  # purchase frequency: most modest, a few very active
    one_time = ~existing & (rng.random(n) < _project_column("one_time_share")[project])
    churned = _churn(rng, clock, project, np.maximum(joined, 0))
    customers = Customers(
        ids=np.char.add("C", np.char.zfill(np.arange(1, n + 1).astype(str), 6)),
        names=_customer_names(rng, n),
        project=project,
        joined=joined,
        churned=churned,
        is_vip=np.zeros(n, dtype=bool),
        vip_since=np.full(n, np.nan),
        staff=np.zeros(n, dtype="int64"),
    )
    return customers, rate, one_time


def _churn(
    rng: np.random.Generator, clock: Clock, project: np.ndarray, active_from: np.ndarray
) -> np.ndarray:
    """Monthly churn hazard per project (tripled where service worsens lately)."""
    base = _project_column("monthly_churn")[project]
    churned = np.full(len(project), np.inf)
    for a, b in zip(clock.month_edges[:-1], clock.month_edges[1:], strict=True):
        a, b = max(a, 0), min(b, WINDOW_DAYS)
        if a >= b:
            continue
        at_risk = np.isinf(churned) & (active_from < b)
        begin = np.maximum(active_from, a)
        exposure = np.where(at_risk, (b - begin) / 30.4, 0.0)
        hazard = base * (1 + 2.0 * _worsening(np.full(len(project), (a + b) / 2), project))
        leaves = at_risk & (rng.random(len(project)) < 1 - (1 - hazard) ** exposure)
        churned = np.where(leaves, begin + rng.random(len(project)) * (b - begin), churned)
    return churned


def _orders(
    rng: np.random.Generator,
    clock: Clock,
    customers: Customers,
    rate: np.ndarray,
    one_time: np.ndarray,
    scale: float,
) -> Orders:
    n = len(customers.ids)
    target = BASE_ORDERS * scale
    # New customers place a first order within days of joining.
    newcomer = np.flatnonzero(customers.joined >= 0)
    first_t = customers.joined[newcomer] + rng.exponential(1.5, len(newcomer))
    keep = first_t < WINDOW_DAYS
    newcomer, first_t = newcomer[keep], first_t[keep]
    one_time_first = np.isin(newcomer, np.flatnonzero(one_time))
    # One-time buyers leave right after their first order.
    customers.churned[newcomer[one_time_first]] = first_t[one_time_first] + 0.01

    # Repeat orders: a Poisson process per customer over their active span, thinned by
    # the season; the base rate is calibrated so the total is about the target.
    begin = np.maximum(customers.joined, 0).astype(float)
    stop = np.minimum(customers.churned, WINDOW_DAYS)
    span = np.where(one_time, 0.0, np.clip(stop - begin, 0, None))
    mean_season = float(clock.season(np.arange(WINDOW_DAYS) + 0.5).mean())
    base = max(target - len(first_t), 0) / max(float((rate * span).sum()), 1e-9)
    counts = rng.poisson(base * rate * span / mean_season)
    who = np.repeat(np.arange(n), counts)
    t = begin[who] + rng.random(len(who)) * span[who]
    accepted = rng.random(len(t)) < clock.season(t)
    who, t = who[accepted], t[accepted]

    who = np.concatenate([newcomer, who])
    t = np.concatenate([first_t, t])
    t = np.floor(t) + _time_of_day(rng, len(t), ORDER_HOURS)
    t = np.floor(t * 86400) / 86400  # whole seconds
    order = np.lexsort((who, t))
    who, t = who[order], t[order]

    project = customers.project[who]
    median = _project_column("amount_median")[project]
    amount = rng.lognormal(np.log(median), 0.85) * np.where(rate[who] > 2, 1.6, 1.0)
    amount = np.maximum(amount, 15.0)
    amount = np.where(rng.random(len(t)) < 0.7, np.round(amount), np.round(amount, 2))
    return Orders(
        number=_order_numbers(clock, t),
        customer=who,
        t=t,
        amount=amount,
        service=rng.integers(0, len(company.ORDER_SERVICES), len(t)),
        pay=rng.choice(len(company.PAY_METHODS), size=len(t), p=[0.5, 0.35, 0.1, 0.05]),
    )


def _order_numbers(clock: Clock, t: np.ndarray) -> np.ndarray:
    """Order date as yyyymmdd, then the sequence within the day (t is sorted)."""
    day = np.floor(t).astype("int64")
    first_of_day = np.searchsorted(day, day, side="left")
    sequence = np.arange(len(t)) - first_of_day + 1
    dates = clock.start64 + day
    months = dates.astype("datetime64[M]")
    year = months.astype("int64") // 12 + 1970
    month = months.astype("int64") % 12 + 1
    day_of_month = (dates - months.astype("datetime64[D]")).astype("int64") + 1
    return ((year * 100 + month) * 100 + day_of_month) * 100_000 + sequence


def _choose_vips(
    rng: np.random.Generator,
    clock: Clock,
    customers: Customers,
    rate: np.ndarray,
    one_time: np.ndarray,
    scale: float,
    staff_project: np.ndarray,
) -> None:
    """VIPs: loyal, frequent customers still with us; a few became VIP only recently."""
    candidates = np.flatnonzero(
        np.isinf(customers.churned) & ~one_time & (customers.joined < WINDOW_DAYS - 60)
    )
    n_vip = min(max(2, round(BASE_VIPS * scale)), len(candidates))
    tenure = np.clip(WINDOW_DAYS - customers.joined[candidates], 0, 730) / 730
    weight = rate[candidates] ** 2 * tenure**2  # big spenders who have been with us a while
    chosen = rng.choice(candidates, size=n_vip, replace=False, p=weight / weight.sum())
    customers.is_vip[chosen] = True
    # Most were VIPs before the revisit programme started, some joined the list during it,
    # and a few only in the last two months.
    programme_start = clock.month_edges[_programme_first_month(clock)]
    low = np.maximum(customers.joined[chosen] + 30, -700)
    early_high = np.where(low < programme_start, programme_start, WINDOW_DAYS - 60)
    since = low + np.floor(rng.random(n_vip) * (early_high - low))
    u = rng.random(n_vip)
    during = programme_start + np.floor(rng.random(n_vip) * (WINDOW_DAYS - 60 - programme_start))
    recent = WINDOW_DAYS - 60 + np.floor(rng.random(n_vip) * 60)
    since = np.where(u < 0.15, recent, np.where(u < 0.30, during, since))
    since = np.maximum(since, customers.joined[chosen])
    since = np.where(rng.random(n_vip) < 0.03, np.nan, since)  # not recorded
    customers.vip_since[chosen] = since
    # Each VIP has an account manager from the project's staff.
    for index in range(len(PROJECTS)):
        members = np.flatnonzero(staff_project == index)
        mine = chosen[customers.project[chosen] == index]
        customers.staff[mine] = members[rng.integers(0, len(members), len(mine))]


def _programme_first_month(clock: Clock) -> int:
    """Month index (into clock.month_edges) when the VIP revisit programme starts."""
    end_month = int(clock.month_index(np.array([WINDOW_DAYS - 1.0]))[0])
    return end_month - company.VIP_PROGRAMME_MONTHS


def _vip_contacts(
    rng: np.random.Generator,
    clock: Clock,
    customers: Customers,
    staff_names: tuple[str, ...],
    staff_project: np.ndarray,
) -> VipContacts:
    """Monthly revisits since the programme started; coverage follows staff diligence."""
    vips = np.flatnonzero(customers.is_vip)
    first_month = _programme_first_month(clock)
    end_month = first_month + company.VIP_PROGRAMME_MONTHS
    programme_start = clock.month_edges[first_month]
    d0 = _project_column("diligence_start")[customers.project[vips]]
    d1 = _project_column("diligence_end")[customers.project[vips]]
    since = np.nan_to_num(customers.vip_since[vips], nan=-np.inf)
    since = np.maximum(since, customers.joined[vips])
    who_parts, t_parts, visit_parts = [], [], []
    for k in range(first_month, end_month + 1):
        a, b = clock.month_edges[k], clock.month_edges[k + 1]
        progress = (a - programme_start) / max(WINDOW_DAYS - programme_start, 1)
        eligible = since <= b - 1
        contacted = eligible & (rng.random(len(vips)) < d0 + (d1 - d0) * progress)
        for extra_round in (False, True):
            if extra_round:  # a follow-up in the same month, often a visit
                contacted = contacted & (rng.random(len(vips)) < 0.10)
            begin = np.maximum(a, since)
            t = begin + rng.random(len(vips)) * (b - begin)
            who_parts.append(vips[contacted])
            t_parts.append(t[contacted])
            p_visit = 0.45 if extra_round else 0.10
            visit_parts.append(rng.random(int(contacted.sum())) < p_visit)
    who = np.concatenate(who_parts)
    t = np.concatenate(t_parts)
    visit = np.concatenate(visit_parts)
    t = np.floor(t) + _time_of_day(rng, len(t), CALL_HOURS)
    keep = t < WINDOW_DAYS
    who, t, visit = who[keep], t[keep], visit[keep]
    minutes = np.floor(t * 1440).astype("int64")
    order = np.lexsort((who, minutes))
    who, minutes, visit = who[order], minutes[order], visit[order]

    staff = customers.staff[who]
    habit = staff % len(company.METHOD_HABITS)
    phone_words = np.array([h[0] for h in company.METHOD_HABITS])[habit]
    visit_words = np.array([h[1] for h in company.METHOD_HABITS])[habit]
    other = ~visit & (rng.random(len(who)) < 0.06)
    other_words = np.array(company.OTHER_METHODS)[rng.integers(0, 2, len(who))]
    method = np.where(visit, visit_words, np.where(other, other_words, phone_words))
    return VipContacts(
        ids=_sequential_ids("HF", len(who)),
        customer=who,
        contacted=minutes,
        method=method,
        staff=staff,
        note=rng.integers(0, len(company.CONTACT_NOTES), len(who)),
    )


def _sequential_ids(prefix: str, n: int) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), 7))


def _pick_by_category(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One draw per row from a (rows x options) probability matrix."""
    cumulative = np.cumsum(probabilities / probabilities.sum(axis=1, keepdims=True), axis=1)
    return (rng.random((len(probabilities), 1)) > cumulative).sum(axis=1)


def _complaints(
    rng: np.random.Generator,
    clock: Clock,
    customers: Customers,
    orders: Orders,
    scale: float,
    staff_project: np.ndarray,
) -> Complaints:
    k = max(5, round(BASE_COMPLAINTS * scale))
    project_of_order = customers.project[orders.customer]
    worse = _worsening(orders.t, project_of_order)
    weight = _project_column("complaint_rate")[project_of_order] * (1 + 1.5 * worse)
    source = rng.choice(len(orders.t), size=int(k * 1.2) + 10, p=weight / weight.sum())
    t = orders.t[source] + rng.exponential(2.5, len(source))
    keep = np.flatnonzero(t < WINDOW_DAYS)[:k]
    source, t = source[keep], t[keep]
    t = np.floor(t) + _time_of_day(rng, len(t), OFFICE_HOURS)
    t = np.minimum(t, WINDOW_DAYS - 1e-6)
    opened = np.floor(t * 1440).astype("int64")
    order = np.argsort(opened, kind="stable")
    source, opened = source[order], opened[order]
    n = len(opened)
    customer = orders.customer[source].copy()
    project = customers.project[customer]
    t = opened / 1440.0

    summer = np.isin(clock.calendar_month(t), (6, 7, 8))
    weights = np.array(company.CATEGORY_WEIGHTS) * np.where(
        summer[:, None], np.array(company.SUMMER_BOOST), 1.0
    )
    category = _pick_by_category(rng, weights)
    app_launch = WINDOW_DAYS - company.APP_LAUNCH_DAYS_BEFORE_END
    app_share = company.APP_FINAL_SHARE * np.clip(
        (t - app_launch) / (WINDOW_DAYS - app_launch), 0, 1
    )
    channel_p = np.column_stack(
        [np.outer(1 - app_share, company.CHANNEL_WEIGHTS), app_share]
    )  # fmt: skip
    channel = _pick_by_category(rng, channel_p)
    urgent = rng.random(n) < np.array(company.CATEGORY_URGENT)[category]
    severity = np.where(urgent, np.where(rng.random(n) < 0.8, 1, 2), 0)

    # First response: minutes to hours, faster when urgent; slower projects are slower.
    response_median = (
        np.array([1.2, 0.35, 0.25])[severity] * _project_column("response_speed")[project]
    )
    response_h = rng.lognormal(np.log(response_median), 0.9)
    # Resolution: most within a day, a second hump of days, a long tail of weeks.
    u = rng.random(n)
    resolution_h = np.where(
        u < 0.66,
        rng.lognormal(np.log(5.0), 0.8, n),
        np.where(u < 0.91, rng.lognormal(np.log(36.0), 0.55, n), 60 * (1 + rng.pareto(1.3, n))),
    )
    worse = _worsening(t, project)
    resolution_h *= (
        _project_column("resolution_speed")[project]
        * np.array(company.CATEGORY_RESOLUTION)[category]
        * np.where(severity > 0, 0.6, 1.0)
        * (1 + 1.0 * worse)
    )
    resolution_h = np.clip(resolution_h, 0.2, 24 * 60)
    response_h = np.where(
        response_h >= resolution_h, resolution_h * rng.uniform(0.2, 0.8, n), response_h
    )
    first_response = opened + np.maximum(1, np.round(response_h * 60)).astype("int64")
    resolved = np.maximum(first_response + 1, opened + np.round(resolution_h * 60).astype("int64"))
    horizon = WINDOW_DAYS * 1440
    stuck = rng.random(n) < 0.015  # forgotten: never resolved
    resolved = np.where(stuck | (resolved >= horizon), -1, resolved)
    no_response_logged = rng.random(n) < 0.04
    first_response = np.where(no_response_logged | (first_response >= horizon), -1, first_response)

    anonymous = rng.random(n) < 0.07
    customer = np.where(anonymous, -1, customer)
    unknown = ~anonymous & (rng.random(n) < 0.015)  # ids from an old system, not in the CRM
    legacy = np.char.add("KH", np.char.zfill(rng.integers(1, 99999, n).astype(str), 5))
    handler = np.empty(n, dtype="int64")
    for index in range(len(PROJECTS)):
        members = np.flatnonzero(staff_project == index)
        mine = project == index
        handler[mine] = members[rng.integers(0, len(members), int(mine.sum()))]
    return Complaints(
        ids=_sequential_ids("TS", n),
        customer=customer,
        unknown_customer=np.where(unknown, legacy, ""),
        project=project,
        category=category,
        channel=channel,
        severity=severity,
        opened=opened,
        first_response=first_response,
        resolved=resolved,
        handler=handler,
        text=rng.integers(0, 1000, n),
    )


def _surveys(
    rng: np.random.Generator,
    clock: Clock,
    customers: Customers,
    orders: Orders,
    scale: float,
) -> Surveys:
    k = max(5, round(BASE_SURVEYS * scale))
    # Post-service follow-ups: a few days after an order.
    k_follow = round(k * 0.45)
    source = rng.integers(0, len(orders.t), int(k_follow * 1.1) + 5)
    t_follow = orders.t[source] + 1 + rng.exponential(2.0, len(source))
    keep = np.flatnonzero(t_follow < WINDOW_DAYS)[:k_follow]
    parts_who = [orders.customer[source[keep]]]
    parts_t = [t_follow[keep]]
    # Quarterly survey campaigns (two weeks from the 10th of Mar/Jun/Sep/Dec) among
    # customers who ordered in the 120 days before.
    waves = [
        edge + 9
        for edge, month in zip(clock.month_edges, clock.month_numbers, strict=True)
        if month in (3, 6, 9, 12) and 90 <= edge + 9 <= WINDOW_DAYS - 14
    ]
    pools = [np.flatnonzero((orders.t >= w - 120) & (orders.t < w)) for w in waves]
    sizes = np.array([len(p) for p in pools], dtype=float)
    quota = np.floor((k - len(parts_t[0])) * sizes / max(sizes.sum(), 1)).astype(int)
    for wave, pool, q in zip(waves, pools, quota, strict=True):
        if q and len(pool):
            picked = pool[rng.integers(0, len(pool), q)]
            parts_who.append(orders.customer[picked])
            parts_t.append(wave + rng.random(q) * 14)
    who = np.concatenate(parts_who)
    t = np.concatenate(parts_t)
    t = np.minimum(np.floor(t) + _time_of_day(rng, len(t), SURVEY_HOURS), WINDOW_DAYS - 1e-6)
    submitted = np.floor(t * 1440).astype("int64")
    order = np.lexsort((who, submitted))
    who, submitted = who[order], submitted[order]
    t = submitted / 1440.0
    n = len(who)
    project = customers.project[who]

    customer_effect = rng.normal(0, 0.35, len(customers.ids))[who]
    latent = (
        _project_column("csat_base")[project]
        + _project_column("csat_drift_per_year")[project] * t / 365
        - 0.8 * _worsening(t, project)
        + customer_effect
        + rng.normal(0, 0.8, n)
        - np.where(rng.random(n) < 0.06, 2.0, 0.0)  # a bad experience drags a few far down
    )
    csat = np.clip(np.rint(latent), 1, 5).astype("int64")
    nps = np.clip(np.rint(2 * csat - 0.3 + rng.normal(0, 1.1, n)), 0, 10).astype("int64")
    nps = np.where(rng.random(n) < 0.6, nps, -1)
    anonymous = rng.random(n) < 0.10
    return Surveys(
        ids=_sequential_ids("WJ", n),
        customer=np.where(anonymous, -1, who),
        project=project,
        submitted=submitted,
        csat=csat,
        nps=nps,
        method=rng.choice(len(company.SURVEY_METHODS), size=n, p=[0.35, 0.35, 0.2, 0.1]),
        comment=rng.integers(0, len(company.SURVEY_COMMENTS), n),
    )
