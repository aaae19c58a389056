"""Typed cells as the text a CSV export would hold (dashboard/ingest/cells.py and the
Parquet columns of loader._arrow_text, #14): the fast paths (``isoformat``, Arrow's cast
to text) write exactly what ``strftime`` writes, and the cases ``isoformat`` cannot take
(years below 1000, a time zone) still read as before."""

from __future__ import annotations

import datetime as dt
import random

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from dashboard.ingest.cells import cell_text, date_cell_text
from dashboard.ingest.loader import _arrow_text


def test_datetimes_and_dates_read_as_strftime_writes_them():
    rng = random.Random(14)
    start = dt.datetime(1000, 1, 1)
    for _ in range(20_000):
        moment = start + dt.timedelta(
            days=rng.randrange(9000 * 365), seconds=rng.randrange(86400),
            microseconds=rng.randrange(1_000_000),
        )  # fmt: skip
        assert cell_text(moment) == moment.strftime("%Y-%m-%d %H:%M:%S")
        assert cell_text(moment.date()) == moment.strftime("%Y-%m-%d")
        assert date_cell_text(moment) == moment.strftime("%Y-%m-%d %H:%M:%S")


def test_the_cases_isoformat_would_write_otherwise():
    early = dt.datetime(999, 3, 4, 5, 6, 7, 891)
    # strftime does not pad the year on glibc; isoformat would write 0999
    assert cell_text(early) == early.strftime("%Y-%m-%d %H:%M:%S")
    assert cell_text(early.date()) == early.strftime("%Y-%m-%d")
    zoned = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert cell_text(zoned) == "2026-03-04 05:06:07"  # no "+08:00"
    assert cell_text(dt.datetime(2026, 3, 4, 5, 6, 7, 999_999)) == "2026-03-04 05:06:07"


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_parquet_timestamps_read_as_strftime_writes_them(unit):
    # every unit over the whole range it can hold (years 1-9999, before 1970 included)
    rng = random.Random(unit)
    scale = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[unit]
    lo, hi = (
        (-62135596800 * scale, 253402300799 * scale) if unit != "ns" else (-(2**63) + 1, 2**63 - 1)
    )
    values = [rng.randrange(lo, hi) for _ in range(20_000)] + [0, -1, 1, lo, hi, None]
    column = pa.chunked_array([pa.array(values, pa.timestamp(unit))])
    expected = pc.strftime(column, format="%Y-%m-%d %H:%M:%S")
    assert _arrow_text(column, True, "Asia/Shanghai").equals(expected)


def test_parquet_zoned_timestamps_and_dates_read_as_strftime_writes_them():
    zoned = pa.chunked_array(
        [pa.array([0, 1_700_000_000_123_456, None], pa.timestamp("us", "UTC"))]
    )
    # the instant as the company's wall clock (Shanghai: UTC+8)
    assert _arrow_text(zoned, True, "Asia/Shanghai").to_pylist() == [
        "1970-01-01 08:00:00.000000",
        "2023-11-15 06:13:20.123456",
        None,
    ]
    rng = random.Random(5)
    days = [rng.randrange(-719162, 2932896) for _ in range(20_000)] + [0, -1, None]
    for kind in (pa.date32(), pa.date64()):
        column = pa.chunked_array([pa.array(days, pa.date32()).cast(kind)])
        expected = pc.strftime(column.cast(pa.timestamp("s")), format="%Y-%m-%d")
        assert _arrow_text(column, True, "Asia/Shanghai").equals(expected)
