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

from functools import lru_cache
from typing import TYPE_CHECKING

from dashboard.catalog import QueryFile, QueryFileError
from dashboard.sqllab import approvals

if TYPE_CHECKING:
    from dashboard.sqllab.statement import Refused

# Query files may be longer than what the SQL lab accepts in its text box.
MAX_FILE_SQL_CHARS = 1_000_000


class RefusedFileMessage(str):
    """The English message of a refused file; ``file``, ``code`` and ``detail`` name the
    rule, for a translated message. A ``str``, so every caller of the catalog's
    ``{id: message}`` keeps working unchanged."""

    file: str
    code: str
    detail: str

    @classmethod
    def of(cls, file: str, refused: Refused) -> RefusedFileMessage:
        text = cls(
            f"{file}: not served - the SQL breaks the rule '{refused.code}' of kpi check: {refused}"
        )
        text.file, text.code, text.detail = file, refused.code, refused.detail
        return text


class UnsafeQueryFile(QueryFileError):
    """A query file the statement check refuses; ``str()`` is a ``RefusedFileMessage``."""

    def __init__(self, message: RefusedFileMessage) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@lru_cache(maxsize=1024)
def _refusal(sql: str) -> Refused | None:
    # Parsing costs ~10 ms a file; the catalog is rescanned whenever a file changes, and
    # the same SQL text always gets the same answer - remembered across processes for a
    # pass (``approvals``), so sqlglot is imported only to check a new or edited file.
    if approvals.passed(sql, MAX_FILE_SQL_CHARS):
        return None
    from dashboard.sqllab.statement import Refused, check_statement  # sqlglot: ~0.1 s

    try:
        check_statement(sql, max_chars=MAX_FILE_SQL_CHARS)
    except Refused as refused:
        return refused
    approvals.remember_pass(sql, MAX_FILE_SQL_CHARS)
    return None


def refuse_unsafe(query: QueryFile) -> None:
    """Raise ``UnsafeQueryFile`` if ``kpi check``'s statement check refuses the file's SQL."""
    refused = _refusal(query.sql)
    if refused is not None:
        raise UnsafeQueryFile(RefusedFileMessage.of(query.path.name, refused))


def localized(message: str, lang: str) -> str:
    """``message`` in ``lang`` when it is a refused file's message, else unchanged."""
    if not isinstance(message, RefusedFileMessage):
        return message
    from dashboard.present.i18n import has, t  # local: the CLI never needs the labels

    key = f"sqllab_refused_{message.code}"
    reason = t(key, lang, detail=message.detail) if has(key) else str(message)
    return t("sqllab_file_refused", lang, file=message.file, rule=message.code, reason=reason)
