"""Typed cells as the text a CSV export would hold (dashboard/ingest/cells.py, #14): the
fast ``isoformat`` path writes exactly what ``strftime`` writes, and the cases it cannot
take (years below 1000, a time zone) still read as before."""

from __future__ import annotations

import datetime as dt
import random

from dashboard.ingest.cells import cell_text, date_cell_text


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
