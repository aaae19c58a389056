"""Sidebar filters and their round trip through the URL query parameters.

The filter state lives in the URL (``?from=2026-09-01&grain=month&region=华南&project=A&
project=B&lang=en``) so a view can be bookmarked and shared. Streamlit clears the query
parameters when the user switches page, so the state is also kept in the session and
written back to the URL on every run.

Rules (``sync_state``): on the first run of a session, or when the URL carries parameters
that differ from the ones this app last wrote (a pasted link, a test setting them), the URL
wins; an empty URL (page switch) keeps the session's state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from dashboard.present.i18n import Lang, normalise_lang

GRAINS = ("week", "month")

# Session-state keys of the sidebar widgets.
K_LANG = "f_lang"
K_GRAIN = "f_grain"
K_RANGE = "f_range"
K_REGIONS = "f_regions"
K_PROJECTS = "f_projects"
K_WRITTEN = "_f_query_written"
K_INIT = "_f_initialised"
K_SPAN = "_f_range_span"  # the data span the range widget was last fitted to
K_UNKNOWN = "_f_unknown"  # filter values of the URL that the data does not have
# The URL parameters the sidebar owns; any other (e.g. the Analyst page's ``query``) belongs
# to a page, which writes it itself: the filters neither compare nor drop it.
FILTER_KEYS = ("lang", "grain", "from", "to", "region", "project")


@dataclass(frozen=True)
class FilterState:
    """What every page filters by. Hashable: used in cache keys."""

    lang: Lang = "zh"
    grain: str = "week"
    date_from: date | None = None  # None: from the first period with data
    date_to: date | None = None  # None: up to the latest data
    regions: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()


def _parse_date(values: Sequence[str]) -> date | None:
    for value in values[:1]:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _dedupe(values: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for v in values:
        v = v.strip()
        if v:
            seen.setdefault(v, None)
    return tuple(seen)


def from_query(params: Mapping[str, Sequence[str]], default_lang: Lang = "zh") -> FilterState:
    """Parse query parameters (each key -> list of strings); bad values fall back to defaults."""

    def get(key: str) -> list[str]:
        value = params.get(key, [])
        return [value] if isinstance(value, str) else list(value)

    grain = (get("grain") or ["week"])[0].strip().lower()
    date_from, date_to = _parse_date(get("from")), _parse_date(get("to"))
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    return FilterState(
        lang=normalise_lang((get("lang") or [""])[0], default_lang),
        grain=grain if grain in GRAINS else "week",
        date_from=date_from,
        date_to=date_to,
        regions=_dedupe(get("region")),
        projects=_dedupe(get("project")),
    )


def to_query(state: FilterState, default_lang: Lang = "zh") -> dict[str, list[str]]:
    """The query parameters for ``state``; defaults are left out to keep links short."""
    out: dict[str, list[str]] = {}
    if state.lang != default_lang:
        out["lang"] = [state.lang]
    if state.grain != "week":
        out["grain"] = [state.grain]
    if state.date_from:
        out["from"] = [state.date_from.isoformat()]
    if state.date_to:
        out["to"] = [state.date_to.isoformat()]
    if state.regions:
        out["region"] = list(state.regions)
    if state.projects:
        out["project"] = list(state.projects)
    return out


def narrow_projects(dimensions: Sequence[tuple[str, str]], regions: Sequence[str]) -> list[str]:
    """Projects offered by the project filter: those in the chosen regions (all if none)."""
    chosen = set(regions)
    return sorted({p for r, p in dimensions if not chosen or r in chosen})


def clamp_range(state: FilterState, span: tuple[date, date] | None) -> FilterState:
    """Drop range ends that equal or exceed the data span (so "latest" follows new data)."""
    if span is None:
        return replace(state, date_from=None, date_to=None)
    lo, hi = span
    date_from = state.date_from if state.date_from and state.date_from > lo else None
    date_to = state.date_to if state.date_to and state.date_to < hi else None
    if date_from and date_from > hi:
        date_from = None
    if date_to and date_to < lo:
        date_to = None
    return replace(state, date_from=date_from, date_to=date_to)


def follow_span(
    value: tuple[date, ...], old_span: tuple[date, date] | None, span: tuple[date, date]
) -> tuple[date, date]:
    """The range widget's value after the data span moved from ``old_span`` to ``span``.

    An end that sat on the old span's end was not chosen by the user (it meant "from the
    start" / "up to the latest data"), so it follows the new span; a chosen end stays, kept
    inside the new span."""
    lo, hi = span
    start, end = (tuple(value) + (value[-1],))[:2] if value else span
    if old_span is not None:
        if start == old_span[0]:
            start = lo
        if end == old_span[1]:
            end = hi
    start, end = (min(max(d, lo), hi) for d in (start, end))
    return start, end


def unknown_choices(
    state: FilterState, dimensions: Sequence[tuple[str, str]]
) -> dict[str, tuple[str, ...]]:
    """The regions/projects of ``state`` that the data does not have at all."""
    regions = {r for r, _ in dimensions}
    projects = {p for _, p in dimensions}
    return {
        "regions": tuple(r for r in state.regions if r not in regions),
        "projects": tuple(p for p in state.projects if p not in projects),
    }


def prune_choices(state: FilterState, dimensions: Sequence[tuple[str, str]]) -> FilterState:
    """Forget regions/projects that are not in the data (or not in the chosen regions)."""
    all_regions = {r for r, _ in dimensions}
    regions = tuple(r for r in state.regions if r in all_regions)
    allowed = set(narrow_projects(dimensions, regions))
    projects = tuple(p for p in state.projects if p in allowed)
    return replace(state, regions=regions, projects=projects)


# --- Streamlit side ----------------------------------------------------------------------


def _current_query() -> dict[str, list[str]]:
    """The URL's filter parameters (a page's own parameters left out)."""
    import streamlit as st

    return {k: list(st.query_params.get_all(k)) for k in st.query_params if k in FILTER_KEYS}


def _page_params() -> dict[str, list[str]]:
    import streamlit as st

    return {k: list(st.query_params.get_all(k)) for k in st.query_params if k not in FILTER_KEYS}


def sync_state(
    dimensions: Sequence[tuple[str, str]],
    span: tuple[date, date] | None,
    default_lang: Lang,
) -> None:
    """Load the URL's filters into the widgets' session state when the URL should win."""
    import streamlit as st

    query = _current_query()
    ss = st.session_state
    if K_INIT not in ss or (query and query != ss.get(K_WRITTEN)):
        asked = from_query(query, default_lang)
        unknown = unknown_choices(asked, dimensions)
        ss[K_UNKNOWN] = unknown if any(unknown.values()) else None
        state = prune_choices(clamp_range(asked, span), dimensions)
        ss[K_LANG] = state.lang
        ss[K_GRAIN] = state.grain
        ss[K_REGIONS] = list(state.regions)
        ss[K_PROJECTS] = list(state.projects)
        if span:
            ss[K_RANGE] = (state.date_from or span[0], state.date_to or span[1])
            ss[K_SPAN] = span
        ss[K_INIT] = True
    ss.setdefault(K_LANG, default_lang)


def take_unknown_choices() -> dict[str, tuple[str, ...]] | None:
    """The URL's unknown regions/projects, once (the page names them, then forgets)."""
    import streamlit as st

    return st.session_state.pop(K_UNKNOWN, None)


