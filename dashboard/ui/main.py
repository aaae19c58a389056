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

from dashboard.ui import context, data_access
from dashboard.ui.filters import current_lang, render_sidebar, sync_state, take_unknown_choices
from dashboard.ui.i18n import normalise_lang, t

log = logging.getLogger(__name__)
PAGES_DIR = Path(__file__).parent / "pages"
FAVICON = Path(__file__).parent / "static" / "favicon.png"


@dataclass(frozen=True)
class PageSpec:
    file: str  # under dashboard/ui/pages/
    title_key: str  # i18n key of the menu title
    icon: str
    default: bool = False


PAGES: list[PageSpec] = [
    PageSpec("overview.py", "page_overview", ":material/dashboard:", default=True),
    PageSpec("retention.py", "page_retention", ":material/group:"),
    PageSpec("complaints.py", "page_complaints", ":material/support_agent:"),
    PageSpec("satisfaction.py", "page_satisfaction", ":material/sentiment_satisfied:"),
    PageSpec("vip.py", "page_vip", ":material/star:"),
    PageSpec("projects.py", "page_projects", ":material/leaderboard:"),
    PageSpec("analyst.py", "page_analyst", ":material/query_stats:"),
    PageSpec("sqllab.py", "page_sqllab", ":material/terminal:"),
    PageSpec("data.py", "page_data", ":material/database:"),
]


def _load_dimensions() -> tuple[list[tuple[str, str]], tuple | None]:
    try:
        return data_access.dimensions(), data_access.data_span()
    except data_access.DataError:
        log.exception("dimensions/freshness unavailable")
        return [], None


def _name_unknown_choices(lang: str) -> None:
    """A shared link naming a project or region the data does not have must not silently
    show company-wide numbers: say which values were left out."""
    unknown = take_unknown_choices()
    for kind in ("projects", "regions"):
        if unknown and unknown.get(kind):
            names = "、".join(unknown[kind]) if lang == "zh" else ", ".join(unknown[kind])
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
        dims, span = _load_dimensions()
        sync_state(dims, span, default_lang)
        lang = current_lang(default_lang)
        pages = [
            st.Page(
                str(PAGES_DIR / spec.file),
                title=t(spec.title_key, lang),
                icon=spec.icon,
                default=spec.default,
            )
            for spec in PAGES
        ]
        page = st.navigation(pages)
        state = render_sidebar(dims, span, default_lang)
        _name_unknown_choices(lang)
        context.put(context.Context(state, settings, tuple(dims), span))
        page.run()
    except ScriptControlException:
        raise  # st.rerun / st.stop / st.switch_page
    except Exception as exc:  # never a traceback for the user
        log.exception("page failed")
        lang = current_lang("zh")
        st.error(t("error", lang, message=str(exc) or type(exc).__name__))
