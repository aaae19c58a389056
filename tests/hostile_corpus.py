"""A corpus of hostile export files, generated into a folder at test time (no committed
binaries). Used by tests/test_hostile_inputs.py.

Every ``Case`` says what the loader must do with its file: ``Loaded`` (exact counts, worked
out by hand in the comment next to the builder) or ``Rejected`` (a whole-file rejection
whose message contains the given words). "Data rows" follows the loader's definition
(dashboard/ingest/__init__.py): the records below the header row, as the CSV rules split
them (a quoted field may span lines), with completely empty records (no cell holding
anything but spaces) skipped and not counted. Where a file is odd, the comment says what
its data rows are.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ORDERS = "order_id,customer_id,project,region,ordered_at,amount"
SURVEYS = "response_id,customer_id,project,region,submitted_at,csat,nps"
CUSTOMERS = "customer_id,customer_name,project,region,is_vip"


@dataclass(frozen=True)
class Loaded:
    kind: str
    rows: int  # data rows (see module docstring)
    loaded: int
    rejected: int
    duplicates: int = 0
    sheets: int = 1  # import_log rows with status 'loaded'


@dataclass(frozen=True)
class Rejected:
    words: tuple[str, ...]  # each must appear in the message (case-insensitive)


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], Path]  # writes the file into a folder, returns its path
    expect: Loaded | Rejected
    risky: bool = False  # run in a subprocess with a timeout and a memory cap
    check: Callable | None = field(default=None)  # extra assertions on a read-only con


def _write(folder: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def _orders(*rows: str) -> str:
    return "\n".join([ORDERS, *rows]) + "\n"


GOOD = ("O1,C1,P,R,2026-03-05,10", "O2,C2,P,R,2026-03-06,20", "O3,C3,P,R,2026-03-07,30")


# --------------------------------------------------------------------------- CSV shape


def truncated_mid_row(folder: Path) -> Path:
    # 4 data rows; the cut row "O4,C4,P" has no region (-> unassigned) and no
    # ordered_at -> rejected. loaded 3, rejected 1.
    return _write(folder, "orders_truncated_row.csv", _orders(*GOOD).rstrip("\n") + "\nO4,C4,P")


def truncated_mid_quoted_field(folder: Path) -> Path:
    # The file ends inside a quoted field: the open quote runs to the end of the file,
    # so the last record is O4,C4,"Proj (region and date missing) -> rejected.
    # 4 data rows: loaded 3, rejected 1.
    return _write(folder, "orders_truncated_quote.csv", _orders(*GOOD) + 'O4,C4,"Proj')


def quote_never_closes(folder: Path) -> Path:
    # The quote opened in O2's project never closes: by the CSV rules everything after it
    # (the O3..O5 lines) is part of that one field, so the file has 2 data rows: O1
    # (loaded) and O2 (rejected: no region/date; its raw row keeps the swallowed lines,
    # so nothing is lost). loaded 1, rejected 1.
    body = _orders(
        "O1,C1,P,R,2026-03-05,10",
        'O2,C2,"P unclosed,R,2026-03-06,20',
        "O3,C3,P,R,2026-03-07,30",
        "O4,C4,P,R,2026-03-08,40",
        "O5,C5,P,R,2026-03-09,50",
    )
    return _write(folder, "orders_open_quote.csv", body)


def semicolon_delimited(folder: Path) -> Path:
    # A correct semicolon file (a European Excel export). 3 data rows, all loaded;
    # the amounts use a decimal comma-free form so they parse.
    text = "\n".join(line.replace(",", ";") for line in _orders(*GOOD).splitlines()) + "\n"
    return _write(folder, "orders_semicolon.csv", text)


def pipe_delimited(folder: Path) -> Path:
    # '|' is not a supported delimiter: no header row can be found -> whole file rejected,
    # the message names the missing columns.
    text = "\n".join(line.replace(",", "|") for line in _orders(*GOOD).splitlines()) + "\n"
    return _write(folder, "orders_pipe.csv", text)


def mixed_delimiters(folder: Path) -> Path:
    # Header and O1/O3 use commas; O2 and O4 use semicolons, so each is one single cell
    # (order_id 'O2;C2;P;R;2026-03-06;20', customer_id and ordered_at empty) -> rejected.
    # 4 data rows: loaded 2, rejected 2.
    body = _orders(
        "O1,C1,P,R,2026-03-05,10",
        "O2;C2;P;R;2026-03-06;20",
        "O3,C3,P,R,2026-03-07,30",
        "O4;C4;P;R;2026-03-08;40",
    )
    return _write(folder, "orders_mixed_delims.csv", body)


def crlf_lf_cr_mix(folder: Path) -> Path:
    # Line ends \r\n, \n and a lone \r (old Mac) in one file: each is a record end.
    # 4 data rows, all loaded.
    text = (
        ORDERS
        + "\r\n"
        + "O1,C1,P,R,2026-03-05,10\n"
        + "O2,C2,P,R,2026-03-06,20\r"
        + "O3,C3,P,R,2026-03-07,30\r\n"
        + "O4,C4,P,R,2026-03-08,40"
    )
    return _write(folder, "orders_line_ends.csv", text)


def header_only(folder: Path) -> Path:
    # 0 data rows: a valid (empty) export, loaded with 0 rows.
    return _write(folder, "orders_header_only.csv", ORDERS + "\n")


def empty_file(folder: Path) -> Path:
    return _write(folder, "orders_empty.csv", b"")


def whitespace_only(folder: Path) -> Path:
    return _write(folder, "orders_blank.csv", "\n\r\n   \n\t\n")


def title_only(folder: Path) -> Path:
    # Only the title line a Chinese export puts above the header: no header row.
    return _write(folder, "订单_title_only.csv", "2026年第三季度订单台账\n")


def duplicate_header_names(folder: Path) -> Path:
    # amount and note appear twice: the first 'amount' is the contract column, the
    # second and the notes are kept in _extra as 'amount (2)', 'note', 'note (2)'.
    # 2 data rows, both loaded.
    text = (
        ORDERS
        + ",amount,note,note\n"
        + "O1,C1,P,R,2026-03-05,10,11,a,b\n"
        + "O2,C2,P,R,2026-03-06,20,21,c,d\n"
    )
    return _write(folder, "orders_dup_headers.csv", text)


def _check_duplicate_headers(con) -> None:
    extra = con.execute("select _extra::varchar from orders where order_id = 'O1'").fetchone()[0]
    assert '"amount (2)":"11"' in extra and '"note":"a"' in extra and '"note (2)":"b"' in extra
    assert con.execute("select amount from orders where order_id = 'O1'").fetchone() == (10.0,)


def empty_header_names(folder: Path) -> Path:
    # Two header cells are empty: those columns are kept as column_2 and column_6.
    # 2 data rows, both loaded.
    text = (
        "order_id,,customer_id,project,region,,ordered_at\n"
        + "O1,x,C1,P,R,y,2026-03-05\n"
        + "O2,,C2,P,R,,2026-03-06\n"
    )
    return _write(folder, "orders_empty_headers.csv", text)


def _check_empty_header_names(con) -> None:
    extra = con.execute("select _extra::varchar from orders where order_id = 'O1'").fetchone()[0]
    assert '"column_2":"x"' in extra and '"column_6":"y"' in extra


def only_delimiter_lines(folder: Path) -> Path:
    # Lines of nothing but commas are completely empty records: skipped, not counted.
    # 2 data rows (O1, O2), both loaded.
    return _write(
        folder,
        "orders_commas.csv",
        _orders(",,,,,", "O1,C1,P,R,2026-03-05,1", ",,,", "O2,C2,P,R,2026-03-06,2"),
    )


def header_below_search_window(folder: Path) -> Path:
    # 12 title lines push the header out of the first 10 rows -> rejected whole.
    titles = "\n".join(f"title line {i}" for i in range(12))
    return _write(folder, "orders_deep_header.csv", titles + "\n" + _orders(*GOOD))


def sql_in_header_names(folder: Path) -> Path:
    # Header names are data: quotes, SQL and $parameters must end up verbatim in _extra.
    # 1 data row, loaded.
    text = (
        ORDERS
        + ',"x\'); drop table orders; --",$key0,"a""b"\n'
        + "O1,C1,P,R,2026-03-05,1,v1,v2,v3\n"
    )
    return _write(folder, "orders_sql_headers.csv", text)


def _check_sql_in_header_names(con) -> None:
    import json

    extra = json.loads(con.execute("select _extra::varchar from orders").fetchone()[0])
    assert extra == {"x'); drop table orders; --": "v1", "$key0": "v2", 'a"b': "v3"}


def formula_text_in_csv(folder: Path) -> Path:
    # Formula-looking text in a CSV is just text: stored as given, never evaluated.
    # 2 data rows, both loaded.
    return _write(
        folder,
        "orders_formula_text.csv",
        _orders(
            'O1,"=HYPERLINK(""http://x"",""y"")",P,R,2026-03-05,1',
            "O2,=1+1,@SUM(A1),-2+3,2026-03-06,2",
        ),
    )


def _check_formula_text_in_csv(con) -> None:
    got = con.execute("select customer_id, project, region from orders order by 1").fetchall()
    assert got == [("=1+1", "@SUM(A1)", "-2+3"), ('=HYPERLINK("http://x","y")', "P", "R")]


# --------------------------------------------------------------------------- encodings


def mixed_encodings(folder: Path) -> Path:
    # Two exports pasted together: the header and O1/O2 in UTF-8, O3/O4 in GBK.
    # Each line must decode in its own encoding (no mojibake). 4 data rows, all loaded.
    utf8 = (
        ORDERS + "\nO1,C1,华东项目,上海,2026-03-05,1\nO2,C2,华南项目,广州,2026-03-06,2\n"
    ).encode()
    gbk = "O3,C3,华北项目,北京,2026-03-07,3\nO4,C4,西南项目,成都,2026-03-08,4\n".encode("gbk")
    return _write(folder, "orders_mixed_encodings.csv", utf8 + gbk)


def _check_mixed_encodings(con) -> None:
    got = con.execute("select order_id, project, region from orders order by 1").fetchall()
    assert got == [
        ("O1", "华东项目", "上海"),
        ("O2", "华南项目", "广州"),
        ("O3", "华北项目", "北京"),
        ("O4", "西南项目", "成都"),
    ]


def gbk_file(folder: Path) -> Path:
    # A plain GBK export with a title line (the common case must stay right).
    # 2 data rows, loaded.
    text = "2026年3月订单\n订单号,客户编号,项目,区域,下单时间,金额\nO1,C1,华东,上海,2026/3/5,￥1,000\nO2,C2,华南,广州,2026年3月6日,2\n"
    text = text.replace("￥1,000", '"￥1,000"')
    return _write(folder, "订单_gbk.csv", text, encoding="gbk")


def _check_gbk_file(con) -> None:
    got = con.execute("select order_id, project, region, amount from orders order by 1").fetchall()
    assert got == [("O1", "华东", "上海", 1000.0), ("O2", "华南", "广州", 2.0)]


def bom_in_the_middle(folder: Path) -> Path:
    # Two UTF-8-with-BOM exports concatenated: the second BOM sits before a repeated
    # header line, which is a data row here (ordered_at 'ordered_at' is not a date ->
    # rejected); O2 carries a stray BOM in front of its id (trimmed).
    # 4 data rows: O1, O2, repeated header (rejected), O3 -> loaded 3, rejected 1.
    bom = "\ufeff"
    text = bom + _orders("O1,C1,P,R,2026-03-05,1", bom + "O2,C2,P,R,2026-03-06,2")
    text += bom + _orders("O3,C3,P,R,2026-03-07,3")
    return _write(folder, "orders_bom_middle.csv", text)


def _check_bom_in_the_middle(con) -> None:
    assert con.execute("select order_id from orders order by 1").fetchall() == [
        ("O1",),
        ("O2",),
        ("O3",),
    ]


def nul_padded(folder: Path) -> Path:
    # Fixed-width fields padded with NUL bytes (a mainframe-style dump): binary data, not
    # a text export -> rejected whole.
    cells = [
        c.encode().ljust(16, b"\x00")
        for c in ORDERS.split(",") + ["O1", "C1", "P", "R", "2026-03-05", "1"]
    ]
    return _write(folder, "orders_nul_padded.csv", b"".join(cells) + b"\n")


def nul_byte_in_field(folder: Path) -> Path:
    # One stray NUL inside O2's project: the text is fine otherwise. The NUL is dropped
    # (it means nothing in text and would break Excel downloads): 3 data rows, all
    # loaded, O2's project is 'PQ'.
    return _write(
        folder,
        "orders_nul_field.csv",
        _orders("O1,C1,P,R,2026-03-05,1", "O2,C2,P\x00Q,R,2026-03-06,2", "O3,C3,P,R,2026-03-07,3"),
    )


def _check_nul_byte_in_field(con) -> None:
    assert con.execute("select project from orders where order_id = 'O2'").fetchone() == ("PQ",)


def utf16_with_bom(folder: Path) -> Path:
    # Excel's "Unicode text": UTF-16 LE with BOM, tab separated. 2 data rows, loaded.
    text = "\ufeff" + _orders("O1,C1,项目,R,2026-03-05,1", "O2,C2,P,R,2026-03-06,2").replace(
        ",", "\t"
    )
    return _write(folder, "orders_utf16.txt", text.encode("utf-16-le"))


def latin1_file(folder: Path) -> Path:
    # Neither UTF-8 nor GB18030: decoded by detection; 2 data rows, loaded.
    text = _orders("O1,C1,Café,Région,2026-03-05,1", "O2,C2,Crème,Zürich,2026-03-06,2")
    return _write(folder, "orders_latin1.csv", text, encoding="latin-1")


def emoji_and_rare_cjk(folder: Path) -> Path:
    # Astral-plane characters (emoji, ZWJ sequences, CJK Extension B) in names must
    # survive byte for byte. 3 data rows, all loaded.
    text = CUSTOMERS + "\nC1,😀张三,🏢项目,R,是\nC2,𠀀𪚥,P,𪚥区,否\nC3,👩‍👩‍👧‍👦 family,P,R,1\n"
    return _write(folder, "customers_emoji.csv", text)


def _check_emoji_and_rare_cjk(con) -> None:
    got = con.execute(
        "select customer_id, customer_name, project, region, is_vip from customers order by 1"
    ).fetchall()
    assert got == [
        ("C1", "😀张三", "🏢项目", "R", True),
        ("C2", "𠀀𪚥", "P", "𪚥区", False),
        ("C3", "👩‍👩‍👧‍👦 family", "P", "R", True),
    ]


# --------------------------------------------------------------------------- values


def extreme_dates(folder: Path) -> Path:
    # 7 data rows. Valid dates at the ends of the calendar load: 1900-01-01, 9999-12-31
    # 23:59:59, 0001-01-01, 2024-02-29 (leap day). Rejected: 2026-02-30 (no such day),
    # 2026-13-01 (no month 13), 10000-01-01 (five-digit year). loaded 4, rejected 3.
    return _write(
        folder,
        "orders_extreme_dates.csv",
        _orders(
            "O1,C,P,R,1900-01-01,1",
            "O2,C,P,R,9999-12-31 23:59:59,1",
            "O3,C,P,R,0001-01-01,1",
            "O4,C,P,R,2024-02-29,1",
            "O5,C,P,R,2026-02-30,1",
            "O6,C,P,R,2026-13-01,1",
            "O7,C,P,R,10000-01-01,1",
        ),
    )


def _check_extreme_dates(con) -> None:
    got = con.execute("select order_id, ordered_at::varchar from orders order by 1").fetchall()
    assert got == [
        ("O1", "1900-01-01 00:00:00"),
        ("O2", "9999-12-31 23:59:59"),
        ("O3", "0001-01-01 00:00:00"),
        ("O4", "2024-02-29 00:00:00"),
    ]
    reasons = dict(con.execute("select line_number, reason from rejected_rows").fetchall())
    assert set(reasons) == {6, 7, 8}  # header is line 1, O5 is line 6
    assert all("ordered_at" in r and "is not a date" in r for r in reasons.values())


def serial_and_text_dates_csv(folder: Path) -> Path:
    # In a CSV a bare number is not a date (only a typed Excel cell is): '46086' is
    # rejected with a reason naming the value; text dates in the same column load.
    # 3 data rows: loaded 2, rejected 1.
    return _write(
        folder,
        "orders_serial_text.csv",
        _orders("O1,C,P,R,2026/3/5,1", "O2,C,P,R,46086,1", "O3,C,P,R,2026年3月7日 9:05,1"),
    )


def odd_amounts(folder: Path) -> Path:
    # 10 data rows. Loaded (6): -0, 1e308, ¥1,234.50, " 7 ", 1.5e3, empty (amount is
    # optional). Rejected (4): 1e309 (overflows to infinity), NaN, inf, 1,2,3.
    return _write(
        folder,
        "orders_amounts.csv",
        _orders(
            "A1,C,P,R,2026-03-05,-0",
            "A2,C,P,R,2026-03-05,1e308",
            'A3,C,P,R,2026-03-05,"¥1,234.50"',
            "A4,C,P,R,2026-03-05, 7 ",
            "A5,C,P,R,2026-03-05,1.5e3",
            "A6,C,P,R,2026-03-05,",
            "A7,C,P,R,2026-03-05,1e309",
            "A8,C,P,R,2026-03-05,NaN",
            "A9,C,P,R,2026-03-05,inf",
            'A10,C,P,R,2026-03-05,"1,2,3"',
        ),
    )


def _check_odd_amounts(con) -> None:
    got = dict(con.execute("select order_id, amount from orders").fetchall())
    assert got == {"A1": 0.0, "A2": 1e308, "A3": 1234.5, "A4": 7.0, "A5": 1500.0, "A6": None}
    rejected = con.execute("select count(*) from rejected_rows where reason like 'amount%'")
    assert rejected.fetchone() == (4,)


def odd_csat(folder: Path) -> Path:
    # 9 data rows. Loaded (3): '4.0' -> 4, ' 5 ' -> 5, '1e0' -> 1. Rejected (6): '五' (not a
    # number), '4.5' (not whole), '0' and '6' (outside 1-5), 'NaN', '' (csat required).
    return _write(
        folder,
        "survey_csat.csv",
        "\n".join(
            [
                SURVEYS,
                "S1,C,P,R,2026-03-05,4.0,",
                'S2,C,P,R,2026-03-05," 5 ",',
                "S3,C,P,R,2026-03-05,1e0,",
                "S4,C,P,R,2026-03-05,五,",
                "S5,C,P,R,2026-03-05,4.5,",
                "S6,C,P,R,2026-03-05,0,",
                "S7,C,P,R,2026-03-05,6,",
                "S8,C,P,R,2026-03-05,NaN,",
                "S9,C,P,R,2026-03-05,,",
            ]
        )
        + "\n",
    )


def _check_odd_csat(con) -> None:
    got = dict(con.execute("select response_id, csat from surveys").fetchall())
    assert got == {"S1": 4, "S2": 5, "S3": 1}
    reasons = dict(con.execute("select line_number, reason from rejected_rows").fetchall())
    assert "五" in reasons[5] and "not a whole number" in reasons[5]
    assert "outside 1-5" in reasons[7] and "outside 1-5" in reasons[8]
    assert "csat is empty" in reasons[10]


# --------------------------------------------------------------------------- size


def ten_mb_field(folder: Path) -> Path:
    # One 10 MB quoted field (a pasted log in a note column) in row O2. 3 data rows, all
    # loaded; the note is kept whole in _extra.
    big = "x" * (10 * 1024 * 1024)
    text = (
        ORDERS
        + ",note\nO1,C1,P,R,2026-03-05,1,short\n"
        + f'O2,C2,P,R,2026-03-06,2,"{big}"\n'
        + "O3,C3,P,R,2026-03-07,3,short\n"
    )
    return _write(folder, "orders_10mb_field.csv", text)


def _check_ten_mb_field(con) -> None:
    length = con.execute(
        "select length(_extra->>'note') from orders where order_id = 'O2'"
    ).fetchone()
    assert length == (10 * 1024 * 1024,)


def ten_mb_single_field_file(folder: Path) -> Path:
    # The whole file is one 10 MB unquoted field without a newline: no header -> rejected.
    return _write(folder, "orders_one_field.csv", "y" * (10 * 1024 * 1024))


def long_lines(folder: Path) -> Path:
    # 200 rows of 200 KB each (40 MB): 200 data rows, all loaded.
    pad = "z" * 200_000
    rows = [f"O{i},C{i},P,R,2026-03-05,{i},{pad}" for i in range(200)]
    return _write(folder, "orders_long_lines.csv", "\n".join([ORDERS + ",pad", *rows]) + "\n")


def fifty_k_columns(folder: Path) -> Path:
    # The contract columns plus 50,000 extra columns, 3 rows: either loaded (extras kept)
    # or refused whole with a clear message; never a hang. See the test for which.
    extras = 50_000
    header = ORDERS + "," + ",".join(f"x{i}" for i in range(extras))
    cells = ",".join("1" for _ in range(extras))
    rows = [f"O{i},C{i},P,R,2026-03-05,{i},{cells}" for i in range(3)]
    return _write(folder, "orders_50k_columns.csv", "\n".join([header, *rows]) + "\n")


def many_rows_ragged(folder: Path) -> Path:
    # 20,000 rows where every 1000th has an extra cell: the ragged ones are rejected
    # ("more values than the header has columns"), the rest load. 20 rejected.
    rows = []
    for i in range(20_000):
        extra = ",surplus" if i % 1000 == 999 else ""
        rows.append(f"O{i},C{i},P,R,2026-03-05,{i}{extra}")
    return _write(folder, "orders_ragged.csv", _orders(*rows))


# --------------------------------------------------------------------------- XLSX


def _xlsx_parts(sheet_xml: bytes, sheet_name: str = "orders") -> dict[str, bytes]:
    """The minimal parts of a workbook with one sheet (for hand-written sheet XML)."""
    return {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            b"</Types>"
        ),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            b"</Relationships>"
        ),
        "xl/workbook.xml": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b'<sheets><sheet name="' + sheet_name.encode() + b'" sheetId="1" r:id="rId1"/></sheets>'
            b"</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            b"</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }


SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx_formulas(folder: Path) -> Path:
    # Formula cells as Excel saves them (formula + cached value) and as a generator that
    # never calculated them writes them (formula, no cached value). The loader reads what
    # Excel shows (the cached value) and never evaluates anything: a formula without a
    # cached value is an empty cell.
    # 4 data rows (sheet rows 2-5):
    #   row 2: customer_id =HYPERLINK("http://x","y") cached "y" -> loaded, customer 'y'
    #   row 3: amount =1+1 cached 2 -> loaded, amount 2
    #   row 4: order_id =A1 cached "order_id"... we give it id O3 cached -> loaded
    #   row 5: order_id =1+1 with no cached value -> empty id -> rejected
    # loaded 3, rejected 1.
    head = ["order_id", "customer_id", "project", "region", "ordered_at", "amount"]
    cols = "ABCDEF"
    rows = [
        '<row r="1">'
        + "".join(_inline(f"{c}1", h) for c, h in zip(cols, head, strict=True))
        + "</row>"
    ]

    def row(r: int, cells: list[str]) -> str:
        return f'<row r="{r}">' + "".join(cells) + "</row>"

    rows.append(
        row(
            2,
            [
                _inline("A2", "O1"),
                '<c r="B2" t="str"><f>HYPERLINK("http://x","y")</f><v>y</v></c>',
                _inline("C2", "P"),
                _inline("D2", "R"),
                _inline("E2", "2026-03-05"),
                '<c r="F2"><v>1</v></c>',
            ],
        )
    )
    rows.append(
        row(
            3,
            [
                _inline("A3", "O2"),
                _inline("B3", "C2"),
                _inline("C3", "P"),
                _inline("D3", "R"),
                _inline("E3", "2026-03-06"),
                '<c r="F3"><f>1+1</f><v>2</v></c>',
            ],
        )
    )
    rows.append(
        row(
            4,
            [
                '<c r="A4" t="str"><f>"O"&amp;"3"</f><v>O3</v></c>',
                '<c r="B4" t="str"><f>A1</f><v>order_id</v></c>',
                _inline("C4", "P"),
                _inline("D4", "R"),
                _inline("E4", "2026-03-07"),
                '<c r="F4"><v>3</v></c>',
            ],
        )
    )
    rows.append(
        row(
            5,
            [
                '<c r="A5"><f>1+1</f></c>',
                _inline("B5", "C4"),
                _inline("C5", "P"),
                _inline("D5", "R"),
                _inline("E5", "2026-03-08"),
                '<c r="F5"><v>4</v></c>',
            ],
        )
    )
    xml = SHEET_HEAD + "".join(rows).encode() + SHEET_TAIL
    path = folder / "orders_formulas.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _xlsx_parts(xml).items():
            zf.writestr(name, data)
    return path


def _check_xlsx_formulas(con) -> None:
    got = con.execute("select order_id, customer_id, amount from orders order by 1").fetchall()
    assert got == [("O1", "y", 1.0), ("O2", "C2", 2.0), ("O3", "order_id", 3.0)]
    assert con.execute("select reason from rejected_rows").fetchall() == [("order_id is empty",)]


def xlsx_serial_and_text_dates(folder: Path) -> Path:
    # One date column holding a real date cell, a datetime cell, a bare serial number
    # (a date cell that lost its format: 46086.5 = 2026-03-05 12:00), text dates and a
    # non-date. 6 data rows: loaded 5, rejected 1.
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单"
    ws.append(ORDERS.split(","))
    ws.append(["O1", "C", "P", "R", dt.date(2026, 3, 5), 1])
    ws.append(["O2", "C", "P", "R", dt.datetime(2026, 3, 5, 14, 30), 1])
    ws.append(["O3", "C", "P", "R", 46086.5, 1])
    ws.append(["O4", "C", "P", "R", "2026/3/7 9:05", 1])
    ws.append(["O5", "C", "P", "R", "2026年3月8日", 1])
    ws.append(["O6", "C", "P", "R", "soon", 1])
    path = folder / "orders_dates.xlsx"
    wb.save(path)
    return path


def _check_xlsx_serial_and_text_dates(con) -> None:
    got = con.execute("select order_id, ordered_at from orders order by 1").fetchall()
    assert got == [
        ("O1", dt.datetime(2026, 3, 5)),
        ("O2", dt.datetime(2026, 3, 5, 14, 30)),
        ("O3", dt.datetime(2026, 3, 5, 12, 0)),
        ("O4", dt.datetime(2026, 3, 7, 9, 5)),
        ("O5", dt.datetime(2026, 3, 8)),
    ]


def xlsx_extreme_dates(folder: Path) -> Path:
    # Date cells at the ends of Excel's calendar (1900-01-01, 9999-12-31) and serial
    # numbers just past them. 4 data rows: 1900-01-01 and 9999-12-31 as date cells load;
    # a serial of 3,000,000 (past 9999-12-31) and -1 are not dates -> rejected.
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "orders"
    ws.append(ORDERS.split(","))
    ws.append(["O1", "C", "P", "R", dt.datetime(1900, 1, 1), 1])
    ws.append(["O2", "C", "P", "R", dt.datetime(9999, 12, 31), 1])
    ws.append(["O3", "C", "P", "R", 3_000_000, 1])
    ws.append(["O4", "C", "P", "R", -1, 1])
    path = folder / "orders_xlsx_extreme.xlsx"
    wb.save(path)
    return path


def _check_xlsx_extreme_dates(con) -> None:
    got = con.execute("select order_id, ordered_at from orders order by 1").fetchall()
    assert got == [("O1", dt.datetime(1900, 1, 1)), ("O2", dt.datetime(9999, 12, 31))]


ZIP_BOMB_SIZE = 400 * 1024 * 1024  # uncompressed sheet XML


def xlsx_zip_bomb(folder: Path) -> Path:
    # A ~1 MB workbook whose sheet XML inflates to 400 MB of rows: refused before it is
    # inflated (sizes in the zip directory), with a message saying so.
    path = folder / "orders_bomb.xlsx"
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in _xlsx_parts(b"").items():
            if name != "xl/worksheets/sheet1.xml":
                zf.writestr(name, data)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD)
            block = row * (1024 * 1024 // len(row))
            written = 0
            while written < ZIP_BOMB_SIZE:
                sheet.write(block)
                written += len(block)
            sheet.write(SHEET_TAIL)
    return path


def xlsx_truncated(folder: Path) -> Path:
    # A workbook cut in half (an interrupted download): cannot be opened -> rejected.
    whole = xlsx_serial_and_text_dates(folder).read_bytes()
    (folder / "orders_dates.xlsx").unlink()
    return _write(folder, "orders_cut.xlsx", whole[: len(whole) // 2])


def xlsx_named_csv(folder: Path) -> Path:
    # Workbook bytes under a .csv name: read as the workbook it is. 6 data rows as in
    # xlsx_serial_and_text_dates: loaded 5, rejected 1.
    data = xlsx_serial_and_text_dates(folder).read_bytes()
    (folder / "orders_dates.xlsx").unlink()
    return _write(folder, "orders_really_xlsx.csv", data)


def csv_named_xlsx(folder: Path) -> Path:
    # CSV text under a .xlsx name (some systems do this): read as the CSV it is.
    # 3 data rows, all loaded.
    return _write(folder, "orders_really_csv.xlsx", _orders(*GOOD))


def xlsx_empty_workbook(folder: Path) -> Path:
    # A workbook with one empty sheet: nothing to import -> rejected whole ("no rows").
    import openpyxl

    path = folder / "orders_empty_book.xlsx"
    openpyxl.Workbook().save(path)
    return path


# --------------------------------------------------------------------------- Parquet & other


def parquet_wrong_types(folder: Path) -> Path:
    # Surveys whose columns have the wrong types: response_id int64, csat string,
    # submitted_at int64 (epoch seconds, not a timestamp), nps double with NaN.
    # 4 data rows:
    #   1: csat '4', submitted_at 1772668800 (a number, not a date) -> rejected
    #   2: csat 'abc' -> rejected (not a whole number), also the date
    #   3: submitted_at 46086 is read like an Excel serial date (2026-03-05), csat '5',
    #      nps NaN = empty -> loaded
    #   4: csat ' 3 ', nps 7.0 -> loaded (2026-03-05 again)
    # loaded 2, rejected 2.
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "response_id": pa.array([1, 2, 3, 4], pa.int64()),
            "project": ["P", "P", "P", "P"],
            "region": ["R", "R", "R", "R"],
            "submitted_at": pa.array([1772668800, 1772668800, 46086, 46086], pa.int64()),
            "csat": ["4", "abc", "5", " 3 "],
            "nps": pa.array([1.0, 2.0, float("nan"), 7.0], pa.float64()),
        }
    )
    path = folder / "survey_wrong_types.parquet"
    pq.write_table(table, path)
    return path


def _check_parquet_wrong_types(con) -> None:
    got = con.execute(
        "select response_id, submitted_at, csat, nps from surveys order by 1"
    ).fetchall()
    assert got == [("3", dt.datetime(2026, 3, 5), 5, None), ("4", dt.datetime(2026, 3, 5), 3, 7)]


def parquet_nested_types(folder: Path) -> Path:
    # Columns Parquet can hold but a CSV cannot: a list, a struct, binary, a
    # dictionary-encoded (categorical) region and a timezone-aware timestamp.
    # 2 data rows, both loaded; the odd columns end up in _extra as text.
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "order_id": ["O1", "O2"],
            "customer_id": ["C1", "C2"],
            "project": ["P", "P"],
            "region": pa.array(["R", "S"]).dictionary_encode(),
            "ordered_at": pa.array(
                [dt.datetime(2026, 3, 5, 8), dt.datetime(2026, 3, 6, 9)], pa.timestamp("us")
            ),
            "tags": pa.array([["a", "b"], []], pa.list_(pa.string())),
            "meta": pa.array([{"k": 1}, {"k": 2}]),
            "blob": pa.array([b"\x00\xff", b"ok"], pa.binary()),
        }
    )
    path = folder / "orders_nested.parquet"
    pq.write_table(table, path)
    return path


def _check_parquet_nested_types(con) -> None:
    got = con.execute("select order_id, region, ordered_at from orders order by 1").fetchall()
    assert got == [
        ("O1", "R", dt.datetime(2026, 3, 5, 8)),
        ("O2", "S", dt.datetime(2026, 3, 6, 9)),
    ]


def png_named_parquet(folder: Path) -> Path:
    # A PNG image under a .parquet name -> rejected whole, saying it is not Parquet.
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )
    return _write(folder, "orders_picture.parquet", png)


def random_bytes(folder: Path) -> Path:
    # 64 KiB of random bytes named .csv -> rejected whole (not a text export).
    return _write(folder, "orders_random.csv", random.Random(7).randbytes(65536))


def random_bytes_no_nul(folder: Path) -> Path:
    # Random high bytes without NUL (so the binary check does not fire): whatever it
    # decodes to, no header can be found -> rejected whole; the message stays short.
    rng = random.Random(11)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(200_000))
    return _write(folder, "orders_noise.csv", data)


def truncated_parquet(folder: Path) -> Path:
    # A Parquet file cut short -> rejected whole.
    whole = parquet_wrong_types(folder).read_bytes()
    (folder / "survey_wrong_types.parquet").unlink()
    return _write(folder, "survey_cut.parquet", whole[: len(whole) // 2])


def zip_named_xlsx_without_workbook(folder: Path) -> Path:
    # A zip archive (not a workbook) under a .xlsx name -> rejected whole.
    path = folder / "orders_archive.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    return path


def gbk_then_utf8(folder: Path) -> Path:
    # The other order: a GBK export with UTF-8 lines appended. 3 data rows, all loaded,
    # no mojibake.
    gbk = "订单号,客户编号,项目,区域,下单时间\nO1,C1,华北项目,北京,2026-03-07\n".encode("gbk")
    utf8 = "O2,C2,华东项目,上海,2026-03-05\nO3,C3,华南项目,广州,2026-03-06\n".encode()
    return _write(folder, "订单_gbk_then_utf8.csv", gbk + utf8)


def _check_gbk_then_utf8(con) -> None:
    got = con.execute("select order_id, project, region from orders order by 1").fetchall()
    assert got == [
        ("O1", "华北项目", "北京"),
        ("O2", "华东项目", "上海"),
        ("O3", "华南项目", "广州"),
    ]


def bom_then_gbk(folder: Path) -> Path:
    # A UTF-8 BOM, UTF-8 lines, then GBK lines (a GBK export appended to a UTF-8 one).
    # This used to escape as a UnicodeDecodeError and abort the whole import run.
    # 2 data rows, both loaded.
    utf8 = "\ufeff订单号,客户编号,项目,区域,下单时间\nO1,C1,华东项目,上海,2026-03-05\n".encode()
    gbk = "O2,C2,华北项目,北京,2026-03-07\n".encode("gbk")
    return _write(folder, "订单_bom_gbk.csv", utf8 + gbk)


def _check_bom_then_gbk(con) -> None:
    got = con.execute("select order_id, project from orders order by 1").fetchall()
    assert got == [("O1", "华东项目"), ("O2", "华北项目")]


def undecodable_line(folder: Path) -> Path:
    # UTF-8 text with one line that is neither UTF-8 nor GB18030 (a GB18030 lead byte
    # followed by a comma): rejected whole, the message names the line (3).
    data = (ORDERS + "\nO1,C1,华东,R,2026-03-05,1\n").encode() + b"O2,C2,\x81,R,2026-03-06,2\n"
    return _write(folder, "orders_bad_line.csv", data)


def legacy_xls_named_xlsx(folder: Path) -> Path:
    # An old binary .xls (OLE2 container) renamed .xlsx: rejected, saying what it is.
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return _write(folder, "orders_old.xlsx", head + b"\xff" * 1024)


def stray_delimiters_row(folder: Path) -> Path:
    # One row carries 50,000 stray commas plus text at the end: it is rejected ("more
    # values than the header has columns") with its surplus kept in the raw row, instead
    # of widening the table to 50,000 columns. 3 data rows: loaded 2, rejected 1.
    wild = "O2,C2,P,R,2026-03-06,2" + "," * 50_000 + "tail"
    return _write(
        folder,
        "orders_stray_commas.csv",
        _orders("O1,C1,P,R,2026-03-05,1", wild, "O3,C3,P,R,2026-03-07,3"),
    )


def _check_stray_delimiters_row(con) -> None:
    reason, raw = con.execute("select reason, raw_row from rejected_rows").fetchone()
    assert "more values than the header has columns" in reason
    assert raw.endswith('tail"}') and len(raw) > 50_000


def xlsx_far_stray_cell(folder: Path) -> Path:
    # A sheet whose used range reaches column XFD (16,384) because of one cell far to the
    # right in the title row (above the header): the table is only as wide as its header
    # and values, so it loads. 2 data rows, both loaded.
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "orders"
    ws.append(["2026 orders"])
    ws.cell(row=1, column=16384, value=" ")
    ws.append(ORDERS.split(","))
    ws.append(["O1", "C1", "P", "R", "2026-03-05", 1])
    ws.append(["O2", "C2", "P", "R", "2026-03-06", 2])
    path = folder / "orders_far_cell.xlsx"
    wb.save(path)
    return path


CASES: list[Case] = [
    Case("truncated_mid_row", truncated_mid_row, Loaded("orders", 4, 3, 1)),
    Case("truncated_mid_quoted_field", truncated_mid_quoted_field, Loaded("orders", 4, 3, 1)),
    Case("quote_never_closes", quote_never_closes, Loaded("orders", 2, 1, 1), risky=True),
    Case("semicolon_delimited", semicolon_delimited, Loaded("orders", 3, 3, 0)),
    Case("pipe_delimited", pipe_delimited, Rejected(("missing required", "order_id|"))),
    Case("mixed_delimiters", mixed_delimiters, Loaded("orders", 4, 2, 2)),
    Case("crlf_lf_cr_mix", crlf_lf_cr_mix, Loaded("orders", 4, 4, 0)),
    Case("header_only", header_only, Loaded("orders", 0, 0, 0)),
    Case("empty_file", empty_file, Rejected(("empty",))),
    Case("whitespace_only", whitespace_only, Rejected(("empty",))),
    Case("title_only", title_only, Rejected(("missing required", "2026年第三季度订单台账"))),
    Case(
        "duplicate_header_names",
        duplicate_header_names,
        Loaded("orders", 2, 2, 0),
        check=_check_duplicate_headers,
    ),
    Case(
        "empty_header_names",
        empty_header_names,
        Loaded("orders", 2, 2, 0),
        check=_check_empty_header_names,
    ),
    Case("only_delimiter_lines", only_delimiter_lines, Loaded("orders", 2, 2, 0)),
    Case(
        "header_below_search_window",
        header_below_search_window,
        Rejected(("missing required", "title line 0")),
    ),
    Case(
        "sql_in_header_names",
        sql_in_header_names,
        Loaded("orders", 1, 1, 0),
        check=_check_sql_in_header_names,
    ),
    Case(
        "formula_text_in_csv",
        formula_text_in_csv,
        Loaded("orders", 2, 2, 0),
        check=_check_formula_text_in_csv,
    ),
    Case(
        "mixed_encodings", mixed_encodings, Loaded("orders", 4, 4, 0), check=_check_mixed_encodings
    ),
    Case("gbk_file", gbk_file, Loaded("orders", 2, 2, 0), check=_check_gbk_file),
    Case(
        "bom_in_the_middle",
        bom_in_the_middle,
        Loaded("orders", 4, 3, 1),
        check=_check_bom_in_the_middle,
    ),
    Case("nul_padded", nul_padded, Rejected(("binary",))),
    Case(
        "nul_byte_in_field",
        nul_byte_in_field,
        Loaded("orders", 3, 3, 0),
        check=_check_nul_byte_in_field,
    ),
    Case("utf16_with_bom", utf16_with_bom, Loaded("orders", 2, 2, 0)),
    Case("latin1_file", latin1_file, Loaded("orders", 2, 2, 0)),
    Case(
        "emoji_and_rare_cjk",
        emoji_and_rare_cjk,
        Loaded("customers", 3, 3, 0),
        check=_check_emoji_and_rare_cjk,
    ),
    Case("extreme_dates", extreme_dates, Loaded("orders", 7, 4, 3), check=_check_extreme_dates),
    Case("serial_and_text_dates_csv", serial_and_text_dates_csv, Loaded("orders", 3, 2, 1)),
    Case("odd_amounts", odd_amounts, Loaded("orders", 10, 6, 4), check=_check_odd_amounts),
    Case("odd_csat", odd_csat, Loaded("surveys", 9, 3, 6), check=_check_odd_csat),
    Case(
        "ten_mb_field",
        ten_mb_field,
        Loaded("orders", 3, 3, 0),
        risky=True,
        check=_check_ten_mb_field,
    ),
    Case(
        "ten_mb_single_field_file",
        ten_mb_single_field_file,
        Rejected(("missing required",)),
        risky=True,
    ),
    Case("long_lines", long_lines, Loaded("orders", 200, 200, 0), risky=True),
    Case(
        "fifty_k_columns",
        fifty_k_columns,
        Rejected(("50,006 columns", "at most 2,000")),
        risky=True,
    ),
    Case("many_rows_ragged", many_rows_ragged, Loaded("orders", 20_000, 19_980, 20)),
    Case("xlsx_formulas", xlsx_formulas, Loaded("orders", 4, 3, 1), check=_check_xlsx_formulas),
    Case(
        "xlsx_serial_and_text_dates",
        xlsx_serial_and_text_dates,
        Loaded("orders", 6, 5, 1),
        check=_check_xlsx_serial_and_text_dates,
    ),
    Case(
        "xlsx_extreme_dates",
        xlsx_extreme_dates,
        Loaded("orders", 4, 2, 2),
        check=_check_xlsx_extreme_dates,
    ),
    Case("xlsx_zip_bomb", xlsx_zip_bomb, Rejected(("refused", "zip bomb")), risky=True),
    Case("xlsx_truncated", xlsx_truncated, Rejected(("workbook", "damaged"))),
    Case("xlsx_named_csv", xlsx_named_csv, Loaded("orders", 6, 5, 1)),
    Case("csv_named_xlsx", csv_named_xlsx, Loaded("orders", 3, 3, 0)),
    Case("xlsx_empty_workbook", xlsx_empty_workbook, Rejected(("no rows", "every sheet"))),
    Case(
        "zip_named_xlsx_without_workbook",
        zip_named_xlsx_without_workbook,
        Rejected(("not an Excel workbook",)),
    ),
    Case(
        "parquet_wrong_types",
        parquet_wrong_types,
        Loaded("surveys", 4, 2, 2),
        check=_check_parquet_wrong_types,
    ),
    Case(
        "parquet_nested_types",
        parquet_nested_types,
        Loaded("orders", 2, 2, 0),
        check=_check_parquet_nested_types,
    ),
    Case("truncated_parquet", truncated_parquet, Rejected(("parquet",))),
    Case("png_named_parquet", png_named_parquet, Rejected(("PNG image", "not an export"))),
    Case("random_bytes", random_bytes, Rejected(("binary",))),
    Case("gbk_then_utf8", gbk_then_utf8, Loaded("orders", 3, 3, 0), check=_check_gbk_then_utf8),
    Case("bom_then_gbk", bom_then_gbk, Loaded("orders", 2, 2, 0), check=_check_bom_then_gbk),
    Case("undecodable_line", undecodable_line, Rejected(("line 3", "neither UTF-8 nor GBK"))),
    Case("legacy_xls_named_xlsx", legacy_xls_named_xlsx, Rejected(("old Excel .xls",))),
    Case(
        "stray_delimiters_row",
        stray_delimiters_row,
        Loaded("orders", 3, 2, 1),
        risky=True,
        check=_check_stray_delimiters_row,
    ),
    Case("xlsx_far_stray_cell", xlsx_far_stray_cell, Loaded("orders", 2, 2, 0), risky=True),
    Case("random_bytes_no_nul", random_bytes_no_nul, Rejected(("cannot decode",)), risky=True),
]


def build_all(folder: Path) -> dict[str, Path]:
    """Write every case's file into ``folder`` (one sub-folder per case)."""
    paths = {}
    for case in CASES:
        sub = folder / case.name
        sub.mkdir(parents=True, exist_ok=True)
        paths[case.name] = case.build(sub)
    return paths


if __name__ == "__main__":  # python tests/hostile_corpus.py OUT_DIR: look at the files
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for name, path in build_all(out).items():
        print(f"{name:34} {os.path.getsize(path):>12,}  {path}")
