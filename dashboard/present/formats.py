"""How every number, change and date is written, in both languages - the one formatter of
the dashboard's tiles and tables, the weekly report, notifications, the CLI's tables and
(as d3 format strings) the chart axes and tooltips.

Numbers go through Babel's CLDR patterns for the locale (grouping and decimal symbols,
percent signs, signed patterns), not hand-written f-strings. A value's **unit** (the query
files' ``[units]``: count, rate, hours, days, score, nps) decides its pattern:

========  ===============  =====================================
unit      value            change (``change_text``)
========  ===============  =====================================
count     1,234            +12
rate      81.2%            +2.1 pp / +2.1 个百分点 (never a relative %)
hours     36.5 h / 小时     +1.5 h / 小时
days      12               +3
score     4.25             +0.10
nps       31.0             +2.5
========  ===============  =====================================

Missing values read ``—`` everywhere (``MISSING``). No pandas or Streamlit here: the CLI
imports this module without them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from babel.numbers import format_decimal, format_percent

from dashboard.present.i18n import t

Unit = Literal["count", "rate", "hours", "days", "score", "nps"]
UNITS: tuple[str, ...] = ("count", "rate", "hours", "days", "score", "nps")
MISSING = "—"
LOCALES = {"zh": "zh_CN", "en": "en"}

# CLDR number patterns per unit (rates are fractions: the percent pattern multiplies by 100)
_PATTERNS: dict[str, str] = {
    "count": "#,##0",
    "rate": "#,##0.0%",
    "hours": "#,##0.0",
    "days": "#,##0",
    "score": "0.00",
    "nps": "0.0",
    "decimal": "#,##0.00",  # not a query unit: a table column of fractional numbers
}
# The same, as d3 format strings for Vega-Lite axes and tooltips (the charts' one place)
D3_FORMATS: dict[str, str] = {
    "count": ",.0f",
    "rate": ".1%",
    "hours": ",.1f",
    "days": ",.0f",
    "score": ".2f",
    "nps": ".1f",
}
# Coarser d3 formats for axis ticks of small charts (the report's sparklines, percent axes
# of shares and the cohort heatmap's cells): whole percents, whole hours
D3_TICK_FORMATS: dict[str, str] = {
    "count": ",.0f",
    "rate": ".0%",
    "hours": ",.0f",
    "days": ",.0f",
    "score": ".1f",
    "nps": ".0f",
}
# Numbers of no known unit in a table: whole numbers stay whole, others get two decimals
_WHOLE = "#,##0"
_DECIMAL = "#,##0.00"


def unit_of(column: str, units: dict[str, str] | None = None) -> str | None:
    """A column's unit: its query's ``[units]``, else what its name says (``*_rate``,
    ``*hours*``, ``days_*``, ``csat_avg``, ``nps``); None for other columns."""
    if units and column in units:
        return units[column]
    if column.endswith("_rate"):
        return "rate"
    if "hours" in column:
        return "hours"
    if column.startswith("days_"):
        return "days"
    return {"csat_avg": "score", "nps": "nps"}.get(column)


def is_missing(value: object) -> bool:
    """None, NaN, NaT and pandas' NA (tested without importing pandas)."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def _locale(lang: str) -> str:
    return LOCALES["zh" if lang == "zh" else "en"]


def _signed(pattern: str) -> str:
    """``+0.0;-0.0``: a CLDR pattern that always shows the sign."""
    return f"+{pattern};-{pattern}"


def number_text(value: float | None, unit: str | None, lang: str) -> str:
    """``value`` in its unit's pattern, without a unit word (a table cell, a chart label)."""
    if is_missing(value):
        return MISSING
    locale = _locale(lang)
    if unit == "rate":
        return format_percent(value, format=_PATTERNS["rate"], locale=locale)
    pattern = _PATTERNS.get(unit or "")
    if pattern is None:
        pattern = _WHOLE if float(value).is_integer() else _DECIMAL
    return format_decimal(value, format=pattern, locale=locale)


def value_text(value: float | None, unit: str, lang: str) -> str:
    """A KPI value as a tile, the report and a notification show it (hours with 'h')."""
    text = number_text(value, unit, lang)
    if unit == "hours" and text != MISSING:
        return f"{text} {t('hours_unit', lang)}"
    return text


def change_text(change: float | None, unit: str, lang: str) -> str | None:
    """A signed change against the previous period; rates in percentage points. None when
    there is no comparison."""
    if is_missing(change):
        return None
    locale = _locale(lang)
    if unit == "rate":  # a change of rates is in points, not a relative percentage
        points = format_decimal(change * 100, format=_signed("#,##0.0"), locale=locale)
        return f"{points} {t('pp', lang)}"
    text = format_decimal(change, format=_signed(_PATTERNS.get(unit, "0.0")), locale=locale)
    if unit == "hours":
        return f"{text} {t('hours_unit', lang)}"
    return text


def date_text(value: dt.date | None, lang: str) -> str:
    """A day, ISO in both languages (sorts, and reads the same to everyone)."""
    if is_missing(value):
        return MISSING
    if isinstance(value, dt.datetime):
        value = value.date()
    from babel.dates import format_date  # local: ~50 ms that `kpi show`'s table never needs

    return format_date(value, "yyyy-MM-dd", locale=_locale(lang))


def datetime_text(value: dt.datetime | None, lang: str) -> str:
    """A moment to the minute; a midnight timestamp of a date column reads as the day."""
    if is_missing(value):
        return MISSING
    if not isinstance(value, dt.datetime):
        return date_text(value, lang)
    from babel.dates import format_datetime  # local: see date_text

    return format_datetime(value, "yyyy-MM-dd HH:mm", locale=_locale(lang))


def month_text(value: dt.date, lang: str) -> str:
    """A calendar month: ``2026-11`` / ``2026年11月``."""
    from babel.dates import format_date  # local: see date_text

    pattern = "y年MM月" if lang == "zh" else "yyyy-MM"
    return format_date(value, pattern, locale=_locale(lang))


def cell_text(value: object, unit: str | None, lang: str) -> str:
    """Any query-result value as a table cell: numbers by their unit, booleans as words,
    dates as days, timestamps to the minute, missing as ``—``."""
    if is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, dt.datetime):
        return datetime_text(value, lang)
    if isinstance(value, dt.date):
        return date_text(value, lang)
    if isinstance(value, int | float | Decimal):
        return number_text(float(value), unit, lang)
    if hasattr(value, "item"):  # numpy scalars
        return cell_text(value.item(), unit, lang)
    return str(value)
