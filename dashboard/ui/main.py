"""The app: sidebar filters, then the page the user picked (``st.navigation``).

``PAGES`` is the registry of pages, in menu order; a later page (analyst queries, SQL lab)
is one more entry here and one more file under ``pages/``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from dashboard.access import audit, roles
from dashboard.access.scope import ScopeError, restrict
from dashboard.present.i18n import normalise_lang, t
from dashboard.ui import auth, context, data_access, events_layer
from dashboard.ui.filters import (
    current_lang,
    from_query,
    render_sidebar,
    sync_state,
    take_unknown_choices,
)

log = logging.getLogger(__name__)
PAGES_DIR = Path(__file__).parent / "pages"
FAVICON = Path(__file__).parent / "static" / "favicon.png"


@dataclass(frozen=True)
class PageSpec:
    file: str  # under dashboard/ui/pages/
    title_key: str  # i18n key of the menu title
    icon: str
    default: bool = False
    capability: str | None = None  # a role needs it to see the page (dashboard.access.roles)
    also: tuple[str, ...] = ()  # other capabilities that open the page (each its own part)

    def allowed(self, viewer: auth.Viewer) -> bool:
        if self.capability is None:
            return True
        return any(viewer.can(c) for c in (self.capability, *self.also))


PAGES: list[PageSpec] = [
    PageSpec("overview.py", "page_overview", ":material/dashboard:", default=True),
    PageSpec("retention.py", "page_retention", ":material/group:"),
    PageSpec("complaints.py", "page_complaints", ":material/support_agent:"),
    PageSpec("satisfaction.py", "page_satisfaction", ":material/sentiment_satisfied:"),
    PageSpec("vip.py", "page_vip", ":material/star:"),
    PageSpec("projects.py", "page_projects", ":material/leaderboard:"),
    PageSpec("analyst.py", "page_analyst", ":material/query_stats:", capability=roles.ANALYST_PAGE),
    PageSpec("sqllab.py", "page_sqllab", ":material/terminal:", capability=roles.SQL_LAB),
    # uploads for admins; the events on the timeline (#12) also for analysts
    PageSpec(
        "data.py",
        "page_data",
        ":material/database:",
        capability=roles.UPLOADS,
        also=(roles.TIMELINE,),
    ),
    PageSpec("audit.py", "page_audit", ":material/policy:", capability=roles.USERS),
]


def _page(spec: PageSpec, viewer: auth.Viewer, lang: str) -> st.Page:
    """The page, or - for a page the role may not see - a hidden page at the same URL that
    says so (a hidden page opened by URL is refused, not silently swapped)."""
    if spec.allowed(viewer):
        return st.Page(
            str(PAGES_DIR / spec.file),
            title=t(spec.title_key, lang),
            icon=spec.icon,
            default=spec.default,
        )
    role = t(f"role_{viewer.user.role}", lang)

    def refused() -> None:
        st.title(t(spec.title_key, lang))
        st.error(t("page_refused", lang, role=role), icon=":material/block:")

    return st.Page(
        refused,
        title=t(spec.title_key, lang),
        icon=spec.icon,
        url_path=Path(spec.file).stem,
        visibility="hidden",
    )


def _placeholder(spec: PageSpec) -> st.Page:
    return st.Page(
        str(PAGES_DIR / spec.file),
        url_path=None if spec.default else Path(spec.file).stem,
        default=spec.default,
    )


def _refused_url_filters(viewer: auth.Viewer, default_lang: str) -> list[tuple[str, str]]:
    """The URL's (kind, value) filters outside the viewer's scope, e.g. ("project", "B").

    The filters then drop them (they only offer the scope's values); the page names them.
    A value outside the scope is refused whether or not the data has it, so the message
    never tells a scoped user which other projects exist."""
    if not viewer.scope.limited:
        return []
    wanted = from_query(
        {k: list(st.query_params.get_all(k)) for k in st.query_params}, default_lang
    )
    refused: list[tuple[str, str]] = []
    for kind, values in (("project", wanted.projects), ("region", wanted.regions)):
        for value in values:
            projects, regions = ([value], []) if kind == "project" else ([], [value])
            try:
                restrict(viewer.scope, projects, regions, pairs=data_access.all_dimensions)
            except ScopeError:
                refused.append((kind, value))
    return refused


def _name_refused(refused: list[tuple[str, str]], viewer: auth.Viewer, lang: str) -> None:
    if refused:  # someone tried a link outside their scope: worth an admin's look
        detail = ", ".join(f"{kind} {value}" for kind, value in refused)
        audit.record("scope_refused", viewer.user.name, detail, path=auth.audit_file())
    for kind, value in refused:
        st.error(
            t(
                "scope_refused",
                lang,
                kind=t(f"scope_kind_{kind}", lang),
                value=value,
                scope=auth.describe(viewer.scope, lang),
            ),
            icon=":material/block:",
        )


def _load_dimensions() -> tuple[list[tuple[str, str]], tuple | None]:
    try:
        return data_access.dimensions(), data_access.data_span()
    except data_access.DataError:
        log.exception("dimensions/freshness unavailable")
        return [], None


def _name_unknown_choices(lang: str, refused: list[tuple[str, str]] = ()) -> None:
    """A shared link naming a project or region the data does not have must not silently
    show company-wide numbers: say which values were left out. Values refused by the
    viewer's scope are named by ``_name_refused`` instead (#15)."""
    unknown = take_unknown_choices()
    for kind in ("projects", "regions"):
        names = [n for n in (unknown or {}).get(kind, ()) if (kind[:-1], n) not in refused]
        if names:
            names = "、".join(names) if lang == "zh" else ", ".join(names)
            st.warning(t(f"unknown_{kind}", lang, names=names), icon=":material/filter_alt_off:")


def run() -> None:
    st.set_page_config(
        page_title="Service KPI dashboard / 服务质量KPI看板",
        # a local file: a Material icon as favicon is fetched from fonts.gstatic.com, and the
        # dashboard must work without internet
        page_icon=str(FAVICON),
        layout="wide",
    )
    try:
        data_access.begin_run()  # every query of this render reads one database version
        settings = data_access.settings()
        default_lang = normalise_lang(settings.language)
        url_lang = normalise_lang(st.query_params.get("lang"), current_lang(default_lang))
        viewer = auth.gate(settings, url_lang)
        if viewer is None:  # the sign-in page (or a refusal) was drawn instead
            data_access.set_scope(None)
            # Register the pages (none is run, no menu) so the page asked for by URL is
            # still the one opened after signing in.
            st.navigation([_placeholder(spec) for spec in PAGES], position="hidden")
            return
        data_access.set_scope(viewer.scope if viewer.scope.limited else None)
        auth.remember(viewer)
        refused = _refused_url_filters(viewer, default_lang)
        dims, span = _load_dimensions()
        sync_state(dims, span, default_lang)
        lang = current_lang(default_lang)
        page = st.navigation([_page(spec, viewer, lang) for spec in PAGES])
        state = render_sidebar(dims, span, default_lang)
        with st.sidebar:  # which engine answered (#18)
            st.caption(t("engine_caption", lang, engine=data_access.engine_label(settings)))
        events_layer.sidebar_toggle(lang)  # events on the timeline (#12)
        auth.sidebar(viewer, lang)
        _name_refused(refused, viewer, lang)
        _name_unknown_choices(lang, refused)
        context.put(context.Context(state, settings, tuple(dims), span))
        page.run()
    except ScriptControlException:
        raise  # st.rerun / st.stop / st.switch_page
    except Exception as exc:  # never a traceback for the user
        log.exception("page failed")
        lang = current_lang("zh")
        st.error(t("error", lang, message=str(exc) or type(exc).__name__))
