"""`kpi notify`: send the due weekly reports and alerts of `[notify]` (shared/spec/notify.md)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dashboard.notify.config import NotifyConfig
    from dashboard.settings import Settings

USAGE_EXIT = 2


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="database file (default: $KPI_DB or the embedded one)")
    parser.add_argument("--settings", metavar="FILE",
                        help="settings file (default: $KPI_SETTINGS or kpi.toml)")  # fmt: skip


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "notify",
        help="send the due weekly reports and alerts (DingTalk, Feishu, WeCom, webhook, e-mail)",
        description=(
            "Evaluate every [[notify.rules]] entry due at the moment and deliver each (rule, "
            "period, channel) at most once; failures are retried with back-off now and on the "
            "next run. Exit code 1 while any due delivery has failed."
        ),
    )
    add_common(parser)
    parser.add_argument("--at", metavar='"YYYY-MM-DD HH:MM"',
                        help="evaluate as at this moment in [notify] timezone (default: now)")  # fmt: skip
    parser.add_argument("--dry-run", action="store_true",
                        help="print the messages that would be sent; send and log nothing")  # fmt: skip
    parser.add_argument("--rule", action="append", default=[], metavar="NAME",
                        help="only this rule (repeat for several)")  # fmt: skip
    parser.add_argument("--as-user", metavar="NAME",
                        help="dry runs only: compute as this user would see it")  # fmt: skip
    parser.add_argument("--log", action="store_true", help="print the delivery log and exit")
    parser.add_argument("--resend", metavar="RULE/PERIOD/CHANNEL",
                        help="let the next run send this delivery again (after checking the chat)")  # fmt: skip
    parser.add_argument("--mark-sent", metavar="RULE/PERIOD/CHANNEL",
                        help="record this delivery as delivered (it arrived despite an unknown state)")  # fmt: skip
    parser.add_argument("-v", "--verbose", action="store_true", help="also list rules not due")
    parser.set_defaults(func=run)


def load(args: argparse.Namespace) -> tuple[Settings, NotifyConfig]:
    """Settings and the [notify] configuration; a bad value is a usage error naming the key."""
    from dashboard.notify.run import load_config
    from dashboard.paths import settings_path
    from dashboard.settings import load_settings

    settings = load_settings(args.settings)
    return settings, load_config(settings, source=str(settings_path(args.settings)))


def run(args: argparse.Namespace) -> int:
    from dashboard.settings import SettingsError

    try:
        return _run(args)
    except (SettingsError, ValueError) as exc:
        print(f"kpi notify: error: {exc}", file=sys.stderr)
        return USAGE_EXIT


def _run(args: argparse.Namespace) -> int:
    from dashboard.notify.run import describe, parse_moment, run_notify, summary
    from dashboard.notify.scope import user_scope
    from dashboard.paths import resolve_db_path

    db = resolve_db_path(args.db)
    if args.log:
        return _print_log(args)
    if args.resend or args.mark_sent:
        return _set_status(args, db)
    if args.as_user and not args.dry_run:
        raise ValueError(
            "--as-user is for dry runs (--dry-run): a rule's own scope or as_user decides what it sends"
        )
    settings, config = load(args)
    for name in args.rule:
        config.rule(name)  # an unknown --rule fails before any work
    moment = parse_moment(args.at, config)
    scope = user_scope(args.as_user, settings=settings, db=db) if args.as_user else None
    from dashboard.pipeline import ensure_database

    ensure_database(db)
    result = run_notify(config=config, settings=settings, db=db, moment=moment,
                        dry_run=args.dry_run, rule_names=args.rule, scope_override=scope)  # fmt: skip
    stream = sys.stderr if args.dry_run else sys.stdout  # a dry run's stdout is the messages
    for line in describe(result, verbose=args.verbose):
        print(line, file=stream)
    print(summary(result, config.timezone), file=stream)
    return result.exit_code


def _print_log(args: argparse.Namespace) -> int:
    from dashboard.commands.show import table_text
    from dashboard.notify.log import deliveries_frame
    from dashboard.pipeline import connect_readonly

    con = connect_readonly(args.db)
    try:
        frame = deliveries_frame(con)
    finally:
        con.close()
    if frame.empty:
        print("(no deliveries logged yet)")
        return 0
    shown = frame.drop(columns=["title"])
    print(table_text(list(shown.columns), list(shown.itertuples(index=False, name=None))))
    return 0


def _set_status(args: argparse.Namespace, db: Path) -> int:
    from dataclasses import replace

    from dashboard.notify import log
    from dashboard.pipeline import connect_readonly

    key = args.resend or args.mark_sent
    log.parse_key(key)
    with log.run_lock(db):
        con = connect_readonly(db)
        try:
            found = log.read_deliveries(con).get(key)
        finally:
            con.close()
        if found is None:
            raise ValueError(f"no delivery {key!r} in the log (see `kpi notify --log`)")
        stamp = datetime.now().replace(microsecond=0)
        if args.resend:
            changed = replace(
                found, status=log.FAILED, answer=f"released for a resend by an operator at {stamp}"
            )
        else:
            changed = replace(found, status=log.SENT, sent_at=found.sent_at or stamp,
                              answer=f"marked as delivered by an operator at {stamp}")  # fmt: skip
        log.save(db, changed)
    print(
        f"{key}: {changed.status}"
        + (" (the next `kpi notify` sends it again)" if args.resend else "")
    )
    return 0
