"""Finding the header row (in the first 10 rows) and mapping its cells to contract columns.

The header row is the first of the first 10 records that names all required columns of
the kind (through the alias table, case-insensitive, trimmed). When several kinds are
still possible (unknown kind, or a name with words of two kinds) it is the first row that
makes exactly one of them complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard.ingest.aliases import AliasTable
from dashboard.ingest.cells import cell_text
from dashboard.schema import KINDS

HEADER_SEARCH_ROWS = 10


class HeaderProblem(Exception):
    """No usable header row: the message names what is missing and what was found."""


@dataclass
class HeaderMatch:
    kind: str
    row_index: int  # index into RawSheet.rows
    columns: dict[str, int]  # canonical column -> index of the file column holding it
    headers: list[str]  # the header row's cells as text (trimmed)


def header_cells(row: list[Any]) -> list[str]:
    return [cell_text(c).strip() for c in row]


def map_columns(kind: str, headers: list[str], aliases: AliasTable) -> dict[str, int]:
    """canonical column -> file column index; the first column naming it wins."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        column = aliases.canonical(kind, header)
        if column and column not in found:
            found[column] = index
    return found


def missing_required(kind: str, columns: dict[str, int]) -> list[str]:
    return [c for c in KINDS[kind].required_columns if c not in columns]


FOUND_NAMES = 30  # a message lists at most this many header names ...
FOUND_NAME_CHARS = 40  # ... each cut to this length (a 10 MB "header" stays readable)


def _found(headers: list[str]) -> str:
    shown = [h for h in headers if h]
    if not shown:
        return "no column names"
    names = [h if len(h) <= FOUND_NAME_CHARS else h[: FOUND_NAME_CHARS - 1] + "…" for h in shown]
    more = len(names) - FOUND_NAMES
    text = ", ".join(names[:FOUND_NAMES])
    return text + (f" and {more:,} more" if more > 0 else "")


def find_header(rows: list[list[Any]], candidates: list[str], aliases: AliasTable) -> HeaderMatch:
    """The header row for one of ``candidates`` (see module docstring); raises
    ``HeaderProblem`` with an actionable message."""
    search = rows[:HEADER_SEARCH_ROWS]
    ambiguous: list[str] = []
    for index, row in enumerate(search):
        headers = header_cells(row)
        complete = {}
        for kind in candidates:
            columns = map_columns(kind, headers, aliases)
            if not missing_required(kind, columns):
                complete[kind] = columns
        if len(complete) == 1:
            kind, columns = next(iter(complete.items()))
            return HeaderMatch(kind, index, columns, headers)
        if len(complete) > 1 and not ambiguous:
            ambiguous = sorted(complete)
    if ambiguous:
        raise HeaderProblem(
            f"the headers fit more than one kind ({', '.join(ambiguous)}); "
            "name the kind with --kind"
        )
    raise HeaderProblem(_missing_message(search, candidates, aliases))


def header_found(rows: list[list[Any]], candidates: list[str], aliases: AliasTable) -> bool:
    try:
        find_header(rows, candidates, aliases)
    except HeaderProblem:
        return False
    return True


def _missing_message(search: list[list[Any]], candidates: list[str], aliases: AliasTable) -> str:
    """Name the missing column(s) of the closest kind and the headers that were found.

    The row shown is the one naming most required columns (the first non-empty row when
    none names any), so the user sees what the dashboard took for the header."""
    best: tuple[int, int, str, list[str], list[str]] | None = None  # score, -row, kind, ...
    for index, row in enumerate(search):
        headers = header_cells(row)
        if not any(headers):
            continue
        for kind in candidates:
            columns = map_columns(kind, headers, aliases)
            missing = missing_required(kind, columns)
            score = len(KINDS[kind].required_columns) - len(missing)
            key = (score, -index)
            if best is None or key > best[:2]:
                best = (score, -index, kind, missing, headers)
    if best is None:
        return "no header row found: the first rows are empty"
    score, _, kind, missing, headers = best
    if score == 0 and len(candidates) > 1:
        return f"no required column of any kind found (found: {_found(headers)})"
    noun = "column" if len(missing) == 1 else "columns"
    which = f" for {kind}" if len(candidates) > 1 else ""
    return f"missing required {noun} {', '.join(missing)}{which} (found: {_found(headers)})"
