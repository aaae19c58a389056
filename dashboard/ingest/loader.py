"""Loading one table of an export (a CSV file, an XLSX sheet, a Parquet file) into the
kind's table: staging -> parse/validate -> rejects -> upsert, in ONE transaction.

Steps (each a function, so a test can make one fail half way):
1. ``stage``: the data rows (below the header; completely empty lines are skipped and not
   counted) become an Arrow table of text cells plus the physical line number.
2. ``classify``: one SQL statement parses every value, collects every reason a row cannot
   be loaded, and classifies rows: loaded / rejected / duplicate (an exact copy of a
   loadable row, counted once) / superseded (an earlier row with the key of a later
   loadable row: rejected with reason "superseded by a later row with the same id").
3. ``write_log``, ``write_rejects``, ``upsert``: bookkeeping rows and the upsert (rows
   are unique per key by then, so INSERT OR REPLACE cannot keep a stale duplicate).
The caller wraps the steps in BEGIN/COMMIT and rolls back on any failure.

Invariant: loaded + rejected + duplicates = data rows, and rejected_rows holds exactly
``rejected`` rows for the import.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.ingest.aliases import AliasTable
from dashboard.ingest.cells import cell_text, date_cell_text
from dashboard.ingest.csv_text import csv_body
from dashboard.ingest.header import HeaderMatch
from dashboard.ingest.sheet import RawSheet
from dashboard.ingest.values import (
    TRIM_CHARS,
    amount_column,
    boolean_column,
    datetime_column,
    integer_column,
    method_expr,
)
from dashboard.schema import KINDS, UNASSIGNED, kind_table_ddl

SUPERSEDED = "superseded by a later row with the same id"
STAGE_VIEW = "_kpi_ingest_stage"
ROWS_TABLE = "_kpi_ingest_rows"
CELLS_VIEW = "_kpi_ingest_cells"
STORED_KEYS = "_kpi_ingest_stored_keys"

INTEGER_RANGES = {"csat": (1, 5), "nps": (0, 10)}


@dataclass
class Staged:
    table: pa.Table  # _line BIGINT, c0..cN VARCHAR: the cells as read (rejects keep these)
    names: list[str]  # display name of each file column (header text, unique)
    extra: list[int]  # indexes of columns the contract does not name
    header_width: int
    trimmed: pa.Table | None = None  # _line, t0..tN: ``trim_cells(table)``, made on first use

    def cells(self) -> pa.Table:
        if self.trimmed is None:
            self.trimmed = trim_cells(self.table)
        return self.trimmed

    def release_cells(self) -> None:
        """Drop the cells once classified and the rejects written (``upsert`` reads the work
        table): hundreds of MB at 2M orders, freed before the insert needs its memory."""
        self.table = self.table.schema.empty_table()
        self.trimmed = None


def trim_cells(table: pa.Table) -> pa.Table:
    """The cells trimmed of ``TRIM_CHARS``, NULL when empty: columns t0.. next to ``_line``.

    Done by Arrow's vectorised kernel, column by column, before the cells reach DuckDB: the
    same trimming as a SQL ``case``/``trim()`` per cell, 8x faster (2M orders: ~3.5 s of
    DuckDB time -> ~0.4 s)."""
    columns = {"_line": table.column("_line")}
    for name in table.column_names:
        if name == "_line":
            continue
        cut = pc.utf8_trim(table.column(name), characters=TRIM_CHARS)
        columns["t" + name[1:]] = pc.if_else(pc.equal(cut, ""), pa.scalar(None, pa.string()), cut)
    return pa.table(columns)


@dataclass
class Counts:
    rows: int
    loaded: int
    rejected: int  # rows - loaded - duplicates: errors and superseded rows
    duplicates: int
    superseded: int = 0  # of ``rejected``: replaced by a later row with the same id


def _column_names(headers: list[str], width: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for i in range(width):
        base = headers[i] if i < len(headers) and headers[i] else f"column_{i + 1}"
        name, n = base, 2
        while name in seen:
            name, n = f"{base} ({n})", n + 1
        seen.add(name)
        names.append(name)
    return names


# Wider tables make the parsing SQL (one expression per column) slow and memory-hungry:
# 4,000 columns x 1,000 rows took 12 s and 1.4 GB; 16,384 (Excel's maximum) fails in
# DuckDB. No real export of these kinds comes close.
MAX_COLUMNS = 2000


_PADDING = object()  # a cell missing from a short row (NULL), unlike an empty cell ("")


def typed_table(rows: list[list[Any]], headers: list[str], date_columns: set[int]) -> pa.Table:
    """XLSX rows of typed cells as text columns c0.. (see ``cell_text``), one column at a
    time: a 300k-row sheet has millions of cells, and a Python call for each took seconds,
    while most columns are text already. The width: columns up to the last one with a header
    or any value (a sheet whose used range reaches column XFD because of one stray formatted
    cell is still 6 columns wide); the columns past it are empty and dropped."""
    columns = list(itertools.zip_longest(*rows, fillvalue=_PADDING)) if rows else []
    texts = []
    for index, column in enumerate(columns):
        convert = date_cell_text if index in date_columns else cell_text
        texts.append(
            [
                cell if type(cell) is str else None if cell is _PADDING else convert(cell)
                for cell in column
            ]
        )
    last = max((i for i, h in enumerate(headers) if h), default=-1)
    for index in range(len(texts) - 1, last, -1):
        if any(texts[index]):
            last = index
            break
    width = last + 1
    n = len(rows)
    return pa.table(
        {
            f"c{i}": pa.array(texts[i] if i < len(texts) else [None] * n, type=pa.string())
            for i in range(width)
        }
    )


def stage(sheet: RawSheet, match: HeaderMatch, *, timezone: str = "Asia/Shanghai") -> Staged:
    """The records under the header as text cells (see module docstring). Empty lines are
    still here; ``classify`` drops them (and does not count them)."""
    kind = KINDS[match.kind]
    date_columns = {
        match.columns[c.name]
        for c in kind.columns
        if c.sql_type in ("DATE", "TIMESTAMP") and c.name in match.columns
    }
    header_width = len(match.headers)
    if sheet.arrow is not None:
        return _stage_arrow(sheet.arrow, match, date_columns, timezone)
    if sheet.delimiter is not None:  # CSV
        table, lines = csv_body(sheet, match.row_index, header_width)
    else:  # XLSX: typed cells; a number in a date column is an Excel serial date
        table = typed_table(sheet.rows[match.row_index + 1 :], match.headers, date_columns)
        header_width = table.num_columns
        lines = pa.array(sheet.lines[match.row_index + 1 :], pa.int64())
    width = table.num_columns
    table = table.add_column(0, "_line", lines)
    names = _column_names(match.headers, width)
    mapped = set(match.columns.values())
    extra = [i for i in range(width) if i not in mapped]
    return Staged(table, names, extra, header_width)


def _arrow_text(column: pa.ChunkedArray, is_date: bool, timezone: str) -> pa.ChunkedArray:
    """A Parquet column as the text a CSV export would hold.

    A timestamp that carries a time zone (UTC included) is an instant: it becomes the
    company's wall-clock time (``timezone`` setting), so the same instant lands in the same
    day and week whichever system exported it. A naive timestamp is wall-clock time already.
    """
    t = column.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return column.cast(pa.string())
    # Arrow's cast to text writes what strftime("%Y-%m-%d %H:%M:%S") / ("%Y-%m-%d") writes
    # (the fraction of a second, if the unit has one, included) ~10x faster: 279k orders'
    # timestamps 0.5 -> 0.05 s
    if pa.types.is_timestamp(t):
        if t.tz is not None:
            column = pc.local_timestamp(column.cast(pa.timestamp(t.unit, tz=timezone)))
        return column.cast(pa.string())
    if pa.types.is_date(t):
        return column.cast(pa.string())
    convert = date_cell_text if is_date else cell_text
    return pa.chunked_array([pa.array([convert(v) for v in column.to_pylist()], pa.string())])


def _stage_arrow(
    table: pa.Table, match: HeaderMatch, date_columns: set[int], timezone: str
) -> Staged:
    width = table.num_columns
    arrays = [pa.array(range(1, table.num_rows + 1), type=pa.int64())]
    for i in range(width):
        arrays.append(_arrow_text(table.column(i), i in date_columns, timezone))
    staged = pa.table(arrays, names=["_line", *[f"c{i}" for i in range(width)]])
    mapped = set(match.columns.values())
    names = _column_names(match.headers, width)
    return Staged(staged, names, [i for i in range(width) if i not in mapped], width)


# --------------------------------------------------------------------------- SQL


def _parse_sql(kind_name: str, match: HeaderMatch, staged: Staged) -> tuple[str, str]:
    """(``parsed`` and ``checked`` CTEs over the CTE ``src`` of trimmed cells, the columns the
    later steps keep). ``checked`` holds every value parsed and ``_reason`` (NULL = loadable)."""
    kind = KINDS[kind_name]
    width = len(staged.names)
    values: list[str] = []
    checks: list[str] = []  # on the cells and the parsed values (by column name)

    def check(condition: str, reason: str) -> None:
        checks.append(f"case when {condition} then {reason} end")

    for column in kind.columns:
        name = column.name
        if name == "method_raw":
            continue
        cell = f"t{match.columns[name]}" if name in match.columns else "cast(null as varchar)"
        if column.sql_type in ("DATE", "TIMESTAMP"):
            value, failures = datetime_column(name, cell, column.sql_type)
        elif column.sql_type == "BOOLEAN":
            value, failures = boolean_column(name, cell)
        elif name == "amount":
            value, failures = amount_column(name, cell)
        elif column.sql_type == "INTEGER":
            value, failures = integer_column(name, cell, *INTEGER_RANGES[name])
        elif name in ("project", "region"):
            value, failures = f"coalesce({cell}, $unassigned)", []
        elif name == "method":
            value, failures = method_expr(cell), []
            values.append(f"{cell} as method_raw")
        else:
            value, failures = cell, []
        # empty required values (a missing is_vip means false, project/region unassigned)
        if column.required and name not in ("project", "region", "is_vip"):
            check(f"{cell} is null", f"'{name} is empty'")
        for condition, reason in failures:
            check(condition, reason)
        values.append(f"{value} as {name}")
    if kind_name == "complaints":
        for later in ("first_response_at", "resolved_at"):
            check(f"{later} < opened_at", f"'{later} is earlier than opened_at'")
    if width > staged.header_width:
        over = " or ".join(f"t{i} is not null" for i in range(staged.header_width, width))
        check(
            f"({over})",
            "'the row has more values than the header has columns (check quoting and delimiters)'",
        )
    all_cells = ", ".join(f"t{i}" for i in range(width))
    reason = f"nullif(concat_ws('; ', {', '.join(checks)}), '')" if checks else "null"
    ctes = f"""parsed as (select _line, {all_cells}, {", ".join(values)} from src),
