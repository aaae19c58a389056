"""Query files that ``kpi check``'s statement check refuses are not served (#19).

``catalog.parse_query_file`` calls ``refuse_unsafe`` on every file it loads, so a file whose
SQL is not exactly one read statement, reads files (``read_text('/etc/hostname')``), runs SQL
text or shows server settings never reaches a connection - not on the Analyst page, not in
``kpi show``, not in a report, not in the import-time KPI copies. The file is listed as
broken instead (one broken file never hides the others), with a message naming the file
and the rule; ``kpi check`` prints it as FAIL. The locked-down readers
(``dashboard.db.lock_down``) would refuse the file access anyway: this is the first barrier
and the one with a clear message.

The message is English text (the CLI's language) that also carries the rule's code, so
the app can show it in the user's language (``localized``).
"""

from __future__ import annotations

# The check itself lives with the catalogue that applies it (dashboard/catalog.py), so the
# catalogue does not import the SQL lab; these names stay importable from here.
from dashboard.catalog import (
    MAX_FILE_SQL_CHARS,
    RefusedFileMessage,
    UnsafeQueryFile,
    refuse_unsafe,
)

__all__ = [
    "MAX_FILE_SQL_CHARS",
    "RefusedFileMessage",
    "UnsafeQueryFile",
    "localized",
    "refuse_unsafe",
]


def localized(message: str, lang: str) -> str:
    """``message`` in ``lang`` when it is a refused file's message, else unchanged."""
    if not isinstance(message, RefusedFileMessage):
        return message
    from dashboard.present.i18n import has, t  # local: the CLI never needs the labels

    key = f"sqllab_refused_{message.code}"
    reason = t(key, lang, detail=message.detail) if has(key) else str(message)
    return t("sqllab_file_refused", lang, file=message.file, rule=message.code, reason=reason)
