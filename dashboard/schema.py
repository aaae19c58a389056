"""The canonical tables of the data contract (shared/spec/data-contract.md).

One table per kind, named after it, holding the contract's columns with their types and
one row per primary key; plus lineage columns (prefixed ``_``) and ``_extra``, a JSON object
with every column of the export that the contract does not name (kept for analysts).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from dashboard.spine import ensure_spine


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str  # VARCHAR, TIMESTAMP, DATE, BOOLEAN, INTEGER, DOUBLE
    required: bool


@dataclass(frozen=True)
class Kind:
    name: str
    primary_key: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def _c(name: str, sql_type: str, required: bool = False) -> Column:
    return Column(name, sql_type, required)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "customers",
            "customer_id",
            (
                _c("customer_id", "VARCHAR", True),
                _c("customer_name", "VARCHAR"),
                _c("project", "VARCHAR", True),
                _c("region", "VARCHAR", True),
                _c("is_vip", "BOOLEAN", True),
                _c("vip_since", "DATE"),
                _c("joined_on", "DATE"),
            ),
        ),
        Kind(
            "orders",
            "order_id",
            (
                _c("order_id", "VARCHAR", True),
                _c("customer_id", "VARCHAR", True),
                _c("project", "VARCHAR", True),
                _c("region", "VARCHAR", True),
                _c("ordered_at", "TIMESTAMP", True),
                _c("amount", "DOUBLE"),
            ),
        ),
        Kind(
            "complaints",
            "complaint_id",
            (
                _c("complaint_id", "VARCHAR", True),
                _c("customer_id", "VARCHAR"),
                _c("project", "VARCHAR", True),
                _c("region", "VARCHAR", True),
                _c("category", "VARCHAR"),
                _c("channel", "VARCHAR"),
                _c("severity", "VARCHAR"),
                _c("opened_at", "TIMESTAMP", True),
                _c("first_response_at", "TIMESTAMP"),
                _c("resolved_at", "TIMESTAMP"),
            ),
        ),
        Kind(
            "surveys",
            "response_id",
            (
                _c("response_id", "VARCHAR", True),
                _c("customer_id", "VARCHAR"),
                _c("project", "VARCHAR", True),
                _c("region", "VARCHAR", True),
                _c("submitted_at", "TIMESTAMP", True),
                _c("csat", "INTEGER", True),
                _c("nps", "INTEGER"),
            ),
        ),
        Kind(
            "vip_contacts",
            "contact_id",
            (
                _c("contact_id", "VARCHAR", True),
                _c("customer_id", "VARCHAR", True),
                _c("contacted_at", "TIMESTAMP", True),
                _c("method", "VARCHAR", True),  # phone | visit | other
                _c("method_raw", "VARCHAR"),  # the value as exported, kept for 'other'
                _c("staff", "VARCHAR"),
            ),
        ),
    )
}

# Lineage columns on every kind table: where each row came from.
LINEAGE_COLUMNS: tuple[Column, ...] = (
    _c("_source_file", "VARCHAR"),
    _c("_source_sheet", "VARCHAR"),
    _c("_source_line", "INTEGER"),
    _c("_import_id", "BIGINT"),
    _c("_extra", "JSON"),
)

UNASSIGNED = "(unassigned)"


def kind_table_ddl(kind: Kind, *, with_key: bool = True) -> str:
    """The kind's table; ``with_key=False`` leaves the PRIMARY KEY out, for a bulk load that
    adds it afterwards (``ALTER TABLE ... ADD PRIMARY KEY``)."""
    cols = []
    for c in kind.columns:
        not_null = " NOT NULL" if c.required else ""
        pk = " PRIMARY KEY" if with_key and c.name == kind.primary_key else ""
        cols.append(f"{c.name} {c.sql_type}{not_null}{pk}")
    cols += [f"{c.name} {c.sql_type}" for c in LINEAGE_COLUMNS]
    return f"CREATE TABLE IF NOT EXISTS {kind.name} (\n    " + ",\n    ".join(cols) + "\n)"


BOOKKEEPING_DDL = (
    "CREATE SEQUENCE IF NOT EXISTS import_id_seq START 1",
    """CREATE TABLE IF NOT EXISTS import_log (
    import_id BIGINT PRIMARY KEY,
    file_name VARCHAR NOT NULL,     -- base name of the file
    file_path VARCHAR,              -- path as given on import
    sheet VARCHAR,                  -- XLSX sheet name, NULL for CSV/Parquet
    content_hash VARCHAR NOT NULL,  -- sha256 of the file's bytes
    kind VARCHAR,                   -- NULL when the kind could not be told
    imported_at TIMESTAMP NOT NULL,
    rows_in_file BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    rows_duplicate BIGINT NOT NULL,
    status VARCHAR NOT NULL,        -- loaded | rejected
    message VARCHAR                 -- why a file was rejected whole
)""",
    """CREATE TABLE IF NOT EXISTS rejected_rows (
    import_id BIGINT,
    kind VARCHAR,
    file VARCHAR NOT NULL,
    sheet VARCHAR,
    line_number BIGINT,  -- 1-based line (CSV) or row (XLSX) in the original file
    reason VARCHAR NOT NULL,
    raw_row VARCHAR      -- the row as read, JSON object header -> text
)""",
)


# Events on the timeline (#12): a user's notes ("new hotline opened", "typhoon"), not an
# export kind. Kept in the file like the data, so a copy-and-publish keeps them.
EVENTS_DDL = (
    "CREATE SEQUENCE IF NOT EXISTS event_id_seq START 1",
    """CREATE TABLE IF NOT EXISTS events (
    event_id BIGINT PRIMARY KEY,
    starts_on DATE NOT NULL,
    ends_on DATE,                   -- inclusive last day of a range; NULL: one day
    title VARCHAR NOT NULL,
    title_zh VARCHAR,               -- NULL: the title is shown in both languages
    projects VARCHAR[] NOT NULL,    -- empty: every project
    regions VARCHAR[] NOT NULL,     -- empty: every region
    created_at TIMESTAMP NOT NULL,
    created_by VARCHAR NOT NULL,
    updated_at TIMESTAMP,
    updated_by VARCHAR,
    _import_id BIGINT               -- the import_log row of an events CSV, NULL if typed in
)""",
)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every contract table if missing (idempotent), and the date spine the KPI
    files read (``dashboard.spine``: a calendar table, not data)."""
    for kind in KINDS.values():
        con.execute(kind_table_ddl(kind))
    for ddl in BOOKKEEPING_DDL + EVENTS_DDL:
        con.execute(ddl)
    ensure_spine(con)
