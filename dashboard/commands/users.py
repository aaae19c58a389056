"""`kpi users add|list|remove|passwd`: the users file of ``[access]`` (#15).

Passwords are read from standard input (``--password-stdin``), never from the command line
(visible in ``ps`` and shell history), and stored only as argon2 hashes."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from dashboard.access.roles import ROLE_HELP, ROLES

USAGE_EXIT = 2

SCOPE_HELP = (
    "A department head sees the rows whose project is one of their --project values AND "
    "whose region is one of their --region values (a list left out: no limit on it). "
    "Example: --project A --project B --region East sees A or B, in East only. Asking for a "
    "project or region outside that scope is refused, in the app and with --as-user."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "users",
        help="manage the dashboard's users (add, list, remove, passwd)",
        description="Manage the users file named by [access] users_file "
        "(default: users.toml beside the database).",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database file (the users file defaults to its folder)")
    common.add_argument("--settings", metavar="FILE",
                        help="settings file (default: $KPI_SETTINGS or kpi.toml)")  # fmt: skip
    common.add_argument("--users-file", metavar="FILE",
                        help="users file (default: [access] users_file)")  # fmt: skip
    sub = parser.add_subparsers(dest="users_command", metavar="ACTION")

    roles = "; ".join(f"{r}: {h}" for r, h in ROLE_HELP.items())
    add = sub.add_parser(
        "add",
        parents=[common],
        help="add a user (or replace one with --replace)",
        description=f"Add a user. Roles - {roles}. {SCOPE_HELP}",
    )
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--project", action="append", default=[], metavar="P",
                     help="a project the user sees (repeat for several)")  # fmt: skip
    add.add_argument("--region", action="append", default=[], metavar="R",
                     help="a region the user sees (repeat for several)")  # fmt: skip
    add.add_argument("--email", help="identity-provider e-mail for single sign-on (oidc mode)")
    add.add_argument("--subject", help="identity-provider subject for single sign-on")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input (first line)")  # fmt: skip
    add.add_argument("--replace", action="store_true", help="replace an existing user")
    add.set_defaults(func=run_add)

    lst = sub.add_parser("list", parents=[common], help="list users (never their passwords)")
    lst.set_defaults(func=run_list)

    rm = sub.add_parser("remove", parents=[common], help="remove a user")
    rm.add_argument("name", metavar="NAME")
    rm.set_defaults(func=run_remove)

    pw = sub.add_parser("passwd", parents=[common], help="set a user's password from stdin")
    pw.add_argument("name", metavar="NAME")
    pw.add_argument("--password-stdin", action="store_true", default=True,
                    help="read the password from standard input (the default and only way)")  # fmt: skip
    pw.set_defaults(func=run_passwd)
    parser.set_defaults(func=lambda args: _no_action(parser))


def _no_action(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return USAGE_EXIT


def _fail(message: str) -> int:
    print(f"kpi users: error: {message}", file=sys.stderr)
    return USAGE_EXIT


def _path(args: argparse.Namespace):
    from pathlib import Path

    from dashboard.access.users import users_file_path
    from dashboard.settings import load_settings

    if args.users_file:
        return Path(args.users_file).expanduser()
    return users_file_path(load_settings(args.settings), args.db)


def _audit(args: argparse.Namespace, event: str, detail: str) -> None:
    """Who changed the users file, in the audit log beside the database (no password)."""
    import getpass

    from dashboard.access import audit

    try:
        who = getpass.getuser()
    except Exception:  # no user name in this environment
        who = "?"
    audit.record(event, who, detail, path=audit.audit_path(args.db), source="cli")


def _warn_unknown(args: argparse.Namespace, user) -> None:
    """A typo in --project/--region would give an empty scope: say so (the user is added
    anyway - the data may arrive later)."""
    if not user.projects and not user.regions:
        return
    from dashboard.paths import resolve_db_path

    if not resolve_db_path(args.db).exists():
        return
    from dashboard.kpis import unknown_filter_values
    from dashboard.pipeline import connect_readonly

    try:
        con = connect_readonly(args.db)
        try:
            unknown = unknown_filter_values(con, projects=user.projects, regions=user.regions)
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - a check for the operator's convenience only
        return
    for kind, names in (("project", unknown["projects"]), ("region", unknown["regions"])):
        for name in names:
            print(f"kpi users: warning: no {kind} called {name!r} in the data yet", file=sys.stderr)


def _read_password() -> str:
    from dashboard.access.passwords import hash_password

    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise ValueError("the two passwords differ")
    else:
        first = sys.stdin.readline().rstrip("\r\n")
    return hash_password(first)


def run_add(args: argparse.Namespace) -> int:
    from dashboard.access.users import User, UsersError, check_user, editing

    try:
        path = _path(args)
        user = User(
            name=args.name,
            role=args.role,
            projects=tuple(dict.fromkeys(p.strip() for p in args.project if p.strip())),
            regions=tuple(dict.fromkeys(r.strip() for r in args.region if r.strip())),
            email=args.email or None,
            subject=args.subject or None,
        )
        check_user(user, str(path))
        if user.role != "department_head" and (user.projects or user.regions):
            return _fail(f"--project/--region only apply to a department_head ({user.role} "
                         "sees every project)")  # fmt: skip
        password_hash = _read_password() if args.password_stdin else None
        with editing(path) as users:
            if args.name in users and not args.replace:
                raise UsersError(f"user '{args.name}' exists already (use --replace)")
            if args.name in users and password_hash is None:
                password_hash = users[args.name].password_hash  # --replace keeps the password
            users[args.name] = replace(user, password_hash=password_hash)
    except ValueError as exc:  # UsersError, PasswordError, SettingsError: say why, exit 2
        return _fail(str(exc))
    scope = user.scope.describe()
    _audit(args, "user_added", f"{user.name} ({user.role}, {scope})")
    _warn_unknown(args, user)
    note = "" if password_hash else " (no password: sign-in by single sign-on only)"
    print(f"added {user.name} ({user.role}, {scope}) to {path}{note}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from dashboard.access.users import load_users

    try:
        users = load_users(_path(args))
    except ValueError as exc:
        return _fail(str(exc))
    if not users:
        print("(no users yet: add one with `kpi users add NAME --role ...`)")
        return 0
    for user in sorted(users.values(), key=lambda u: u.name):
        login = "password" if user.has_password else "no password"
        email = f", {user.email}" if user.email else ""
        print(f"{user.name}\t{user.role}\t{user.scope.describe()}\t{login}{email}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from dashboard.access.users import UnknownUserError, editing

    try:
        path = _path(args)
        with editing(path) as users:
            if args.name not in users:
                raise UnknownUserError(f"unknown user '{args.name}'")
            del users[args.name]
    except ValueError as exc:
        return _fail(str(exc))
    _audit(args, "user_removed", args.name)
    print(f"removed {args.name} from {path}")
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    from dashboard.access.users import UnknownUserError, editing

    try:
        path = _path(args)
        password_hash = _read_password()
        with editing(path) as users:
            if args.name not in users:
                raise UnknownUserError(f"unknown user '{args.name}'")
            users[args.name] = replace(users[args.name], password_hash=password_hash)
    except ValueError as exc:
        return _fail(str(exc))
    _audit(args, "password_changed", args.name)
    print(f"password of {args.name} changed")
    return 0
