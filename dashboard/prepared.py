"""A query ready to run: its file, rendered SQL and checked parameter values.

Made by ``dashboard.kpis.prepare``; read by the engines (``dashboard.engines``) and the
stored KPI rows (``dashboard.kpi_cache``). A module of its own so that those sit below the
KPI API without importing it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard.catalog import QueryFile


@dataclass(frozen=True)
class PreparedQuery:
    """A query with its SQL and checked parameter values, ready to run on any connection."""

    query: QueryFile
    sql: str
    values: dict[str, Any]  # every known parameter (the filters as given, normalised)
    bound: dict[str, Any]  # the ones the SQL uses: what is bound
