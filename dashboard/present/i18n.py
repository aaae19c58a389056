"""Every user-facing string of the dashboard, in English and Chinese: the lookup and the registry.

In the presentation layer (``dashboard.present``), below the UI, the report, the SQL lab,
notifications and the CLI, so any of them may use it without importing Streamlit.

The words live beside what they serve, one area module each (``words_*.py``; the events'
in ``dashboard.events.words``); ``AREAS`` below lists every area, so the catalogue is
exactly what it names. ``t(key, lang, **fmt)`` looks a label up; an unknown key raises (a
test walks every page in both languages, so a missing translation is caught there, not by a
user), and a key two areas define raises at import (so any test catches it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from dashboard.events.words import TEXT as EVENTS
from dashboard.present.words_access import ACCESS
from dashboard.present.words_analyst import ANALYST
from dashboard.present.words_app import APP
from dashboard.present.words_data import DATA
from dashboard.present.words_drilldown import DRILLDOWN
from dashboard.present.words_kpi_pages import KPI_PAGES
from dashboard.present.words_kpis import KPIS
from dashboard.present.words_notify import NOTIFY, NOTIFY_LOG
from dashboard.present.words_overview import OVERVIEW
from dashboard.present.words_report import REPORT
from dashboard.present.words_sla import SLA
from dashboard.present.words_sqllab import SQLLAB

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("zh", "en")
LANG_NAMES: dict[str, str] = {"zh": "中文", "en": "English"}

Words = dict[str, tuple[str, str]]  # key -> (English, 中文)

# Every area of the one catalogue: (prefix, words). The app's areas use bare keys (the
# names pages, tiles and column labels look up); the report's and notifications' words
# keep a prefix of their own.
AREAS: tuple[tuple[str, Words], ...] = (
    ("", APP),
    ("", KPIS),
    ("", OVERVIEW),
    ("", KPI_PAGES),
    ("", DRILLDOWN),
    ("", SLA),
    ("", DATA),
    ("", ANALYST),
    ("", SQLLAB),
    ("", ACCESS),
    ("", EVENTS),  # events on the timeline (#12) keep their words beside their code
    ("report.", REPORT),
    ("notify.", NOTIFY),
    ("notify_log.", NOTIFY_LOG),
)


class DuplicateWordError(ValueError):
    """Two areas define the same key: whichever came last would silently win."""


def merge_areas(areas: Iterable[tuple[str, Words]]) -> Words:
    """The areas' words in one dict under ``prefix + key``; a key defined twice raises."""
    catalogue: Words = {}
    for prefix, words in areas:
        for key, pair in words.items():
            full = prefix + key
            if full in catalogue:
                raise DuplicateWordError(f"the word {full!r} is defined in two areas")
            catalogue[full] = pair
    return catalogue


_CATALOGUE: Words = merge_areas(AREAS)


def t(key: str, lang: str, **fmt: object) -> str:
    """The label ``key`` in ``lang`` ('en' or 'zh'), formatted with ``fmt``."""
    en, zh = _CATALOGUE[key]
    text = zh if lang == "zh" else en
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    return key in _CATALOGUE


def all_keys() -> list[str]:
    return list(_CATALOGUE)


def normalise_lang(value: object, default: Lang = "zh") -> Lang:
    """'zh'/'en' (also '中文', 'English', 'zh-CN') -> 'zh' | 'en'; anything else -> default."""
    text = str(value or "").strip().lower()
    if text.startswith("zh") or text == "中文":
        return "zh"
    if text.startswith("en"):
        return "en"
    return default
