"""`kpi schedule`: run `kpi notify` every minute in the foreground (for servers without cron
or a systemd timer; docs/OPERATIONS.md shows both alternatives)."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime


def register(subparsers: argparse._SubParsersAction) -> None:
    from dashboard.commands.notify import add_common

    parser = subparsers.add_parser(
        "schedule",
        help="run the notify rules every minute in the foreground (Ctrl-C stops)",
        description=(
            "Calls the same logic as `kpi notify` at the start of every minute, re-reading the "
            "settings each time, until stopped. Problems are printed and the loop goes on."
        ),
    )
    add_common(parser)
    parser.add_argument("--interval", type=float, default=60.0, help=argparse.SUPPRESS)
    parser.add_argument(
        "--runs", type=int, default=0, help=argparse.SUPPRESS
    )  # tests: stop after N
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dashboard.commands.notify import load
    from dashboard.notify.run import describe, parse_moment, run_notify
    from dashboard.paths import resolve_db_path
    from dashboard.settings import SettingsError

    db = resolve_db_path(args.db)
    try:
        load(args)  # a broken settings file is an error at start, not a silent loop
    except (SettingsError, ValueError) as exc:
        print(f"kpi schedule: error: {exc}", file=sys.stderr)
        return 2
    print(
        f"kpi schedule: checking the notify rules every {args.interval:g} s (Ctrl-C stops)",
        flush=True,
    )
    done = 0
    while True:
        try:
            settings, config = load(args)  # edits to the settings apply from the next minute
            result = run_notify(
                config=config, settings=settings, db=db, moment=parse_moment(None, config)
            )
            stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
            for line in describe(result):
                if "not due" not in line:
                    print(f"{stamp} {line}", flush=True)
        except Exception as exc:  # keep scheduling; the next minute may succeed
            print(f"kpi schedule: error: {exc}", file=sys.stderr, flush=True)
        done += 1
        if args.runs and done >= args.runs:
            return 0
        # Sleep to the start of the next interval (whole minutes with the default).
        time.sleep(
            args.interval - (time.time() % args.interval) if args.interval >= 1 else args.interval
        )