checked as (select *, {reason} as _reason from parsed)"""
    # what the later steps need: status, reason, values, and the cells kept in _extra
    keep = ", ".join(
        ["_line", "_status", "_reason", *kind.column_names, *(f"t{i}" for i in staged.extra)]
    )
    return ctes, keep


def _classify_sql(kind_name: str, match: HeaderMatch, staged: Staged) -> tuple[str, str]:
    """Two statements over the trimmed cells, which carry ``_repeated`` (the key occurs more
    than once in the table; ``classify`` finds those keys with a GROUP BY of the key alone,
    usually a handful): every row whose key does not repeat (loaded unless it has a reason),
    then the rows whose key repeats, through the window functions that tell exact
    duplicates and superseded rows apart.

    Before, one statement counted every key with a window over all rows and both branches
    read that materialised result, although only the repeated keys need it.
    """
    width = len(staged.names)
    all_cells = ", ".join(f"t{i}" for i in range(width))
    ctes, keep = _parse_sql(kind_name, match, staged)
    pk = KINDS[kind_name].primary_key
    single = f"""
create or replace temp table {ROWS_TABLE} as
with
src as (select * from {CELLS_VIEW} where not _repeated and coalesce({all_cells}) is not null),
{ctes},
final as (
    select *, case when _reason is null then 'loaded' else 'rejected' end as _status
    from checked
)
select {keep} from final
"""
    repeated = f"""
