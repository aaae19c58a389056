"""A result column's label in the user's language: the query file's own ``[labels]`` /
``[labels_zh]`` (written by whoever wrote the SQL, see queries/README.md), else the
dashboard's word for a KPI column (``present.i18n``, the names tiles and charts use), else
the column id itself (``kpi check`` fails on a page's query with an unlabelled column)."""

from __future__ import annotations

from collections.abc import Iterable

from dashboard.catalog import QueryFile
from dashboard.present.i18n import has, t


def column_label(query: QueryFile | None, column: str, lang: str) -> str:
    own = query.column_label(column, lang) if query is not None else None
    if own:
        return own
    return t(column, lang) if has(column) else column


def column_labels(query: QueryFile | None, columns: Iterable[str], lang: str) -> dict[str, str]:
    return {c: column_label(query, c, lang) for c in columns}


def has_label(query: QueryFile, column: str, lang: str) -> bool:
    """Whether ``column`` has a label in ``lang`` other than its id."""
    return bool(query.column_label(column, lang)) or (query.kind != "query" and has(column))
