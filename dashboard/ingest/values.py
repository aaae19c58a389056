"""Value parsing, as DuckDB SQL expressions over trimmed text cells (NULL = empty).

Each builder takes the column name and the SQL expression of its text cell and returns
(value expression, list of (failure condition, reason expression)). The conditions refer
to the parsed value by the column's name (evaluated in a later CTE, so nothing is parsed
twice) and to the cell. Parsing runs vectorised inside DuckDB: no
per-row Python. User-extensible word lists (booleans, methods) are bound parameters.
Identifiers put into the SQL are contract column names from ``dashboard.schema`` only.
"""

from __future__ import annotations

# Characters trimmed from every cell: spaces, tabs, newlines, ideographic and no-break
# spaces, a stray BOM.
TRIM_CHARS = " \t\r\n\u3000\u00a0\ufeff"

DATE_EXAMPLE = "expected e.g. 2026-03-05 or 2026/3/5 9:05"
# After ``normalized_datetime_text`` every accepted form is one of these; '-%f' is a
# fraction of a second whose '.' became '-'.
DATE_FORMATS = "['%Y-%m-%d %H:%M', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d', '%Y-%m-%d %H:%M:%S-%f']"


def _q(text: str) -> str:
    """A SQL string literal of a constant written in this module (never user data)."""
    return "'" + text.replace("'", "''") + "'"


def normalized_datetime_text(cell: str) -> str:
    """2026/3/5, 2026.3.5, 2026年3月5日 14:30, 2026-03-05T14:30 -> 2026-3-5 14:30 form
    (one vectorised ``translate``: / . 年 月 -> '-', 日 T -> ' ', full-width colon -> ':')."""
    return f"translate({cell}, '/.年月日T：', '----  :')"


# The forms most exports use, tried on the cell as it is before normalising it: a cell that
# matches one holds only digits, '-', ':', ' ' or 'T', so normalising would have given the
# same timestamp (tested). DuckDB's own cast reads them ~5x faster than strptime with a list
# of formats, but it also takes hour 24 ('24:00:00' is the next midnight) and a few other
# spellings strptime refuses, so it only sees cells of exactly this shape (hours 00-23);
# a property test checks the whole chain against normalise-then-strptime. 2M cells:
# ~1.0 s (strptime on the cell) -> ~0.2 s.
FAST_DATE_SHAPE = r"\d{4}-\d\d-\d\d[ T]([01]\d|2[0-3]):\d\d:\d\d"


def timestamp_expr(cell: str) -> str:
    """TIMESTAMP or NULL when the text is not a date/time of the contract's forms. The
    four-digit-year guard stops strptime reading '26-3-5' as the year 26."""
    norm = normalized_datetime_text(cell)
    fast = (
        f"case when regexp_full_match({cell}, {_q(FAST_DATE_SHAPE)}) "
        f"then try_cast({cell} as timestamp) end"
    )
    full = f"case when strpos({norm}, '-') = 5 then try_strptime({norm}, {DATE_FORMATS}) end"
    return f"coalesce({fast}, {full})"


def datetime_column(name: str, cell: str, sql_type: str) -> tuple[str, list[tuple[str, str]]]:
    value = timestamp_expr(cell)
    if sql_type == "DATE":
        value = f"cast({value} as date)"
    reason = f"format({_q(name + ' {} is not a date (' + DATE_EXAMPLE + ')')}, {_quoted(cell)})"
    return value, [(f"{cell} is not null and {name} is null", reason)]


def _quoted(cell: str) -> str:
    return f"'''' || {cell} || ''''"


def boolean_column(name: str, cell: str) -> tuple[str, list[tuple[str, str]]]:
    """true/false words from the alias table ($true_words/$false_words); empty is false."""
    value = (
        f"case when {cell} is null then false "
        f"when list_contains($true_words, lower({cell})) then true "
        f"when list_contains($false_words, lower({cell})) then false end"
    )
    reason = (
        f"format({_q(name + ' {} is not a yes/no value (expected e.g. true/false, 1/0, yes/no, 是/否, VIP/普通)')}, "
        f"{_quoted(cell)})"
    )
    return value, [(f"{name} is null", reason)]


def amount_column(name: str, cell: str) -> tuple[str, list[tuple[str, str]]]:
    """A number; thousands separators, a leading currency sign (¥ ￥ $) and a trailing 元
    are allowed. Separators must be real thousands groups: '1,2,3' is not a number."""
    compact = f"replace({cell}, ' ', '')"
    pattern = r"[-+]?[¥￥$]?[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?元?"
    # translate() with no replacement characters deletes them: one pass, not six replace()
    stripped = f"translate({cell}, ' ¥￥$,元', '')"
    as_double = f"try_cast({cell} as double)"
    value = (
        f"case when {cell} is null then null "
        f"when isfinite({as_double}) and not contains({cell}, '_') then {as_double} "  # fast
        f"when regexp_full_match({compact}, {_q(pattern)}) then try_cast({stripped} as double) end"
    )
    reason = (
        f"format({_q(name + ' {} is not a number (expected e.g. 1234.50 or ¥1,234.50)')}, "
        f"{_quoted(cell)})"
    )
    return value, [(f"{cell} is not null and {name} is null", reason)]


def integer_column(name: str, cell: str, low: int, high: int) -> tuple[str, list[tuple[str, str]]]:
    """A whole number within [low, high] ('4.0' from a spreadsheet counts as 4)."""
    number = f"try_cast({cell} as double)"
    whole = f"({number} is not null and {number} = trunc({number}) and abs({number}) < 1e9)"
    value = f"case when {whole} and {number} between {low} and {high} then cast({number} as integer) end"
    not_whole = (
        f"format({_q(name + ' {} is not a whole number (expected ' + f'{low}-{high})')}, "
        f"{_quoted(cell)})"
    )
    outside = f"format({_q(name + ' {} is outside ' + f'{low}-{high}')}, {cell})"
    return value, [
        (f"{cell} is not null and not {whole}", not_whole),
        (f"{cell} is not null and {whole} and {name} is null", outside),
    ]


def method_expr(cell: str) -> str:
    """phone / visit / other from the alias table ($phone_words/$visit_words)."""
    return (
        f"case when {cell} is null then null "
        f"when list_contains($phone_words, lower({cell})) then 'phone' "
        f"when list_contains($visit_words, lower({cell})) then 'visit' else 'other' end"
    )
