"""The ``kpi`` command line. Each subcommand lives in ``dashboard/commands/<name>.py``
and exposes ``register(subparsers)``; its parser sets ``func(args) -> int``.

Only the subcommand that runs is imported: ``kpi show`` must not pay for the importer's
readers, pandas or pyarrow of the other commands (#13). ``kpi --help`` lists the commands
from ``SUBCOMMANDS`` alone (a test keeps each summary equal to the command's own help)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback

# The registry of subcommands, in the order of ``kpi --help``, with their one-line summary.
SUBCOMMANDS: dict[str, str] = {
    "ingest": "load export files (CSV, XLSX, Parquet) into the database",
    "show": "print a KPI or query (retention, cohorts, complaints, satisfaction, vip_coverage, ...)",
    "list": "list the KPIs and queries `kpi show` can print",
    "check": "validate every query file of queries/ (metadata, SQL, runs, chart columns)",
    "calendar": "print the working calendar of the SLA business clock",
    "demo": "write demo exports (customers, orders, complaints, surveys, VIP contacts)",
    "report": "write the weekly KPI report (.html or .xlsx)",
    "users": "manage the dashboard's users (add, list, remove, passwd)",
    "events": "list, add or delete the events drawn on the time charts",
    "notify": "send the due weekly reports and alerts (DingTalk, Feishu, WeCom, webhook, e-mail)",
    "schedule": "run the notify rules every minute in the foreground (Ctrl-C stops)",
    "bench": "benchmark ingest, KPI queries and memory at several data scales",
    "lake": "write the data as a Parquet lake for the Spark engine (kpi lake export --to DIR)",
}

# Other names users type for a subcommand (an import is what the Data page calls it); each
# command's own parser declares the same aliases (a test holds them equal).
ALIASES: dict[str, str] = {"import": "ingest"}


def _named_command(argv: list[str]) -> str | None:
    """The subcommand ``argv`` runs: its first argument that is not an option."""
    for arg in argv:
        if not arg.startswith("-"):
            arg = ALIASES.get(arg, arg)
            return arg if arg in SUBCOMMANDS else None
    return None


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: the named subcommand's real parser, the others as summaries.
    ``argv=None`` builds every subcommand's parser (for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="kpi",
        description="Service-quality KPIs from your exports: load them, then show the KPIs.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = None if argv is None else _named_command(argv)
    for name, summary in SUBCOMMANDS.items():
        if argv is None or name == wanted:
            importlib.import_module(f"dashboard.commands.{name}").register(sub)
        else:
            sub.add_parser(name, help=summary, aliases=_aliases_of(name))
    return parser


def _aliases_of(name: str) -> list[str]:
    return [alias for alias, command in ALIASES.items() if command == name]


def main(argv: list[str] | None = None) -> int:
    # A real `kpi` process (argv from the command line) runs one command and exits; a caller
    # passing argv (tests, scripts) keeps its process, so nothing process-wide is changed.
    own_process = argv is None
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    args.own_process = own_process
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("kpi: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `kpi show ... | head`
        return 0
    except Exception as exc:  # no traceback ever reaches a user
        if os.environ.get("KPI_DEBUG"):
            traceback.print_exc()
        print(f"kpi {args.command}: error: {friendly(exc)}", file=sys.stderr)
        print("(set KPI_DEBUG=1 to see the technical details)", file=sys.stderr)
        return 1


def friendly(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0] if len(text) > 500 else text


if __name__ == "__main__":
    sys.exit(main())
