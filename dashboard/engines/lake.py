"""The lake: the contract tables as Parquet, for engines that do not read the DuckDB file.

Layout (documented in docs/SCALE.md)::

    DIR/_lake.json                       manifest: format, export time, tables, row counts
    DIR/customers/data_0.parquet         customers: one file (small, no time column)
    DIR/orders/month=2026-03/*.parquet   event tables: Hive partitions by the month of the
    DIR/complaints/month=.../            event's own timestamp (ordered_at, opened_at,
    DIR/surveys/month=.../               submitted_at, contacted_at), so a cluster reads
    DIR/vip_contacts/month=.../          only the months a question needs
    DIR/import_log/data_0.parquet        the import history (for data freshness)
    DIR/date_spine/data_0.parquet        every week and month (dashboard/spine.py)

Only the contract's columns are written (no lineage, no ``_extra``): the lake is for the
KPIs. Each table is written beside the old one and swapped in, and the manifest is written
last, so a reader sees either the previous export or the new one per table.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dashboard.schema import KINDS

MANIFEST = "_lake.json"
LAKE_FORMAT = 1
PARTITION_COLUMN = "month"
# the event time of each partitioned table
EVENT_TIME = {
    "orders": "ordered_at",
    "complaints": "opened_at",
    "surveys": "submitted_at",
    "vip_contacts": "contacted_at",
}
# besides the contract tables: the import history (read by data_freshness) and the date
# spine every KPI file picks its periods from (dashboard/spine.py)
EXTRA_TABLES = ("import_log", "date_spine")
IMPORT_LOG_COLUMNS = (
    "import_id", "file_name", "sheet", "kind", "imported_at", "rows_in_file", "rows_loaded",
    "rows_rejected", "rows_duplicate", "status", "message",
)  # fmt: skip


DATE_SPINE_COLUMNS = ("grain", "period_start", "period_end", "last_day", "period_no")


class LakeError(ValueError):
    """The lake folder is missing, incomplete or not a lake; the message says which."""


@dataclass(frozen=True)
class TableExport:
    table: str
    rows: int
    partitioned: bool


def table_columns(table: str) -> list[str]:
    if table in KINDS:
        return KINDS[table].column_names
    if table == "import_log":
        return list(IMPORT_LOG_COLUMNS)
    if table == "date_spine":
        return list(DATE_SPINE_COLUMNS)
    raise LakeError(f"no lake table {table!r}")


def lake_tables() -> tuple[str, ...]:
    return (*KINDS, *EXTRA_TABLES)


def _quote_path(path: Path) -> str:
    return str(path).replace("'", "''")


def export_lake(con: duckdb.DuckDBPyConnection, to: str | os.PathLike[str]) -> list[TableExport]:
    """Write every lake table of the database behind ``con`` under ``to`` (see module doc)."""
    root = Path(to)
    if root.exists() and not root.is_dir():
        raise LakeError(f"{root} exists and is not a folder")
    if root.is_dir() and any(root.iterdir()) and not (root / MANIFEST).exists():
        raise LakeError(
            f"{root} is not empty and holds no {MANIFEST}: choose an empty folder or an "
            "earlier lake (nothing was written)"
        )
    root.mkdir(parents=True, exist_ok=True)
    results: list[TableExport] = []
    for table in lake_tables():
        columns = ", ".join(table_columns(table))
        rows = con.execute(f"select count(*) from {table}").fetchone()[0]
        staged = root / f".{table}.{uuid.uuid4().hex}.tmp"
        staged.mkdir()
        try:
            partitioned = table in EVENT_TIME and rows > 0
            if partitioned:
                month = f"strftime({EVENT_TIME[table]}, '%Y-%m') as {PARTITION_COLUMN}"
                con.execute(
                    f"copy (select {columns}, {month} from {table}) to '{_quote_path(staged)}' "
                    f"(format parquet, partition_by ({PARTITION_COLUMN}), overwrite_or_ignore)"
                )
            else:  # one file, also when empty: it still carries the schema
                con.execute(
                    f"copy (select {columns} from {table}) to "
                    f"'{_quote_path(staged / 'data_0.parquet')}' (format parquet)"
                )
            _swap_in(staged, root / table)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        results.append(TableExport(table, int(rows), partitioned))
    manifest = {
        "format": LAKE_FORMAT,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "export_id": uuid.uuid4().hex,
        "partition_column": PARTITION_COLUMN,
        "tables": {
            r.table: {"rows": r.rows, "partitioned_by": PARTITION_COLUMN if r.partitioned else None}
            for r in results
        },
    }
    tmp = root / f".{MANIFEST}.{uuid.uuid4().hex}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, root / MANIFEST)
    return results


def _swap_in(staged: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.{uuid.uuid4().hex}.old")
        os.replace(target, old)
    os.replace(staged, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def read_manifest(lake: str | os.PathLike[str]) -> dict:
    """The lake's manifest; ``LakeError`` with a hint when ``lake`` is not an exported lake.
    (Only for a local folder; a cluster path such as s3://... is read by Spark itself.)"""
    path = Path(lake) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LakeError(
            f"no lake at {lake} (no {MANIFEST}); write one with: kpi lake export --to {lake}"
        ) from None
    except (OSError, ValueError) as exc:
        raise LakeError(f"{path}: cannot read the lake manifest: {exc}") from exc
    if manifest.get("format") != LAKE_FORMAT:
        raise LakeError(f"{path}: lake format {manifest.get('format')!r}, expected {LAKE_FORMAT}")
    missing = [t for t in lake_tables() if t not in manifest.get("tables", {})]
    if missing:
        raise LakeError(f"{lake}: the lake has no {', '.join(missing)}; export it again")
    return manifest


def is_local(lake: str) -> bool:
    return "://" not in lake or lake.startswith("file://")


def lake_version(lake: str | None) -> str:
    """Changes whenever the lake is exported again (a cache key for the app)."""
    if not lake or not is_local(lake):
        return lake or ""
    try:
        return str(read_manifest(lake.removeprefix("file://")).get("export_id", ""))
    except LakeError:
        return ""
