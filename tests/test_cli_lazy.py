"""The command line imports only the subcommand it runs (#13), and `kpi --help` still lists
every command with the summary the command itself gives; one query parses only the files it
runs (#14)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import db, pipeline
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


def _run_own_process(*argv: str, env: dict | None = None) -> tuple[str, set[str]]:
    """`kpi ARGV` as its own process (argv from sys.argv, as the console script does): its
    stdout and the modules that were really loaded (a module blocked as absent is not)."""
    code = (
        "import sys\n"
        "from dashboard.cli import main\n"
        f"sys.argv = ['kpi', *{list(argv)!r}]\n"
        "code = main()\n"
        "loaded = sorted(m for m, mod in sys.modules.items() if mod is not None)\n"
        "print('\\n'.join(loaded), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, set(done.stderr.split())


HEAVY = ("pandas", "pyarrow", "numpy", "sqlglot", "holidays", "streamlit", "altair")


def test_show_prints_without_the_heavy_libraries():
    # twice: the first run may have to check the query files (sqlglot) and remember the
    # passes; the second must not import it
    _run_own_process("show", "complaints", "--format", "csv")
    out, loaded = _run_own_process("show", "complaints", "--format", "csv", "--project", "x")
    assert out.splitlines()[0].startswith("period_start,opened,resolved,")
    assert not [m for m in loaded if m.split(".")[0] in HEAVY]
    assert "filelock" not in loaded


def test_show_csv_is_the_same_through_pandas_and_without_it(tmp_path):
    from dashboard.commands.show import write
    from dashboard.db import connect_readonly
    from dashboard.kpis import compute

    fast, _ = _run_own_process("show", "retention", "--grain", "month", "--format", "csv")
    con = connect_readonly(None)
    try:  # the app's path: Arrow -> pandas, then the same printer
        frame = compute(con, "retention", grain="month")
    finally:
        con.close()
    out = io.StringIO()
    write(list(frame.columns), list(frame.itertuples(index=False, name=None)), "csv", out)
    assert fast == out.getvalue()
    assert len(fast.splitlines()) > 3


def test_one_query_parses_only_the_files_it_runs(tmp_path):
    # #14: `kpi show complaints` reads complaints.sql and the views it inlines; a broken
    # file elsewhere in the folder is neither parsed nor in the way (the full scan of
    # `kpi check` still reports it), and a broken file the query needs sends the caller
    # to the full scan, which says why.
    import shutil

    from dashboard import catalog, kpis
    from dashboard.paths import QUERIES_DIR

    folder = tmp_path / "queries"
    shutil.copytree(QUERIES_DIR, folder)
    (folder / "zz_broken.sql").write_text("select 1", encoding="utf-8")  # no front matter
    lazy = catalog.LazyQueries(sorted(folder.glob("*.sql")))
    assert lazy["complaints"].id == "complaints"
    assert set(lazy._parsed) == {"complaints"}  # the views are parsed when read:
    needed = {"complaints", *catalog.staging_order(lazy, lazy["complaints"].uses_staging)}
    assert set(lazy._parsed) == needed and "retention" not in needed
    assert "zz_broken" not in lazy and "no_such_query" not in lazy
    assert "zz_broken" not in set(lazy)  # iterating skips it too

    path = tmp_path / "kpi.duckdb"
    with pipeline.publishing_writer(path):
        pass  # an empty database with the schema
    with db.connect_readonly(path) as con:
        result = kpis.compute_rows(con, "complaints", queries_dir=folder)
        assert result.columns[0] == "period_start" and result.rows == []
        assert "zz_broken" in kpis.broken_queries(folder)
        (folder / "int_complaints_met.sql").write_text("select 1", encoding="utf-8")
        with pytest.raises(catalog.QueryFileError, match="int_complaints_met"):
            kpis.compute_rows(con, "complaints", queries_dir=folder)


def test_import_is_another_name_for_ingest(tmp_path, capsys):
    """`kpi import` (what the Data page calls it) loads files as `kpi ingest` does, and both
    parsers - the summary one and the command's own - know the alias."""
    from dashboard.cli import ALIASES, main

    for full in (build_parser(), build_parser(["import"])):
        sub = next(a for a in full._actions if a.dest == "command")
        assert {alias: sub.choices[alias].prog for alias in ALIASES} == {
            "import": sub.choices["ingest"].prog
        }
    export = tmp_path / "customers.csv"
    export.write_text(
        "customer_id,project,region,is_vip\nc1,A,East,0\nc2,A,East,1\n", encoding="utf-8"
    )
    path = tmp_path / "kpi.duckdb"
    assert main(["import", str(export), "--db", str(path), "--no-progress"]) == 0
    with db.connect_readonly(path) as con:
        assert con.execute("select count(*) from customers").fetchone()[0] == 2
