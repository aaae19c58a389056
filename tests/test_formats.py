"""The one formatter (dashboard.present.formats): every unit in both languages, the dash for
missing values, and the d3 strings the charts use for the same units (#13)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest

from dashboard.present import formats
from dashboard.present.formats import (
    MISSING,
    cell_text,
    change_text,
    month_text,
    number_text,
    unit_of,
    value_text,
)


@pytest.mark.parametrize(
    ("value", "unit", "en", "zh"),
    [
        (0.8125, "rate", "81.2%", "81.2%"),  # 81.25 rounds half to even
        (1 / 3, "rate", "33.3%", "33.3%"),
        (1234567, "count", "1,234,567", "1,234,567"),
        (36.54, "hours", "36.5 h", "36.5 小时"),
        (4.256, "score", "4.26", "4.26"),
        (-12.25, "nps", "-12.2", "-12.2"),
        (12.0, "days", "12", "12"),
        (None, "rate", MISSING, MISSING),
        (math.nan, "count", MISSING, MISSING),
    ],
)
def test_values_by_unit(value, unit, en, zh):
    assert value_text(value, unit, "en") == en
    assert value_text(value, unit, "zh") == zh


def test_changes_are_signed_and_rates_are_points():
    assert change_text(0.021, "rate", "en") == "+2.1 pp"
    assert change_text(-0.021, "rate", "zh") == "-2.1 个百分点"
    assert change_text(1500, "count", "en") == "+1,500"
    assert change_text(-1.5, "hours", "zh") == "-1.5 小时"
    assert change_text(0.0, "score", "en") == "+0.00"
    assert change_text(None, "rate", "en") is None


def test_cells_of_any_type():
    assert cell_text(None, None, "en") == MISSING
    assert cell_text(True, None, "zh") == "是" and cell_text(False, None, "en") == "no"
    assert cell_text(dt.date(2026, 11, 2), None, "zh") == "2026-11-02"
    assert cell_text(dt.datetime(2026, 11, 2, 9, 5, 30), None, "en") == "2026-11-02 09:05"
    assert cell_text(7, None, "en") == "7" and cell_text(2.5, None, "en") == "2.50"
    assert cell_text(Decimal("1234.5"), "hours", "en") == "1,234.5"
    assert cell_text("维修", None, "zh") == "维修"
    assert month_text(dt.date(2026, 11, 1), "zh") == "2026年11月"
    assert month_text(dt.date(2026, 11, 1), "en") == "2026-11"


def test_pandas_missing_values_are_dashes():
    pd = pytest.importorskip("pandas")
    for missing in (pd.NA, pd.NaT, float("nan")):
        assert number_text(missing, "count", "en") == MISSING


def test_units_from_names_when_a_query_declares_none():
    assert unit_of("retention_rate") == "rate"
    assert unit_of("hours_open") == "hours" and unit_of("days_overdue") == "days"
    assert unit_of("project") is None
    assert unit_of("hours_open", {"hours_open": "count"}) == "count"


def test_charts_use_the_same_decimals_as_the_tables():
    """d3 strings per unit match the CLDR patterns: same decimals, same grouping."""
    d3 = formats.D3_FORMATS
    assert set(d3) == set(formats.UNITS)
    for unit, spec in d3.items():
        decimals = int(spec.rstrip("f%")[-1])
        text = number_text(1234.5678 if unit != "rate" else 0.123456, unit, "en")
        shown = text.rstrip("%").split(".")
        assert (len(shown[1]) if len(shown) > 1 else 0) == decimals, (unit, text)
