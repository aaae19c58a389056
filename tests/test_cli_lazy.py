"""The command line imports only the subcommand it runs (#13), and `kpi --help` still lists
every command with the summary the command itself gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dashboard.cli import SUBCOMMANDS, build_parser

ROOT = Path(__file__).resolve().parent.parent


def test_every_summary_is_the_commands_own_help():
    full = build_parser()  # every subcommand's real parser
    sub = next(a for a in full._actions if a.dest == "command")
    own = {action.dest: action.help for action in sub._choices_actions}
    assert own == SUBCOMMANDS


def _modules_after(*argv: str) -> set[str]:
    code = (
        "import sys\n"
        "from dashboard.cli import main\n"
        f"try:\n    main({list(argv)!r})\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_help_imports_no_subcommand():
    loaded = _modules_after("--help")
    assert not any(m.startswith("dashboard.commands.") for m in loaded)
    assert "pandas" not in loaded and "duckdb" not in loaded


def test_show_imports_only_show():
    loaded = _modules_after("show", "--help")
    commands = {m for m in loaded if m.startswith("dashboard.commands.")}
    assert commands <= {"dashboard.commands.show", "dashboard.commands.text_width"}
    assert "dashboard.ingest" not in loaded  # the importer's readers are not needed
