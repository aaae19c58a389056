"""Nothing a user can add or set goes undocumented (#13): every query file is named in the
analysts' or the KPI docs, and every setting of kpi.toml in the operators' docs or the
commented kpi.toml itself. A new query or setting fails here until it is written down."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard import settings
from dashboard.catalog import load_queries
from dashboard.paths import QUERIES_DIR
from dashboard.sla_clock.config import CALENDAR_KEYS

ROOT = Path(__file__).resolve().parent.parent


def _text(*names: str) -> str:
    return "\n".join((ROOT / name).read_text(encoding="utf-8") for name in names)


def test_every_query_file_is_documented():
    docs = _text("docs/ANALYSTS.md", "docs/KPIS.md", "queries/README.md")
    queries = load_queries(QUERIES_DIR)
    assert len(queries) > 20  # the shipped files, not an empty folder
    missing = sorted(q for q in queries if f"`{q}`" not in docs)
    assert missing == [], f"document these query files in docs/ANALYSTS.md: {missing}"


def test_every_setting_is_documented():
    docs = _text("docs/OPERATIONS.md", "README.md", "kpi.toml")
    keys = (*settings._TOP_KEYS, *settings._SQLLAB_KEYS, *CALENDAR_KEYS)
    assert "sqllab" in keys and "timeout_seconds" in keys
    missing = sorted(k for k in keys if not re.search(rf"\b{re.escape(k)}\b", docs))
    assert missing == [], f"document these settings in docs/OPERATIONS.md or kpi.toml: {missing}"