insert into {ROWS_TABLE} by name
with
src as (select * from {CELLS_VIEW} where _repeated),
{ctes},
exact as (
    select *,
        case
            when _reason is not null then 'rejected'
            when row_number() over (partition by {pk}, {all_cells} order by _line desc) > 1
                then 'duplicate'
            else 'candidate'
        end as _step
    from checked
),
resolved as (
    select * exclude (_step),
        case
            when _step <> 'candidate' then _step
            when row_number() over (partition by _step = 'candidate', {pk} order by _line desc) > 1
                then 'superseded'
            else 'loaded'
        end as _status
    from exact
)
select {keep} from resolved
"""
    return single, repeated


def classify(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    match: HeaderMatch,
    staged: Staged,
    aliases: AliasTable,
) -> Counts:
    single, repeated = _classify_sql(kind, match, staged)
    params = _word_params(kind, aliases)
    cells = staged.cells()
    key = cells.column(f"t{match.columns[KINDS[kind].primary_key]}")
    con.register(CELLS_VIEW, pa.table({"key": key}))
    try:
        repeated_keys = con.execute(
            f"select key from {CELLS_VIEW} where key is not null group by key having count(*) > 1"
        ).to_arrow_table()
    finally:
        con.unregister(CELLS_VIEW)
    marked = cells.append_column(
        "_repeated", pc.is_in(key, value_set=repeated_keys.column(0).combine_chunks())
    )
    con.register(CELLS_VIEW, marked)
    # The work table's rows need no order (every step after this one joins or filters by
    # _line; the rejects sort by it): written in the order the threads finish, without the
    # batches kept in line. 1.73M orders: ~3.7 -> ~3.1 s CPU.
    con.execute("set preserve_insertion_order = false")
    try:
        con.execute(single, params)
        if repeated_keys.num_rows:
            con.execute(repeated, params)
    finally:
        con.execute("reset preserve_insertion_order")
        con.unregister(CELLS_VIEW)
    rows, loaded, duplicates, superseded = con.execute(
        f"""select count(*),
                   count(*) filter (where _status = 'loaded'),
                   count(*) filter (where _status = 'duplicate'),
                   count(*) filter (where _status = 'superseded')
            from {ROWS_TABLE}"""
    ).fetchone()
    return Counts(rows, loaded, rows - loaded - duplicates, duplicates, superseded)


def _word_params(kind: str, aliases: AliasTable) -> dict[str, Any]:
    columns = KINDS[kind].column_names
    params: dict[str, Any] = {}
    if "project" in columns:  # DuckDB refuses parameters a statement does not use
        params["unassigned"] = UNASSIGNED
    if "is_vip" in columns:
        params |= {"true_words": aliases.true_words, "false_words": aliases.false_words}
    if "method" in columns:
        params |= {"phone_words": aliases.phone_words, "visit_words": aliases.visit_words}
    return params


def _json_object(prefix: str, indexes: list[int], names: list[str]) -> tuple[str, dict]:
    """json_object($k0, c0, ...) with header names as bound parameters."""
    if not indexes:
        return "cast(null as json)", {}
    parts, params = [], {}
    for i in indexes:
        parts.append(f"$key{i}, {prefix}{i}")
        params[f"key{i}"] = names[i]
    return f"json_object({', '.join(parts)})", params


def write_log(
    con: duckdb.DuckDBPyConnection,
    *,
    import_id: int,
    file_name: str,
    file_path: str,
    sheet: str | None,
    content_hash: str,
    kind: str | None,
    counts: Counts,
    status: str,
    message: str | None,
) -> None:
    con.execute(
        """insert into import_log (import_id, file_name, file_path, sheet, content_hash, kind,
               imported_at, rows_in_file, rows_loaded, rows_rejected, rows_duplicate,
               status, message)
           values ($id, $name, $path, $sheet, $hash, $kind, $at, $rows, $loaded, $rejected,
               $duplicates, $status, $message)""",
        {
            "id": import_id,
            "name": file_name,
            "path": file_path,
            "sheet": sheet,
            "hash": content_hash,
            "kind": kind,
            "at": dt.datetime.now().replace(microsecond=0),
            "rows": counts.rows,
            "loaded": counts.loaded,
            "rejected": counts.rejected,
            "duplicates": counts.duplicates,
            "status": status,
            "message": message,
        },
    )


def write_rejects(
    con: duckdb.DuckDBPyConnection,
    *,
    import_id: int,
    kind: str,
    file: str,
    sheet: str | None,
    staged: Staged,
) -> None:
    """Rejected and superseded rows with the raw row (cells as read, before trimming)."""
    raw, params = _json_object("s.c", list(range(len(staged.names))), staged.names)
    # Only the rejected lines' raw cells are handed over (usually a handful): a join with all
    # of the staged table probed every row of it (2M orders: ~1.5 s).
    lines = con.execute(
        f"select _line from {ROWS_TABLE} where _status in ('rejected', 'superseded')"
    ).to_arrow_table()
    if not lines.num_rows:
        return
    table = staged.table
    wanted = table.filter(
        pc.is_in(table.column("_line"), value_set=lines.column(0).combine_chunks())
    )
    con.register(STAGE_VIEW, wanted)
    try:
        con.execute(
            f"""insert into rejected_rows (import_id, kind, file, sheet, line_number, reason, raw_row)
                select $import_id, $kind, $file, $sheet, r._line,
                       case when r._status = 'superseded' then $superseded else r._reason end,
                cast({raw} as varchar)
                from {ROWS_TABLE} r join {STAGE_VIEW} s using (_line)
                where r._status in ('rejected', 'superseded')
                order by r._line""",
            {
                "import_id": import_id,
                "kind": kind,
                "file": file,
                "sheet": sheet,
                "superseded": SUPERSEDED,
                **params,
            },
        )
    finally:
        con.unregister(STAGE_VIEW)


def upsert(
    con: duckdb.DuckDBPyConnection,
    *,
    import_id: int,
    kind: str,
    file: str,
    sheet: str | None,
    staged: Staged,
) -> None:
    """Newest wins: rows replace the stored row with the same primary key."""
    columns = KINDS[kind].column_names
    extra, params = _json_object("t", staged.extra, staged.names)
    # INSERT OR REPLACE costs about twice a plain INSERT (a key lookup per row); an empty
    # table (the first import of a kind) cannot conflict. Filling an empty table, the key's
    # index is built once after the insert rather than row by row: 2M orders 3.2 s -> 1.3 s.
    # The table ends up as create_schema makes it (same columns, same PRIMARY KEY).
    empty = con.execute(f"select not exists (select 1 from {kind})").fetchone()[0]
    if empty:
        con.execute(f"drop table {kind}")
        con.execute(kind_table_ddl(KINDS[kind], with_key=False))
    pk = KINDS[kind].primary_key
    insert = f"""into {kind}
                ({", ".join(columns)}, _source_file, _source_sheet, _source_line, _import_id, _extra)
            select {", ".join(columns)}, $file, $sheet, _line, $import_id, {extra}
            from {ROWS_TABLE} where _status = 'loaded'"""
    params |= {"file": file, "sheet": sheet, "import_id": import_id}
    # The rows need not keep the work table's order (SQL promises none without ORDER BY,
    # and the query files sort): DuckDB's order-keeping insert writes batches of rows and
    # then merges and compresses them again. Without it each thread fills its own row
    # groups, compressed once at commit (held in memory until then: the cells are released
    # before, ``Staged.release_cells``). 1.73M orders, insert + commit + checkpoint:
    # ~6.4-7.4 -> ~3.9-5.9 s CPU.
    con.execute("set preserve_insertion_order = false")
    try:
        _insert(con, kind, insert, params, empty)
    finally:
        con.execute("reset preserve_insertion_order")
    if empty:
        con.execute(f"alter table {kind} add primary key ({pk})")


def _insert(
    con: duckdb.DuckDBPyConnection, kind: str, insert: str, params: dict[str, Any], empty: bool
) -> None:
    pk = KINDS[kind].primary_key
    # Into a filled table, INSERT OR REPLACE is only needed for the keys stored already
    # (none, when an export brings only new rows): the others go in with a plain INSERT.
    # 279k new orders into 1.7M stored ones: 1.3-2.6 s CPU -> ~1 s.
    stored = 0
    if not empty:
        con.execute(
            f"""create or replace temp table {STORED_KEYS} as
                select r.{pk} from {ROWS_TABLE} r semi join {kind} k on r.{pk} = k.{pk}
                where r._status = 'loaded'"""
        )
        stored = con.execute(f"select count(*) from {STORED_KEYS}").fetchone()[0]
    if stored:
        con.execute(
            f"insert or replace {insert} and {pk} in (select {pk} from {STORED_KEYS})", params
        )
        con.execute(f"insert {insert} and {pk} not in (select {pk} from {STORED_KEYS})", params)
    else:
        con.execute(f"insert {insert}", params)


def drop_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"drop table if exists {ROWS_TABLE}")
    con.execute(f"drop table if exists {STORED_KEYS}")
