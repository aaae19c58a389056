"""The report's way to the one catalogue of words (``dashboard.present.i18n``): its own
words are ``report.<key>`` there (``dashboard/present/words_report.py``); where the
dashboard has a word for the same thing, the report says it the same way."""

from __future__ import annotations

from typing import Literal

from dashboard.present import i18n

Lang = Literal["zh", "en"]
LANGS: tuple[str, ...] = ("zh", "en")


# Words the dashboard also shows are taken from its table (dashboard/present/i18n.py), so a KPI
# is called the same in the app and in the report; ours are the fallback.
_SHARED: dict[str, str] = {
    **{
        k: k
        for k in (
            "active_customers",
            "retention_rate",
            "new_customers",
            "lost_customers",
            "opened",
            "median_resolution_hours",
            "sla_met_rate",
            "backlog_end",
            "csat_avg",
            "satisfied_rate",
            "nps",
            "coverage_rate",
            "overdue_vips",
        )
    },  # fmt: skip
    "coverage_rate.mtd": "coverage_rate_mtd",
    **{f"section.{k}": f"section_{k}" for k in ("customers", "complaints", "satisfaction", "vip")},
    "status.green": "status_green",
    "status.amber": "status_amber",
    "status.red": "status_red",
    **{
        f"kind.{k}": f"kind_{k}"
        for k in ("customers", "orders", "complaints", "surveys", "vip_contacts")
    },
}


def _dashboard_text(key: str, lang: str) -> str | None:
    return i18n.t(key, lang) if i18n.has(key) else None


def _report_text(key: str, lang: str) -> str | None:
    return i18n.t(f"report.{key}", lang) if i18n.has(f"report.{key}") else None


def label(key: str, lang: str) -> str:
    """The label for ``key``; the key itself when missing (visible, never a crash)."""
    if key in _SHARED:
        shared = _dashboard_text(_SHARED[key], lang)
        if shared is not None:
            return shared
    own = _report_text(key, lang)
    return key if own is None else own


def column_label(column: str, lang: str) -> str:
    """Label of a result column: headline names first, then ``col.<name>``."""
    if i18n.has(f"report.{column}"):
        return label(column, lang)
    if not i18n.has(f"report.col.{column}"):
        shared = _dashboard_text(column, lang)
        if shared is not None:
            return shared
    return label(f"col.{column}", lang)
