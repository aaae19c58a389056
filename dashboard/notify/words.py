"""Notifications' way to the one catalogue of words (``dashboard.present.i18n``): their
words are ``notify.<key>`` there (``dashboard/present/words_notify.py``); KPI names come
from the report's labels so they match the dashboard."""

from __future__ import annotations

from dashboard.present.i18n import has, t
from dashboard.report.labels import column_label


def word(key: str, lang: str, **values: object) -> str:
    return t(f"notify.{key}", lang).format(**values)


def kpi_name(key: str, lang: str) -> str:
    """A KPI column's display name (the report's vocabulary, as on the dashboard)."""
    return column_label(key, lang)


# The Data page's delivery log (dashboard/ui/pages/notify_log.py).


def ui_word(key: str, lang: str, **values: object) -> str:
    if not has(f"notify_log.{key}"):
        return key
    return t(f"notify_log.{key}", lang).format(**values)