def current_lang(default_lang: Lang) -> Lang:
    import streamlit as st

    return normalise_lang(st.session_state.get(K_LANG), default_lang)


def _reset(span: tuple[date, date] | None) -> None:
    import streamlit as st

    ss = st.session_state
    ss[K_GRAIN] = "week"
    ss[K_REGIONS] = []
    ss[K_PROJECTS] = []
    if span:
        ss[K_RANGE] = span
        ss[K_SPAN] = span


def render_sidebar(
    dimensions: Sequence[tuple[str, str]],
    span: tuple[date, date] | None,
    default_lang: Lang,
) -> FilterState:
    """Draw the filter widgets in the sidebar and return the state (also written to the URL)."""
    import streamlit as st

    from dashboard.present.i18n import LANG_NAMES, LANGS, t

    ss = st.session_state
    with st.sidebar:
        lang = st.radio(
            t("language", current_lang(default_lang)),
            LANGS,
            key=K_LANG,
            format_func=LANG_NAMES.__getitem__,
            horizontal=True,
        )
        st.subheader(t("filters", lang))
        date_from = date_to = None
        if span:
            lo, hi = span
            # After an import the span moves: an end the user did not choose follows it, so
            # an open session shows the new week; a chosen end stays (the caption says so).
            ss[K_RANGE] = follow_span(ss.get(K_RANGE) or span, ss.get(K_SPAN), span)
            ss[K_SPAN] = span
            picked = st.date_input(
                t("date_range", lang),
                min_value=lo,
                max_value=hi,
                key=K_RANGE,
                help=t("date_range_help", lang),
                format="YYYY-MM-DD",
            )
            picked = tuple(picked) if isinstance(picked, list | tuple) else (picked,)
            if len(picked) == 2:  # while picking, only one end is chosen: ignore it
                date_from, date_to = picked
        grain = st.radio(
            t("grain", lang),
            GRAINS,
            key=K_GRAIN,
            format_func=lambda g: t(f"grain_{g}", lang),
            horizontal=True,
        )
        all_regions = sorted({r for r, _ in dimensions})
        ss[K_REGIONS] = [r for r in ss.get(K_REGIONS, []) if r in all_regions]
        regions = st.multiselect(
            t("regions", lang), all_regions, key=K_REGIONS, placeholder=t("all", lang)
        )
        project_options = narrow_projects(dimensions, regions)
        ss[K_PROJECTS] = [p for p in ss.get(K_PROJECTS, []) if p in project_options]
        projects = st.multiselect(
            t("projects", lang), project_options, key=K_PROJECTS, placeholder=t("all", lang)
        )
        if span and date_to and date_to < span[1]:
            st.caption(":material/update: " + t("newer_data", lang, last=span[1].isoformat()))
        st.button(t("reset_filters", lang), on_click=_reset, args=(span,))
        st.caption(t("share_hint", lang))

    state = clamp_range(
        FilterState(
            lang=lang,
            grain=grain if grain in GRAINS else "week",
            date_from=date_from,
            date_to=date_to,
            regions=tuple(regions),
            projects=tuple(projects),
        ),
        span,
    )
    wanted = to_query(state, default_lang)
    if wanted != _current_query():
        st.query_params.from_dict({**_page_params(), **wanted})
    ss[K_WRITTEN] = wanted
    return state
