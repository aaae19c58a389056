"""The ``kpi`` command line. Each subcommand lives in ``dashboard/commands/<name>.py``
and exposes ``register(subparsers)``; its parser sets ``func(args) -> int``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback

# Order shown in ``kpi --help``.
SUBCOMMANDS = ("ingest", "show", "list", "check", "demo", "report", "users", "bench")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kpi",
        description="Service-quality KPIs from your exports: load them, then show the KPIs.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        module_name = f"dashboard.commands.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # subcommand not built yet
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
