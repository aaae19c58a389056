"""Where things live. The project runs from its checkout (``pip install -e .``):
``data/`` (embedded default exports) and ``queries/`` (SQL) sit at the project root."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
# $KPI_QUERIES_DIR points the app and the CLI at another queries folder (tests, staging).
QUERIES_DIR = Path(os.environ.get("KPI_QUERIES_DIR") or PROJECT_ROOT / "queries").expanduser()
SETTINGS_FILE = PROJECT_ROOT / "kpi.toml"
# Generated, never committed: rebuilt from data/ when missing.
DEFAULT_DB = PROJECT_ROOT / "var" / "kpi.duckdb"


def default_db_path() -> Path:
    """The database used when no ``--db`` is given: ``$KPI_DB`` or ``var/kpi.duckdb``."""
    env = os.environ.get("KPI_DB")
    return Path(env).expanduser() if env else DEFAULT_DB


def resolve_db_path(db: str | os.PathLike[str] | None) -> Path:
    return Path(db).expanduser() if db else default_db_path()


def settings_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The settings file: ``path`` (``--settings FILE``), else ``$KPI_SETTINGS``, else the
    project's ``kpi.toml`` (shared/spec/kpis.md, "Settings file")."""
    if path:
        return Path(path).expanduser()
    env = os.environ.get("KPI_SETTINGS")
    return Path(env).expanduser() if env else SETTINGS_FILE  # read late: tests repoint it
