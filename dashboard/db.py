"""How the database file is opened: one writer at a time, any number of readers.

Decision (data-contract "atomic import", reliability "imports while people are looking"):

* **Writers never touch the live file.** ``writer(path)`` takes an exclusive lock
  (``<db>.lock``), copies the live file to a private temporary file, lets the importer work
  on the copy (per-file transactions inside), checkpoints, closes and then *atomically*
  ``os.replace``-s the copy over the live path. A crash or SIGKILL at any point leaves the
  live file exactly as it was (the stale copy is removed by the next writer).
* **Readers attach a snapshot.** ``connect_readonly(path)`` opens an in-memory DuckDB and
  ``ATTACH``-es the file read-only, then ``USE``-s it, so unqualified table names work.
  ATTACH sidesteps DuckDB's per-path instance cache: after a writer replaced the file, a
  new reader sees the new version while old readers keep their consistent old snapshot
  (the old inode lives until they close). ``Snapshot`` watches the file's identity and
  hands out fresh connections when it changes (used by the app).
* Inside one process, every thread uses its own ``con.cursor()`` (sharing a connection
  object between threads crashed the interpreter, duckdb-python #435).
* **Readers are locked down** (``lock_down``, #19): right after the ATTACH, external access
  (files, network, ATTACH), extension autoload/autoinstall and the configuration are turned
  off and memory and threads are limited, so a query file that tries ``read_text('/etc/...')``
  fails on every reader, whoever runs it. ``kpi check`` and the catalog refuse such files
  before they run (``dashboard/sqllab/served.py``).
* The writer lock is ``filelock``'s (``flock`` on POSIX, ``msvcrt.locking`` on Windows), so
  the package imports and runs on both; a lock held by a killed process is released by the
  operating system.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dashboard.paths import resolve_db_path
from dashboard.schema import create_schema

ATTACH_ALIAS = "kpi"


class DatabaseMissing(Exception):
    """The database file does not exist (and is not the embedded default)."""


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _tmp_glob(path: Path) -> str:
    return f".{path.name}.*.tmp"


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def writer(
    db: str | os.PathLike[str] | None = None,
    *,
    before_publish: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a private copy of the database for writing; publish it atomically on success.

    On any exception (or a kill) nothing is published and the live file is untouched.
    ``before_publish`` runs on the copy after the caller's block, before the copy replaces
    the live file (``dashboard.pipeline`` passes its refresh of what is derived: views, date
    spine, stored intermediates). This module stores; it knows nothing of what is derived.
    """
    path = resolve_db_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    # One writer at a time, across processes. preserve_lock_file keeps `<db>.lock` in place
    # (removing it on release races with a waiting writer) and, with it, rules out filelock's
    # soft-lock fallback, whose marker a killed writer would leave behind.
    from filelock import FileLock  # only writers lock: readers (kpi show) skip its ~14 ms import

    with FileLock(_lock_path(path), thread_local=False, preserve_lock_file=True):
        for stale in path.parent.glob(_tmp_glob(path)):  # left by a killed writer
            stale.unlink(missing_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        if path.exists():
            shutil.copyfile(path, tmp)
        # no DuckDB progress bar: it would write to stdout (a log or a pipe of `kpi ingest`
        # filled with bar updates); the importer reports progress itself
        con = duckdb.connect(str(tmp))
        try:
            con.execute("SET enable_progress_bar = false")
            create_schema(con)
            yield con
            if before_publish is not None:
                before_publish(con)
            con.execute("CHECKPOINT")
            con.close()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            _fsync_dir(path.parent)
        except BaseException:
            with contextlib.suppress(Exception):
                con.close()
            tmp.unlink(missing_ok=True)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)
            raise


def existing_database(db: str | os.PathLike[str] | None = None) -> Path:
    """The database path, which must exist (``dashboard.pipeline.ensure_database`` builds
    the embedded default first)."""
    path = resolve_db_path(db)
    if not path.exists():
        raise DatabaseMissing(
            f"No database at {path}. Load exports first: kpi ingest PATH --db {path}"
        )
    return path


@dataclass(frozen=True)
class ReaderLimits:
    """What one reader connection may use. DuckDB's defaults are every core and 80 % of
    the machine's memory per connection; the app holds up to ``Snapshot.KEEP`` of them."""

    threads: int = max(1, min(os.cpu_count() or 1, 4))
    memory_limit: str = "2GB"
    max_temp_directory_size: str = "4GB"


READER_LIMITS = ReaderLimits()


