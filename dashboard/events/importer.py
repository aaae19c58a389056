"""An events file (CSV, XLSX or Parquet) into the ``events`` table: ``kpi ingest --kind
events FILE`` and the Data page's kind "Events" (docs/EVENTS.md describes the columns).

The file goes through the importer's readers (encodings, delimiters, XLSX sheets) and its
bookkeeping (``import_log``, ``rejected_rows``), in one transaction like any export; only
the rows are read here, in Python: an events list has tens of rows, not millions.

* Header: the first of the first ten rows naming a date column and a title column
  (``[kinds.events]`` of dashboard/ingest/aliases.toml, Chinese names included).
* A row with the same first day and title as a stored event updates it (re-importing an
  edited list changes, never doubles); within the file a later such row supersedes an
  earlier one. A row equal to an earlier row is a duplicate.
* A bad date, an end before the start, an empty title or an unknown project/region rejects
  the row with its line and the reason; the other rows load.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dashboard.events import store
from dashboard.events.model import EventDraft, EventProblem, parse_date, split_names, validate
from dashboard.ingest import loader
from dashboard.ingest.aliases import normalize, raw_aliases
from dashboard.ingest.cells import cell_text
from dashboard.ingest.readers import read_sheets
from dashboard.ingest.sheet import RawSheet, UnreadableFile

if TYPE_CHECKING:
    from pathlib import Path

    from dashboard.ingest import FileResult, _Context

KIND = "events"
COLUMNS = ("starts_on", "ends_on", "title", "title_zh", "projects", "regions")
HEADER_ROWS = 10
MAX_ROWS = 10_000
IMPORTER = "import"  # created_by of imported events (the file is in import_log)


def column_aliases() -> dict[str, str]:
    """normalized header -> events column."""
    raw = raw_aliases()
    own = raw.get("kinds", {}).get(KIND, {})
    common = raw.get("columns", {})
    mapping: dict[str, str] = {}
    for column in COLUMNS:
        mapping[normalize(column)] = column
    for column, names in own.items():
        for name in names:
            mapping.setdefault(normalize(name), column)
    for plural, singular in (("projects", "project"), ("regions", "region")):
        for name in common.get(singular, []):
            mapping.setdefault(normalize(name), plural)
    return mapping


def _header(rows: list[list[Any]], mapping: dict[str, str]) -> tuple[int, dict[int, str]] | None:
    for index, row in enumerate(rows[:HEADER_ROWS]):
        found: dict[int, str] = {}
        for position, cell in enumerate(row):
            column = mapping.get(normalize(cell_text(cell)))
            if column and column not in found.values():
                found[position] = column
        if {"starts_on", "title"} <= set(found.values()):
            return index, found
    return None


def _headers_seen(rows: list[list[Any]]) -> str:
    for row in rows[:HEADER_ROWS]:
        cells = [cell_text(c).strip() for c in row if cell_text(c).strip()]
        if cells:
            return ", ".join(cells[:20])
    return "(none)"


@dataclass
class _Row:
    line: int
    raw: dict[str, str]
    draft: EventDraft | None = None
    reason: str = ""
    status: str = "loaded"  # loaded | rejected | superseded | duplicate


def _records(sheet: RawSheet) -> tuple[list[list[Any]], list[int]]:
    """Every record of the sheet with its line (the readers keep only a CSV's first ones)."""
    if sheet.arrow is not None:
        table = sheet.arrow
        names = [str(n) for n in table.column_names]
        body = [[row.get(n) for n in names] for row in table.to_pylist()]
        return [names, *body], list(range(1, len(body) + 2))
    if sheet.text is None:
        return sheet.rows, sheet.lines
    reader = csv.reader(io.StringIO(sheet.text), delimiter=sheet.delimiter or ",")
    rows, lines = [], []
    start = 1
    for record in reader:
        if any(cell.strip() for cell in record):
            rows.append(record)
            lines.append(start)
        start = reader.line_num + 1
    return rows, lines


def _parse(
    cells: dict[str, Any], known: tuple[list[str], list[str]], names: dict[str, str]
) -> EventDraft:
    """One row as a checked draft; ``names``: the file's header of each column (messages)."""
    starts = parse_date(cells.get("starts_on"), names.get("starts_on", "start"))
    if starts is None:
        raise EventProblem("no_start")
    return validate(
        EventDraft(
            starts_on=starts,
            ends_on=parse_date(cells.get("ends_on"), names.get("ends_on", "end")),
            title=cell_text(cells.get("title")),
            title_zh=cell_text(cells.get("title_zh")) or None,
            projects=split_names(cell_text(cells.get("projects"))),  # "Alpha, Beta"
            regions=split_names(cell_text(cells.get("regions"))),
        ),
        known_projects=known[0],
        known_regions=known[1],
    )


def _classify(records: list[list[Any]], lines: list[int], header: int, columns: dict[int, str],
              headers: list[str], known: tuple[list[str], list[str]]) -> list[_Row]:  # fmt: skip
    out: list[_Row] = []
    by_key: dict[tuple, _Row] = {}
    names = {col: headers[pos] for pos, col in columns.items() if pos < len(headers)}
    for record, line in zip(records[header + 1 :], lines[header + 1 :], strict=False):
        cells = {col: record[pos] for pos, col in columns.items() if pos < len(record)}
        cells = {k: (None if cell_text(v).strip() == "" else v) for k, v in cells.items()}
        raw = {headers[i] if i < len(headers) else f"column {i + 1}": cell_text(v)
               for i, v in enumerate(record)}  # fmt: skip
        row = _Row(line, raw)
        out.append(row)
        try:
            row.draft = _parse(cells, known, names)
        except EventProblem as exc:
            row.status, row.reason = "rejected", str(exc)
            continue
        key = (row.draft.starts_on, row.draft.title)
        earlier = by_key.get(key)
        if earlier is not None:
            if earlier.draft == row.draft:
                row.status = "duplicate"
                continue
            earlier.status = "superseded"
            earlier.reason = f"superseded by the row on line {line} (same date and title)"
        by_key[key] = row
    return out


def ingest_events(ctx: _Context, path: Path) -> list[FileResult]:
    """Load an events file through the import's context (``dashboard.ingest._Context``)."""
    try:
        sheets = read_sheets(path, lambda rows: _header(rows, column_aliases()) is not None)
    except UnreadableFile as exc:
        return [ctx.reject(None, KIND, str(exc))]
    mapping = column_aliases()
    chosen = None
    for sheet in sheets:
        records, lines = _records(sheet)
        found = _header(records, mapping)
        if found is not None:
            chosen = (sheet, records, lines, found)
            break
    if chosen is None:
        records = _records(sheets[0])[0] if sheets else []
        seen = _headers_seen(records)
        first = [cell_text(c) for c in (records[0] if records else [])]
        titled = any(mapping.get(normalize(c)) == "title" for c in first)
        code = "no_date_column" if titled else "no_title_column"
        return [ctx.reject(None, KIND, str(EventProblem(code, headers=seen)))]
    sheet, records, lines, (header, columns) = chosen
    from dashboard.ingest import _already_loaded

    if sheet.sheet is not None and _already_loaded(ctx.con, ctx.content_hash, sheet.sheet):
        return [ctx.skipped(sheet.sheet)]
    body = len(records) - header - 1
    if body > MAX_ROWS:
        return [ctx.reject(sheet.sheet, KIND,
                           str(EventProblem("too_many_rows", rows=body, limit=MAX_ROWS)))]  # fmt: skip
    headers = [cell_text(c).strip() or f"column {i + 1}" for i, c in enumerate(records[header])]
    return [_write(ctx, sheet.sheet, records, lines, header, columns, headers)]


def _write(ctx: _Context, sheet: str | None, records: list[list[Any]], lines: list[int],
           header: int, columns: dict[int, str], headers: list[str]) -> FileResult:  # fmt: skip
    con = ctx.con
    ctx.stage("checking")
    con.execute("begin")
    try:
        known = store.known_names(con)
        rows = _classify(records, lines, header, columns, headers, known)
        import_id = ctx._next_id()  # noqa: SLF001 - the import's own id sequence
        ctx.stage("writing")
        for row in rows:
            if row.status == "loaded" and row.draft is not None:
                existing = store.same_event(con, row.draft)
                if existing is None:
                    store.insert(con, row.draft, IMPORTER, import_id)
                else:
                    store.replace(con, existing, row.draft, IMPORTER, import_id)
            elif row.status in ("rejected", "superseded"):
                con.execute(
                    "insert into rejected_rows (import_id, kind, file, sheet, line_number, "
                    "reason, raw_row) values ($id, $kind, $file, $sheet, $line, $reason, $raw)",
                    {
                        "id": import_id,
                        "kind": KIND,
                        "file": ctx.label,
                        "sheet": sheet,
                        "line": row.line,
                        "reason": row.reason,
                        "raw": json.dumps(row.raw, ensure_ascii=False),
                    },
                )
        counts = loader.Counts(
            rows=len(rows),
            loaded=sum(r.status == "loaded" for r in rows),
            rejected=sum(r.status in ("rejected", "superseded") for r in rows),
            duplicates=sum(r.status == "duplicate" for r in rows),
            superseded=sum(r.status == "superseded" for r in rows),
        )
        loader.write_log(
            con,
            import_id=import_id,
            file_name=ctx.file_name,
            file_path=ctx.label,
            sheet=sheet,
            content_hash=ctx.content_hash,
            kind=KIND,
            counts=counts,
            status="loaded",
            message=None,
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    note = "" if counts.rows else "no event rows below the header: nothing to load"
    return ctx.result(sheet, KIND, counts, "loaded", note)
