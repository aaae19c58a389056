"""The audit log: who did what, when (sign-ins and failures, uploads, SQL lab statements,
report downloads). Admins read it on the Audit page.

Why SQLite and not the DuckDB file: writers replace the database file atomically (a full
copy per import, see ``dashboard.db``), so a small write per sign-in into it would copy the
whole database each time, and two app processes would race. A separate SQLite file in WAL
mode beside the database (``audit.sqlite``) takes many small concurrent appends from every
app process cheaply, survives imports, and needs only the standard library.

Never pass a password or a secret as ``detail``: the callers record names, file names,
SQL statements and outcomes only (tests check that a password used to sign in is nowhere
in the table).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

EVENTS = (
    "sign_in",
    "sign_in_failed",
    "sign_in_locked",
    "sign_in_refused",  # an identity-provider identity that is not a user here
    "sign_out",
    "session_expired",
    "upload",
    "sql_lab",
    "report_download",
    "scope_refused",
    "user_added",  # kpi users (source "cli"; the user is the operating-system account)
    "user_removed",
    "password_changed",
    "timeline_added",  # events on the timeline (#12): Data page or kpi events
    "timeline_changed",
    "timeline_deleted",
)

_SCHEMA = """
create table if not exists audit_log (
    id integer primary key autoincrement,
    at text not null,          -- UTC, ISO 8601
    user_name text not null,
    event text not null,
    detail text not null default '',
    source text not null default ''  -- app, cli
);
create index if not exists audit_log_user_event_at on audit_log (user_name, event, at);
"""

MAX_DETAIL = 4000  # a long SQL statement is kept, within reason


def audit_path(db: str | os.PathLike[str] | None = None) -> Path:
    """``audit.sqlite`` beside the database (``$KPI_DB`` or the embedded one)."""
    from dashboard.paths import resolve_db_path

    return resolve_db_path(db).parent / "audit.sqlite"


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=10, isolation_level=None)
    con.execute("pragma journal_mode=wal")
    con.execute("pragma busy_timeout=10000")
    con.executescript(_SCHEMA)
    return con


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def record(
    event: str,
    user: str,
    detail: str = "",
    *,
    path: str | os.PathLike[str] | None = None,
    source: str = "app",
) -> None:
    """Append one entry. An audit failure must not break the user's action: it is logged."""
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    target = Path(path) if path else audit_path()
    try:
        con = _connect(target)
        try:
            con.execute(
                "insert into audit_log (at, user_name, event, detail, source) "
                "values (?, ?, ?, ?, ?)",
                (_now().isoformat(), user or "?", event, (detail or "")[:MAX_DETAIL], source),
            )
        finally:
            con.close()
    except sqlite3.Error:
        import logging

        logging.getLogger(__name__).exception("audit entry %s not written", event)


def count_since(
    user: str, event: str, since: dt.datetime, *, path: str | os.PathLike[str] | None = None
) -> int:
    """How many ``event`` entries ``user`` has since ``since`` (UTC): the sign-in limit."""
    target = Path(path) if path else audit_path()
    if not target.exists():
        return 0
    con = _connect(target)
    try:
        return con.execute(
            "select count(*) from audit_log where user_name = ? and event = ? and at >= ?",
            (user, event, since.replace(microsecond=0).isoformat()),
        ).fetchone()[0]
    finally:
        con.close()


def read(
    *,
    path: str | os.PathLike[str] | None = None,
    limit: int = 1000,
    user: str | None = None,
    event: str | None = None,
) -> list[dict[str, object]]:
    """The newest entries first (optionally of one user / one event)."""
    target = Path(path) if path else audit_path()
    if not target.exists():
        return []
    con = _connect(target)
    con.row_factory = sqlite3.Row
    try:
        rows = con.execute(
            "select at, user_name, event, detail, source from audit_log "
            "where (? is null or user_name = ?) and (? is null or event = ?) "
            "order by id desc limit ?",
            (user, user, event, event, int(limit)),
        ).fetchall()
    finally:
        con.close()
    return [dict(r) for r in rows]
