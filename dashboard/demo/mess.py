"""The mess real exports carry: mixed date formats, bad rows, duplicates.

Planted problems are counted as they are written, so every file comes with what the
loader should make of it (``FileReport``): rows in the file, how many must be rejected
(bad rows and superseded earlier versions), how many are exact duplicates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

# Date/time styles seen in Chinese exports (index = style number).
ISO_T, ISO_SEC, ISO_MIN, SLASH_SHORT, SLASH_FULL, CHINESE, DATE_ISO, DATE_SLASH, DATE_CN = range(9)
_TEMPLATES = (
    "{0:04d}-{1:02d}-{2:02d}T{3:02d}:{4:02d}:{5:02d}",
    "{0:04d}-{1:02d}-{2:02d} {3:02d}:{4:02d}:{5:02d}",
    "{0:04d}-{1:02d}-{2:02d} {3:02d}:{4:02d}",
    "{0}/{1}/{2} {3}:{4:02d}",
    "{0:04d}/{1:02d}/{2:02d} {3:02d}:{4:02d}:{5:02d}",
    "{0}年{1}月{2}日 {3:02d}:{4:02d}",
    "{0:04d}-{1:02d}-{2:02d}",
    "{0}/{1}/{2}",
    "{0}年{1}月{2}日",
)


def format_datetimes(values: np.ndarray, styles: np.ndarray | int) -> list[str]:
    """datetime64 values (NaT -> "") formatted in the given style(s), one per value."""
    values = values.astype("datetime64[s]")
    missing = np.isnat(values)
    filled = np.where(missing, np.datetime64(0, "s"), values)
    days = filled.astype("datetime64[D]")
    months = filled.astype("datetime64[M]")
    year = (filled.astype("datetime64[Y]").astype("int64") + 1970).tolist()
    month = (months.astype("int64") % 12 + 1).tolist()
    day = ((days - months.astype("datetime64[D]")).astype("int64") + 1).tolist()
    seconds = (filled - days.astype("datetime64[s]")).astype("int64")
    hour, minute, second = (
        (seconds // 3600).tolist(),
        (seconds // 60 % 60).tolist(),
        (seconds % 60).tolist(),
    )
    style_list = np.broadcast_to(np.asarray(styles), values.shape).tolist()
    missing_list = missing.tolist()
    return [
        "" if gone else _TEMPLATES[s].format(y, mo, d, h, mi, se)
        for gone, s, y, mo, d, h, mi, se in zip(
            missing_list, style_list, year, month, day, hour, minute, second, strict=True
        )
    ]


def format_amounts(amounts: np.ndarray, with_sign: np.ndarray) -> list[str]:
    """'¥1,234.50' (ERP screen format) or a plain '1234.50'."""
    return [
        f"¥{a:,.2f}" if sign else f"{a:.2f}"
        for a, sign in zip(amounts.tolist(), with_sign.tolist(), strict=True)
    ]


@dataclass
class FileReport:
    """One file (or XLSX sheet) written, and what a correct loader makes of it."""

    kind: str
    path: Path
    sheet: str | None = None
    rows: int = 0  # data rows written (header and title lines excluded)
    rejected: int = 0  # planted bad rows + superseded earlier versions
    duplicates: int = 0  # exact duplicate rows (loaded once)
    unassigned: int = 0  # rows with an empty project or region (loaded as "(unassigned)")
    reasons: dict[str, int] = field(default_factory=dict)  # planted problem -> count

    @property
    def loaded(self) -> int:
        return self.rows - self.rejected - self.duplicates


@dataclass
class MessPlan:
    """Which rows (by index in the clean data) get a planted problem next to them."""

    bad: dict[int, str]  # an extra bad row (recipe name) is written after this row
    duplicate: set[int]  # this row is written twice
    conflict: set[int]  # a differing earlier version with the same id is written first

    @classmethod
    def draw(
        cls,
        rng: np.random.Generator,
        n: int,
        bad_recipes: Sequence[str],
        scale: float,
        per_recipe: float = 2,
        duplicates: float = 3,
        conflicts: float = 2,
        conflict_pool: np.ndarray | None = None,
    ) -> MessPlan:
        def count(base: float) -> int:
            return max(1, round(base * scale))

        wanted_bad = [r for r in bad_recipes for _ in range(count(per_recipe))]
        pool = np.arange(n) if conflict_pool is None else conflict_pool
        n_conflict = min(count(conflicts), len(pool), n // 4)
        conflict = set(rng.choice(pool, size=n_conflict, replace=False).tolist())
        rest = all_but(n, np.fromiter(conflict, dtype="int64"))
        n_dup = min(count(duplicates), len(rest) // 4)
        n_bad = min(len(wanted_bad), len(rest) // 2)
        picked = rng.choice(rest, size=n_dup + n_bad, replace=False).tolist()
        return cls(
            bad=dict(zip(picked[n_dup:], wanted_bad[:n_bad], strict=True)),
            duplicate=set(picked[:n_dup]),
            conflict=conflict,
        )


Row = list


def all_but(n: int, exclude: np.ndarray | Sequence[int]) -> np.ndarray:
    """0..n-1 without ``exclude``, sorted (np.setdiff1d hashes: slow at 100x)."""
    keep = np.ones(n, dtype=bool)
    keep[np.asarray(exclude, dtype="int64")] = False
    return np.flatnonzero(keep)


# Build an extra bad row from a clean one: (recipe, clean row, serial) -> row
BadMaker = Callable[[str, Row, int], Row]
ConflictMaker = Callable[[Row], Row]


def emit(
    indexed_rows: Iterable[tuple[int, Row]],
    plan: MessPlan,
    report: FileReport,
    make_bad: BadMaker,
    make_conflict: ConflictMaker,
) -> Iterator[Row]:
    """The clean rows with the planned mess woven in; counts go to ``report``."""
    serial = 0
    for index, row in indexed_rows:
        if index in plan.conflict:
            yield make_conflict(row)
            report.rows += 1
            report.rejected += 1
            report.reasons["superseded"] = report.reasons.get("superseded", 0) + 1
        yield row
        report.rows += 1
        if index in plan.duplicate:
            yield list(row)
            report.rows += 1
            report.duplicates += 1
        recipe = plan.bad.get(index)
        if recipe is not None:
            serial += 1
            yield make_bad(recipe, list(row), serial)
            report.rows += 1
            report.rejected += 1
            report.reasons[recipe] = report.reasons.get(recipe, 0) + 1


def indexed_chunks(
    indices: np.ndarray, make_rows: Callable[[np.ndarray], list[Row]], chunk: int = 50_000
) -> Iterator[tuple[int, Row]]:
    """(index, row) pairs, building rows a chunk at a time (memory stays flat at 100x)."""
    for start in range(0, len(indices), chunk):
        part = indices[start : start + chunk]
        yield from zip(part.tolist(), make_rows(part), strict=True)