def spill_dir() -> Path:
    """A private folder for DuckDB's spill files: its default (``.tmp`` under the working
    directory) would land in the project checkout."""
    owner = os.getuid() if hasattr(os, "getuid") else os.getpid()  # no getuid on Windows
    path = Path(tempfile.gettempdir()) / f"kpi-duckdb-{owner}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def lock_down(con: duckdb.DuckDBPyConnection, limits: ReaderLimits = READER_LIMITS) -> None:
    """Turn off everything a read query does not need, then lock the configuration.

    Order matters: the temp directory must be set while file access is still allowed, and
    ``lock_configuration`` must come last (after it, SET/RESET/PRAGMA cannot undo any of
    this). DuckDB calls these settings defence in depth, not a sandbox: the SQL lab and the
    catalog also check every statement (``dashboard/sql_statement.py``)."""
    # one call with every statement: each call costs ~0.5 ms, and a page opens a snapshot
    con.execute(
        ";\n".join(
            [
                f"SET temp_directory = '{_sql_path(spill_dir())}'",
                "SET enable_external_access = false",
                "SET autoinstall_known_extensions = false",
                "SET autoload_known_extensions = false",
                "SET enable_progress_bar = false",  # it would print to the server's stdout
                f"SET threads = {int(limits.threads)}",
                f"SET memory_limit = '{_sql_path(limits.memory_limit)}'",
                f"SET max_temp_directory_size = '{_sql_path(limits.max_temp_directory_size)}'",
                "SET lock_configuration = true",
            ]
        )
    )


def connect_readonly(
    db: str | os.PathLike[str] | None = None,
    limits: ReaderLimits = READER_LIMITS,
    *,
    locked: bool = True,
) -> duckdb.DuckDBPyConnection:
    """A read-only, locked-down snapshot of the database (see module docstring); the file
    must exist (``dashboard.pipeline.connect_readonly`` builds the embedded default first).

    ``locked=False`` is for developer tools only (``dashboard.bench.profile_query`` turns
    on DuckDB's profiler, which writes a file); nothing a user reaches passes it."""
    path = existing_database(db)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{_sql_path(path)}' AS {ATTACH_ALIAS} (READ_ONLY)")
        con.execute(f"USE {ATTACH_ALIAS}")
        if locked:
            lock_down(con, limits)
    except BaseException:
        con.close()
        raise
    return con


def _sql_path(path: Path) -> str:
    # Paths come from our own config/CLI, not from web users; quotes are still escaped.
    return str(path).replace("'", "''")


def file_identity(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class Snapshot:
    """Thread-safe holder of the read-only connections of a long-lived process (the app).

    ``version`` names the newest published version of the file (use it as a cache key);
    when a writer has replaced the file since the last look, a new snapshot is attached.
    ``cursor(version)`` returns a cursor of exactly that version while it is still held
    (the last ``KEEP`` versions are), so a caller that pins a version at the start of a
    page render reads one consistent version for the whole page even if an import is
    published half-way through: numbers are all-old or all-new, never mixed (#7).
    Without a version (or once it was dropped) the newest version is used.
    """

    KEEP = 4  # versions kept attached; an old one closes when its last cursor is gone

    def __init__(self, db: str | os.PathLike[str] | None = None) -> None:
        self.path = existing_database(db)
        self._lock = threading.Lock()
        self._cons: dict[str, duckdb.DuckDBPyConnection] = {}  # version -> con, oldest first
        self._current: str | None = None

    @staticmethod
    def _name(ident: tuple[int, int, int] | None) -> str:
        return ":".join(map(str, ident or ()))

    def _refresh(self) -> None:
        ident = file_identity(self.path)
        if self._current is not None and self._name(ident) == self._current:
            return
        while True:
            con = connect_readonly(self.path)
            # The file may have been replaced between the stat and the ATTACH: only when the
            # identity is the same after attaching do we know which version we hold.
            after = file_identity(self.path)
            if after == ident:
                break
            con.close()
            ident = after
        version = self._name(ident)
        self._cons[version] = con
        self._current = version
        while len(self._cons) > self.KEEP:
            del self._cons[next(iter(self._cons))]

    @property
    def version(self) -> str:
        with self._lock:
            self._refresh()
            assert self._current is not None
            return self._current

    def cursor(self, version: str | None = None) -> duckdb.DuckDBPyConnection:
        with self._lock:
            self._refresh()
            assert self._current is not None
            con = self._cons.get(version or self._current) or self._cons[self._current]
            cur = con.cursor()
        cur.execute(f"USE {ATTACH_ALIAS}")  # a cursor starts in the in-memory catalog
        return cur
