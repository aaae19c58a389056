"""The orchestrator: import files, then refresh what is derived, then publish (#13).

Every way data gets into a database goes through here - ``kpi ingest``, the Data page's
upload, the embedded default database built from ``data/`` - so each publish carries the
derived layer (``dashboard.derived``: date spine, staging views, stored KPI rows) that
matches its data. Layers, lowest first::

    dashboard.db        storage: the writer (private copy, atomic publish), read-only
                        snapshots, limits; knows nothing above it
    dashboard.ingest    files -> readers -> contract tables (on a writer's connection)
    dashboard.catalog   queries/*.sql: metadata, rendering, staging views
    dashboard.kpis      the one API that runs a query file
    dashboard.derived   what is stored beside the data at publish
    dashboard.pipeline  this module: the order of the steps, and opening a database
                        (building the embedded default first)

``import_files`` and ``ensure_database`` import ingest and the derived layer when they
need them: ``kpi show`` only opens a database, and the readers and the KPI API's stored-row
writer cost it tenths of a second to import (the dependency is one-way either way).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from dashboard import paths
from dashboard.db import (
    ATTACH_ALIAS,
    READER_LIMITS,
    DatabaseMissing,
    ReaderLimits,
    Snapshot,
    _sql_path,
    existing_database,
    file_identity,
    writer,
)
from dashboard.db import connect_readonly as _connect_readonly
from dashboard.paths import DEFAULT_DB, resolve_db_path

if TYPE_CHECKING:
    from dashboard.ingest import FileResult

__all__ = [
    "DatabaseMissing",
    "connect_readonly",
    "ensure_database",
    "import_files",
    "open_snapshot",
    "publishing_writer",
    "refresh",
]


def _refresh_all(con: duckdb.DuckDBPyConnection) -> None:
    from dashboard.derived import refresh_derived

    refresh_derived(con, slow=True)


@contextlib.contextmanager
def publishing_writer(
    db: str | os.PathLike[str] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """``dashboard.db.writer`` that refreshes the derived layer before publishing: for any
    write that changes data (tests and tools too); the import uses ``import_files``."""
    with writer(db, before_publish=_refresh_all) as con:
        yield con


def refresh(db: str | os.PathLike[str] | None = None) -> None:
    """Publish the database again with a fresh derived layer (no data change)."""
    with publishing_writer(db):
        pass


def import_files(
    paths: Sequence[str | Path],
    db: str | Path | None = None,
    kind: str | None = None,
    progress: bool = False,
    on_result: Callable[[FileResult], None] | None = None,
    display_names: Sequence[str] | None = None,
) -> list[FileResult]:
    """Import files and folders (``dashboard.ingest.ingest_paths``), refreshing what is
    derived before each file's publish: the cheap parts every time, the stored KPI rows
    with the last file - or once more at the end when they are out of date (the last file
    was skipped, or only ``kpi.toml`` changed since)."""
    from dashboard.derived import refresh_derived
    from dashboard.events.importer import ingest_events
    from dashboard.ingest import ingest_paths
    from dashboard.ingest.kinds import EVENTS_KIND

    # whether the last publish stored everything and checked it current: then the live file
    # need not be opened again to find out (~0.1-0.2 s an import)
    checked_current = [False]

    def before_publish(con: duckdb.DuckDBPyConnection, last: bool) -> None:
        checked_current[0] = refresh_derived(con, slow=last) is True

    results = ingest_paths(
        paths,
        db=db,
        kind=kind,
        progress=progress,
        on_result=on_result,
        display_names=display_names,
        before_publish=before_publish,
        importers={EVENTS_KIND: ingest_events},  # events on the timeline (#12)
    )
    path = resolve_db_path(db)
    if checked_current[0]:
        return results
    if path.exists() and _outdated(path):
        if progress:
            print("storing KPI results ...", file=sys.stderr)
        refresh(path)
    return results


def _outdated(path: Path) -> bool:
    from dashboard.derived import is_current, stored_rows_outdated

    with _connect_readonly(path) as con:
        return not is_current(con) or stored_rows_outdated(con)


# --------------------------------------------------------------------------- opening


def data_fingerprint(data_dir: Path) -> str:
    """A hash of every file under ``data/`` (names and contents), to notice a changed ``data/``."""
    digest = hashlib.sha256()
    for file in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(data_dir)).encode())
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


# Events of the demo company (dashboard/demo/events.csv): not an export, so not in data/.
DEMO_EVENTS = Path(__file__).parent / "demo" / "events.csv"


def _fingerprint_path(path: Path) -> Path:
    return path.with_name(path.name + ".data-fingerprint")


def refresh_default_database(path: Path) -> None:
    """Build the embedded default from ``data/`` when missing, or re-import when ``data/`` changed.

    Re-importing is incremental (files already imported are skipped by content hash, changed
    ones upsert by id), so exports a user uploaded into the default database are kept. (The
    import opens the file it builds with ``dashboard.db``'s reader, never through
    ``ensure_database``, so a rebuild cannot call itself.)
    """
    data_dir = paths.DATA_DIR  # looked up on each call: tests point it elsewhere
    fingerprint = data_fingerprint(data_dir) if data_dir.is_dir() else ""
    if DEMO_EVENTS.is_file():  # the demo's events on the timeline (#12)
        fingerprint += ":" + hashlib.sha256(DEMO_EVENTS.read_bytes()).hexdigest()
    marker = _fingerprint_path(path)
    if path.exists() and marker.exists() and marker.read_text().strip() == fingerprint:
        return
    build_default_database(path)
    marker.write_text(fingerprint + "\n")


def build_default_database(path: Path) -> None:
    """Load every export under ``data/`` into ``path`` (first run of the CLI or the app)."""
    if paths.DATA_DIR.is_dir():
        import_files([paths.DATA_DIR], db=path)
        if DEMO_EVENTS.is_file():  # the demo's stories as events on the timeline (#12)
            import_files([DEMO_EVENTS], db=path, kind="events")
    if not path.exists():  # data/ empty: still give the app an (empty) database
        refresh(path)


def ensure_database(db: str | os.PathLike[str] | None = None) -> Path:
    """Return the database path, ready to read: the embedded default is built (and kept in
    step) from ``data/``, and a database published by an older release gets this release's
    derived layer once (no data change).

    Only the embedded default (``var/kpi.duckdb``) is built automatically: a ``--db`` or
    ``$KPI_DB`` file that does not exist raises ``DatabaseMissing`` with a hint, so demo rows
    never end up in a user's own database by accident. A (re)build imports files: callers
    that keep libraries out of their process (``kpi show``) call this first.
    """
    path = _built_database(db)
    _upgrade_if_old(path)
    return path


def _built_database(db: str | os.PathLike[str] | None) -> Path:
    """``ensure_database`` without the derived-layer check."""
    path = resolve_db_path(db)
    if path.resolve() == DEFAULT_DB.resolve():
        refresh_default_database(path)
    else:
        existing_database(path)
    return path


def _layer_current(con: duckdb.DuckDBPyConnection) -> bool:
    # constant SQL, no bound parameter: binding one makes DuckDB import pandas, which
    # `kpi show` keeps out of its process
    row = con.execute(
        "select count(*) from duckdb_tables() where database_name = 'kpi' "
        "and table_name = 'derived_meta'"
    ).fetchone()
    if not row or not row[0]:
        return False
    from dashboard.derived import LAYER_VERSION

    # the file is attached as ``kpi`` (ATTACH_ALIAS) but not USE-d here
    found = con.execute("select value from kpi.derived_meta where key = 'layer_version'").fetchone()
    return bool(found) and found[0] == LAYER_VERSION


# Files (path, inode, mtime, size) seen with this release's derived layer: a process that
# opens the same file again (the app's next snapshot) skips the second connection.
_LAYER_CURRENT: set[tuple[str, tuple[int, int, int]]] = set()


def _layer_key(path: Path) -> tuple[str, tuple[int, int, int]] | None:
    """The file as ``_LAYER_CURRENT`` knows it (None when it is not there)."""
    ident = file_identity(path)
    return None if ident is None else (str(path.resolve()), ident)


def _upgrade_if_old(path: Path) -> None:
    """A database published by an older release lacks derived tables the SQL now reads:
    publish it once more with them (no data change). A file we cannot write stays as is."""
    seen = _layer_key(path)
    if seen in _LAYER_CURRENT:
        return
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{_sql_path(path)}' AS {ATTACH_ALIAS} (READ_ONLY)")
        current = _layer_current(con)
    except duckdb.Error:
        return
    finally:
        con.close()
    if current and seen is not None:
        _LAYER_CURRENT.add(seen)
    if not current:
        try:
            refresh(path)
        except (OSError, duckdb.Error) as exc:
            print(f"warning: {path}: derived tables not refreshed: {exc}", file=sys.stderr)


def connect_readonly(
    db: str | os.PathLike[str] | None = None,
    limits: ReaderLimits = READER_LIMITS,
    *,
    locked: bool = True,
) -> duckdb.DuckDBPyConnection:
    """A read-only snapshot (``dashboard.db.connect_readonly``) of the database, made ready
    as ``ensure_database`` makes it. The derived layer is checked on the snapshot itself: one
    connection instead of two for a `kpi show` (a second ATTACH is ~15-30 ms)."""
    path = _built_database(db)
    seen = _layer_key(path)
    con = _connect_readonly(path, limits, locked=locked)
    if seen in _LAYER_CURRENT:
        return con
    try:
        current = _layer_current(con)
    except duckdb.Error:
        current = False  # let the upgrade below decide, as ensure_database would
    if current:
        if seen is not None and _layer_key(path) == seen:  # not replaced while attaching
            _LAYER_CURRENT.add(seen)
        return con
    con.close()
    _upgrade_if_old(path)
    return _connect_readonly(path, limits, locked=locked)


def open_snapshot(db: str | os.PathLike[str] | None = None) -> Snapshot:
    """The app's ``Snapshot`` of the database (built or refreshed first, as above)."""
    return Snapshot(ensure_database(db))
