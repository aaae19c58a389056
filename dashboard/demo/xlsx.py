"""A minimal streaming XLSX writer with byte-for-byte reproducible output.

Why not openpyxl: it stamps the current time into docProps and into every zip entry, so
two runs never give the same bytes, and it is slow at 300k rows. This writes the few
parts a workbook needs (inline strings, numbers, real date cells), one row at a time.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

Cell = str | int | float | dt.datetime | None

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_ONE_DAY = dt.timedelta(days=1)
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_DATETIME_STYLE = 1  # index into cellXfs below: "yyyy-mm-dd hh:mm"

_STYLES = (
    f'{_XML_HEAD}<styleSheet xmlns="{_MAIN_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell_xml(ref: str, value: Cell) -> str:
    kind = type(value)  # exact types first: this runs for every cell
    if kind is str:
        if not value:
            return ""
        return (
            f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
        )
    if kind is int or kind is float:
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        serial = (value - _EXCEL_EPOCH) / _ONE_DAY
        return f'<c r="{ref}" s="{_DATETIME_STYLE}"><v>{serial!r}</v></c>'
    return _cell_xml(ref, str(value))


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_xlsx(path: Path, sheets: Iterable[tuple[str, Iterable[Sequence[Cell]]]]) -> None:
    """Write sheets of rows (str, int, float, datetime or None per cell)."""
    sheets = list(sheets)  # names first (metadata parts); rows stay lazy
    names = [name for name, _ in sheets]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, text in _package_parts(names).items():
            archive.writestr(_entry(name), text)
        for number, (_, rows) in enumerate(sheets, start=1):
            with archive.open(_entry(f"xl/worksheets/sheet{number}.xml"), "w") as raw:
                _write_sheet(raw, rows)


def _write_sheet(raw, rows: Iterable[Sequence[Cell]]) -> None:
    raw.write(f'{_XML_HEAD}<worksheet xmlns="{_MAIN_NS}"><sheetData>'.encode())
    buffer: list[str] = []
    letters = [_column_letter(col) for col in range(64)]
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            [_cell_xml(f"{letters[col]}{number}", value) for col, value in enumerate(row)]
        )
        buffer.append(f'<row r="{number}">{cells}</row>')
        if len(buffer) >= 5000:
            raw.write("".join(buffer).encode())
            buffer.clear()
    raw.write("".join(buffer).encode())
    raw.write(b"</sheetData></worksheet>")


def _package_parts(names: list[str]) -> dict[str, str]:
    sheet_overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    return {
        "[Content_Types].xml": (
            f"{_XML_HEAD}<Types xmlns="
            '"http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{sheet_overrides}</Types>"
        ),
        "_rels/.rels": (
            f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{_XML_HEAD}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>'
            + "".join(
                f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                for i, name in enumerate(names, start=1)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(names) + 1)
            )
            + f'<Relationship Id="rIdStyles" Type="{_REL_NS}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": _STYLES,
    }
