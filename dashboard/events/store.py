"""Reading and writing the ``events`` table (``dashboard.schema.EVENTS_DDL``).

Every change goes through ``dashboard.db.writer``: a private copy of the file, published
atomically, so an event is saved whole or not at all, and every later import (which copies
the live file) carries it over. Who may change events is decided here, below every entry
point (the Data page, ``kpi events``): the ``timeline`` capability of
``dashboard.access.roles`` (admins and analysts).

Reading for the charts goes through ``queries/events.sql`` (``dashboard.kpis.compute``),
so the filters and a department head's scope apply as for every other query.
"""

from __future__ import annotations

import datetime as dt
import os

import duckdb

from dashboard.access import roles
from dashboard.access.users import User
from dashboard.events.model import Event, EventDraft, EventProblem, validate

_COLUMNS = (
    "event_id, starts_on, ends_on, title, title_zh, projects, regions, created_at, "
    "created_by, updated_at, updated_by"
)


def can_edit(user: User | None) -> bool:
    return user is not None and roles.can(user.role, roles.TIMELINE)


def require_editor(user: User | None) -> User:
    if user is None or not can_edit(user):
        raise EventProblem("refused", role=user.role if user else "-")
    return user


def has_events_table(con: duckdb.DuckDBPyConnection) -> bool:
    """False for a database file published before events existed (readers cannot add it)."""
    found = con.execute(
        "select count(*) from duckdb_tables() where table_name = 'events' "
        "and database_name = current_database() and schema_name = 'main'"
    ).fetchone()
    return bool(found and found[0])


def list_events(con: duckdb.DuckDBPyConnection) -> list[Event]:
    """Every event, earliest first (the editor and ``kpi events list``; no filters)."""
    if not has_events_table(con):
        return []
    rows = con.execute(f"select {_COLUMNS} from events order by starts_on, event_id").fetchall()
    return [_event(row) for row in rows]


def _event(row: tuple) -> Event:
    return Event(
        event_id=int(row[0]),
        starts_on=row[1],
        ends_on=row[2],
        title=row[3],
        title_zh=row[4],
        projects=tuple(row[5] or ()),
        regions=tuple(row[6] or ()),
        created_at=row[7],
        created_by=row[8],
        updated_at=row[9],
        updated_by=row[10],
    )


def get_event(con: duckdb.DuckDBPyConnection, event_id: int) -> Event:
    row = (
        con.execute(f"select {_COLUMNS} from events where event_id = $id", {"id": int(event_id)})
        if has_events_table(con)
        else None
    )
    found = row.fetchone() if row is not None else None
    if found is None:
        raise EventProblem("not_found", event_id=event_id)
    return _event(found)


def known_names(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    """The projects and regions of the data (the ``dimensions`` query), for validation."""
    from dashboard import kpis

    frame = kpis.compute(con, "dimensions", engine="duckdb")
    if frame.empty:
        return [], []
    return sorted(set(frame["project"].astype(str))), sorted(set(frame["region"].astype(str)))


def checked(con: duckdb.DuckDBPyConnection, draft: EventDraft) -> EventDraft:
    projects, regions = known_names(con)
    return validate(draft, known_projects=projects, known_regions=regions)


def insert(
    con: duckdb.DuckDBPyConnection, draft: EventDraft, by: str, import_id: int | None = None
) -> int:
    """Insert an already validated draft; its new id."""
    event_id = con.execute("select nextval('event_id_seq')").fetchone()[0]
    con.execute(
        "insert into events (event_id, starts_on, ends_on, title, title_zh, projects, regions, "
        "created_at, created_by, _import_id) values ($id, $starts, $ends, $title, $title_zh, "
        "$projects::varchar[], $regions::varchar[], $at, $by, $import_id)",
        {
            "id": event_id,
            "starts": draft.starts_on,
            "ends": draft.ends_on,
            "title": draft.title,
            "title_zh": draft.title_zh,
            "projects": list(draft.projects),
            "regions": list(draft.regions),
            "at": _now(),
            "by": by,
            "import_id": import_id,
        },
    )
    return int(event_id)


def replace(
    con: duckdb.DuckDBPyConnection,
    event_id: int,
    draft: EventDraft,
    by: str,
    import_id: int | None = None,
) -> None:
    con.execute(
        "update events set starts_on = $starts, ends_on = $ends, title = $title, "
        "title_zh = $title_zh, projects = $projects::varchar[], regions = $regions::varchar[], "
        "updated_at = $at, updated_by = $by, _import_id = coalesce($import_id, _import_id) "
        "where event_id = $id",
        {
            "id": int(event_id),
            "starts": draft.starts_on,
            "ends": draft.ends_on,
            "title": draft.title,
            "title_zh": draft.title_zh,
            "projects": list(draft.projects),
            "regions": list(draft.regions),
            "at": _now(),
            "by": by,
            "import_id": import_id,
        },
    )


def same_event(con: duckdb.DuckDBPyConnection, draft: EventDraft) -> int | None:
    """The id of the event with the same first day and title (an import updates it)."""
    row = con.execute(
        "select min(event_id) from events where starts_on = $starts and title = $title",
        {"starts": draft.starts_on, "title": draft.title},
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


Db = str | os.PathLike[str] | None


def add_event(draft: EventDraft, *, editor: User | None, db: Db = None) -> Event:
    """Validate and store a new event (published atomically); the stored event."""
    from dashboard.db import writer

    user = require_editor(editor)
    with writer(db) as con:
        event_id = insert(con, checked(con, draft), user.name)
        event = get_event(con, event_id)
    return event


def update_event(event_id: int, draft: EventDraft, *, editor: User | None, db: Db = None) -> Event:
    from dashboard.db import writer

    user = require_editor(editor)
    with writer(db) as con:
        get_event(con, event_id)  # EventProblem("not_found") before anything changes
        replace(con, event_id, checked(con, draft), user.name)
        event = get_event(con, event_id)
    return event


def delete_event(event_id: int, *, editor: User | None, db: Db = None) -> Event:
    """Delete one event; the event as it was."""
    from dashboard.db import writer

    require_editor(editor)
    with writer(db) as con:
        event = get_event(con, event_id)
        con.execute("delete from events where event_id = $id", {"id": int(event_id)})
    return event
