"""``kpi events list|add|delete``: the events drawn on the time charts (#12).

The command line is the operator of the database file (like ``kpi ingest``): it edits as
the operating-system user with the admin role, or as ``--as-user NAME`` of the users file,
whose role must allow it (admins and analysts). A CSV of events loads with
``kpi ingest --kind events FILE``. Exit code 1 when the change was refused.
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "events",
        help="list, add or delete the events drawn on the time charts",
        description=(
            "Events on the timeline: one day or a range, for every project or only some; "
            "drawn on every time chart of the dashboard. Import a CSV of them with "
            "`kpi ingest --kind events FILE`."
        ),
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database file (default: $KPI_DB or var/kpi.duckdb)")

    show = sub.add_parser("list", parents=[common], help="print every event")
    show.set_defaults(func=run_list)

    editing = argparse.ArgumentParser(add_help=False, parents=[common])
    editing.add_argument("--as-user", dest="as_user", metavar="NAME",
                         help="edit as this user of the users file (their role must allow it)")  # fmt: skip
    editing.add_argument("--settings", help="settings file (default: $KPI_SETTINGS or kpi.toml)")

    add = sub.add_parser("add", parents=[editing], help="add an event")
    add.add_argument("--date", required=True, help="the day (or first day), e.g. 2026-03-05")
    add.add_argument("--end", help="the last day of a range (inclusive)")
    add.add_argument("--title", required=True)
    add.add_argument("--title-zh", dest="title_zh", help="the Chinese title, if different")
    add.add_argument("--project", action="append", default=[],
                     help="a project it applies to (repeat; none: every project)")  # fmt: skip
    add.add_argument("--region", action="append", default=[],
                     help="a region it applies to (repeat; none: every region)")  # fmt: skip
    add.set_defaults(func=run_add)

    delete = sub.add_parser("delete", parents=[editing], help="delete an event by its number")
    delete.add_argument(
        "event_id", type=int, metavar="ID", help="the number `kpi events list` shows"
    )
    delete.set_defaults(func=run_delete)
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])


def _editor(args: argparse.Namespace):
    """The user the change is made as: --as-user's entry, else the operator (admin)."""
    import getpass

    from dashboard.access.users import User, get_user, users_file_path
    from dashboard.settings import load_settings

    if args.as_user:
        settings = load_settings(args.settings)
        return get_user(args.as_user, users_file_path(settings, args.db))
    try:
        name = getpass.getuser()
    except Exception:  # no user name in this environment
        name = "cli"
    return User(name=name, role="admin")


def _audit(args: argparse.Namespace, event: str, editor, detail: str) -> None:
    from dashboard.access import audit

    audit.record(event, editor.name, detail, path=audit.audit_path(args.db), source="cli")


def _line(event) -> str:
    days = event.starts_on.isoformat() + (f"..{event.ends_on.isoformat()}" if event.ends_on else "")
    where = ", ".join([*event.projects, *event.regions]) or "every project"
    zh = f" / {event.title_zh}" if event.title_zh else ""
    return f"{event.event_id}\t{days}\t{event.title}{zh}\t{where}"


def run_list(args: argparse.Namespace) -> int:
    from dashboard.events.store import list_events
    from dashboard.pipeline import connect_readonly

    with connect_readonly(args.db) as con:
        events = list_events(con)
    if not events:
        print("(no events yet: add one with `kpi events add --date YYYY-MM-DD --title TEXT`)")
    for event in events:
        print(_line(event))
    return 0


def run_add(args: argparse.Namespace) -> int:
    from dashboard.events.model import EventDraft, EventProblem, parse_date
    from dashboard.events.store import add_event
    from dashboard.pipeline import ensure_database

    try:
        editor = _editor(args)
        path = ensure_database(args.db)
        draft = EventDraft(
            starts_on=parse_date(args.date, "--date"),
            ends_on=parse_date(args.end, "--end"),
            title=args.title,
            title_zh=args.title_zh,
            projects=tuple(args.project),
            regions=tuple(args.region),
        )
        event = add_event(draft, editor=editor, db=path)
    except EventProblem as problem:
        print(f"kpi events add: {problem}", file=sys.stderr)
        return 1
    _audit(args, "timeline_added", editor, _line(event))
    print(f"added {_line(event)}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    from dashboard.events.model import EventProblem
    from dashboard.events.store import delete_event
    from dashboard.pipeline import ensure_database

    try:
        editor = _editor(args)
        event = delete_event(args.event_id, editor=editor, db=ensure_database(args.db))
    except EventProblem as problem:
        print(f"kpi events delete: {problem}", file=sys.stderr)
        return 1
    _audit(args, "timeline_deleted", editor, _line(event))
    print(f"deleted {_line(event)}")
    return 0
