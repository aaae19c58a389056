"""Every KPI gives the same rows as before the intermediate layer (#13).

The golden files under tests/data/golden/ were written by ``tests/golden_kpis.py`` on commit
3a99bc2, before the refactor (date spine, intermediates, materialised tables). This test
builds the demo database the same way and recomputes every case with the code as it is
now: same columns, same rows, same order (where the query orders), floats to 1e-9.
"""

from __future__ import annotations

import csv
import math

import pytest

from tests.golden_kpis import GOLDEN_DIR, build_demo_db, cases, run_case


def _golden(file: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    out: dict[str, tuple[list[str], list[list[str]]]] = {}
    with open(GOLDEN_DIR / file, newline="", encoding="utf-8") as fh:
        for line in csv.reader(fh):
            if line[0] == "#case":
                out[line[1]] = (line[2:], [])
            else:
                out[line[0]][1].append(line[2:])
    return out


def _same(expected: str, actual: str) -> bool:
    if expected == actual:
        return True
    try:
        e, a = float(expected), float(actual)
    except ValueError:
        return False
    return math.isclose(e, a, rel_tol=1e-9, abs_tol=1e-9)


@pytest.fixture(scope="module")
def demo_con(tmp_path_factory):
    from dashboard.db import connect_readonly

    db = build_demo_db(tmp_path_factory.mktemp("golden") / "demo.duckdb")
    con = connect_readonly(db)
    yield con
    con.close()


ALL_CASES = list(cases())
_FILES: dict[str, dict] = {}


def _expected(file: str) -> dict:
    if file not in _FILES:
        _FILES[file] = _golden(file)
    return _FILES[file]


def test_every_case_has_a_golden_record():
    for case in ALL_CASES:
        assert case.name in _expected(case.file), f"{case.file}: no golden rows for {case.name}"


@pytest.mark.parametrize("query", sorted({c.query for c in ALL_CASES}), ids=lambda q: q)
def test_rows_are_identical_to_the_golden_record(demo_con, query):
    problems = []
    for case in (c for c in ALL_CASES if c.query == query):
        header, rows = run_case(demo_con, case)
        golden_header, golden_rows = _expected(case.file)[case.name]
        where = f"{case.file} {case.name}"
        if header != golden_header:
            problems.append(f"{where}: columns {header} != {golden_header}")
            continue
        if len(rows) != len(golden_rows):
            problems.append(f"{where}: {len(rows)} rows, golden {len(golden_rows)}")
            continue
        for i, (row, want) in enumerate(zip(rows, golden_rows, strict=True)):
            bad = [
                f"{col}={got!r} (golden {exp!r})"
                for col, got, exp in zip(header, row, want, strict=True)
                if not _same(exp, got)
            ]
            if bad:
                problems.append(f"{where} row {i}: " + ", ".join(bad))
                break
    assert not problems, "\n".join(problems[:20])
