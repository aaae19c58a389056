"""How report numbers are written, per unit and language."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd

from dashboard.present.status import Unit
from dashboard.report.labels import label


def value_text(value: float | None, unit: Unit, lang: str) -> str:
    if value is None:
        return "–"
    if unit == "rate":
        return f"{value * 100:.1f}%"
    if unit == "hours":
        return f"{value:,.1f} {label('h', lang)}"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "score":
        return f"{value:.2f}"
    return f"{value:.1f}"  # nps


def change_text(change: float | None, unit: Unit, lang: str) -> str:
    """Signed change; rates in percentage points."""
    if change is None:
        return "–"
    if unit == "rate":
        return f"{change * 100:+.1f} {label('pp', lang)}"
    if unit == "hours":
        return f"{change:+,.1f} {label('h', lang)}"
    if unit == "count":
        return f"{change:+,.0f}"
    if unit == "score":
        return f"{change:+.2f}"
    return f"{change:+.1f}"


def cell_text(value: Any) -> str:
    """A table cell from a query result: dates ISO, timestamps to the minute, floats 1 dp."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp | datetime):
        ts = pd.Timestamp(value)
        return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)
