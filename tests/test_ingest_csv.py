"""kpi ingest, CSV side: encodings, delimiters, header detection, aliases, kinds, values,
reject reasons and the accounting invariant (data-contract.md). Tiny files, hand-checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.ingest import FileResult, ingest_into

ORDERS_HEADER = "订单号,客户编号,项目,区域,下单时间,金额"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def load(con, path: Path, kind: str | None = None) -> FileResult:
    results = ingest_into(con, path, kind=kind)
    assert len(results) == 1
    return results[0]


def rejects(con) -> list[tuple[int, str]]:
    return con.execute(
        "select line_number, reason from rejected_rows order by line_number"
    ).fetchall()


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


# --------------------------------------------------------------------------- encodings

ORDERS_ZH = f"{ORDERS_HEADER}\nO1,C1,花园小区,华东,2026-03-05,10\nO2,C2,滨江苑,华南,2026-03-06,20\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_every_encoding_reads_chinese_headers_and_values(con, tmp_path, encoding):
    result = load(con, write(tmp_path, "订单.csv", ORDERS_ZH, encoding))
    assert (result.status, result.kind, result.loaded) == ("loaded", "orders", 2)
    assert rows(con, "select order_id, project, region from orders order by 1") == [
        ("O1", "花园小区", "华东"),
        ("O2", "滨江苑", "华南"),
    ]


def test_gb18030_only_characters_decode(con, tmp_path):
    # 𠀀 (U+20000) exists in GB18030 but not in GBK
    text = f"{ORDERS_HEADER}\nO1,C1,𠀀苑,华东,2026-03-05,10\n"
    load(con, write(tmp_path, "orders.csv", text, "gb18030"))
    assert rows(con, "select project from orders") == [("𠀀苑",)]


def test_mostly_ascii_gbk_file_is_not_misread(con, tmp_path):
    # one Chinese value among ASCII: a detector alone guesses cp1250 here
    text = (
        "order_id,customer_id,project,region,ordered_at\n"
        + "".join(f"O{i},C{i},P,R,2026-03-05\n" for i in range(50))
        + "O99,C99,东区,R,2026-03-05\n"
    )
    load(con, write(tmp_path, "orders.csv", text, "gbk"))
    assert rows(con, "select project from orders where order_id = 'O99'") == [("东区",)]


def test_undecodable_file_is_rejected_whole(con, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(b"order_id,customer_id\n\x00\x01\x02\xff\xfe")
    result = load(con, path)
    assert result.status == "rejected"
    assert "binary" in result.message
    assert rows(con, "select count(*) from orders") == [(0,)]


# --------------------------------------------------------------------------- delimiters


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_delimiter(con, tmp_path, delimiter):
    text = ORDERS_ZH.replace(",", delimiter)
    result = load(con, write(tmp_path, "orders.txt", text))
    assert result.loaded == 2
    assert rows(con, "select amount from orders order by 1") == [(10.0,), (20.0,)]


def test_semicolon_file_with_commas_inside_amounts(con, tmp_path):
    text = (
        "order_id;customer_id;project;region;ordered_at;amount\n"
        "O1;C1;P;R;2026-03-05;1,234.50\n"
        "O2;C1;P;R;2026-03-05;12\n"
    )
    load(con, write(tmp_path, "orders.csv", text))
    assert rows(con, "select order_id, amount from orders order by 1") == [
        ("O1", 1234.5),
        ("O2", 12.0),
    ]


def test_quoted_fields_with_delimiter_and_newline_keep_physical_line_numbers(con, tmp_path):
    text = (
        "complaint_id,project,region,opened_at,category\n"  # line 1
        'K1,P,R,2026-03-05,"noise, at night\nand day"\n'  # lines 2-3
        "K2,P,R,not a date,x\n"  # line 4
    )
    result = load(con, write(tmp_path, "complaints.csv", text))
    assert (result.loaded, result.rejected) == (1, 1)
    assert rows(con, "select category from complaints") == [("noise, at night\nand day",)]
    assert rejects(con)[0][0] == 4
    assert rows(con, "select _source_line from complaints") == [(2,)]


# --------------------------------------------------------------------------- header row


def test_title_row_and_blank_line_above_header(con, tmp_path):
    text = "2026年第三季度投诉台账\n\n投诉编号,项目,区域,投诉时间\nK1,P,R,2026-03-05\nK2,P,R,bad\n"
    result = load(con, write(tmp_path, "投诉.csv", text, "gbk"))
    assert (result.rows_in_file, result.loaded, result.rejected) == (2, 1, 1)
    # line 5 is K2: title (1), blank (2), header (3), K1 (4)
    assert [line for line, _ in rejects(con)] == [5]


def test_header_below_row_ten_is_not_found(con, tmp_path):
    text = "title\n" * 10 + "order_id,customer_id,project,region,ordered_at\nO1,C,P,R,2026-01-01\n"
    result = load(con, write(tmp_path, "orders.csv", text))
    assert result.status == "rejected"
    assert "missing required column" in result.message


def test_headers_match_case_insensitively_and_trimmed(con, tmp_path):
    text = " Order_ID ,CUSTOMER_ID,Project , region,Ordered_At\nO1,C,P,R,2026-01-01\n"
    assert load(con, write(tmp_path, "orders.csv", text)).loaded == 1


def test_english_and_chinese_aliases(con, tmp_path):
    zh = "客户ID,客户姓名,项目名称,地区,VIP,VIP起始日期,注册日期\nC1,张三,P,R,是,2025-01-01,2024-05-06\n"
    load(con, write(tmp_path, "客户.csv", zh))
    assert rows(
        con, "select customer_id, customer_name, is_vip, vip_since, joined_on from customers"
    ) == [
        (
            "C1",
            "张三",
            True,
            __import__("datetime").date(2025, 1, 1),
            __import__("datetime").date(2024, 5, 6),
        )
    ]


def test_user_alias_file_extends_the_table(con, tmp_path, monkeypatch):
    user = tmp_path / "my_aliases.toml"
    user.write_text('[columns]\norder_id = ["单据号"]\nordered_at = ["业务日期"]\n', "utf-8")
    monkeypatch.setenv("KPI_ALIASES", str(user))
    text = "单据号,客户编号,项目,区域,业务日期\nO1,C1,P,R,2026-03-05\n"
    result = load(con, write(tmp_path, "订单.csv", text))
    assert result.loaded == 1
    # the shipped aliases still work alongside the user's
    text2 = "订单号,客户编号,项目,区域,下单时间\nO2,C1,P,R,2026-03-05\n"
    assert load(con, write(tmp_path, "订单2.csv", text2)).loaded == 1


def test_extra_columns_are_kept_in_extra_json(con, tmp_path):
    text = "order_id,customer_id,project,region,ordered_at,业务员,渠道\nO1,C,P,R,2026-01-01, 李四 ,app\n"
    load(con, write(tmp_path, "orders.csv", text))
    extra = json.loads(rows(con, "select _extra from orders")[0][0])
    assert extra == {"业务员": "李四", "渠道": "app"}


# --------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("customers_2026.csv", "customers"),
        ("客户清单.csv", "customers"),
        ("Orders-week9.csv", "orders"),
        ("订单导出.csv", "orders"),
        ("complaints.csv", "complaints"),
        ("投诉台账.csv", "complaints"),
        ("survey.csv", "surveys"),
        ("满意度调查.csv", "surveys"),
        ("问卷.csv", "surveys"),
        ("vip_contacts.csv", "vip_contacts"),
        ("VIP回访记录.csv", "vip_contacts"),
    ],
)
def test_kind_from_name(con, tmp_path, name, kind):
    # a header naming the required columns of all five kinds: only the name can decide
    header = (
        "customer_id,project,region,is_vip,order_id,ordered_at,complaint_id,opened_at,"
        "response_id,submitted_at,csat,contact_id,contacted_at,method"
    )
    row = "C1,P,R,是,O1,2026-01-01,K1,2026-01-01,S1,2026-01-01,5,V1,2026-01-01,电话"
    assert load(con, write(tmp_path, name, f"{header}\n{row}\n")).kind == kind


def test_kind_from_headers_when_name_says_nothing(con, tmp_path):
    text = "问卷编号,项目,区域,提交时间,满意度评分\nS1,P,R,2026-03-05,4\n"
    result = load(con, write(tmp_path, "export_0305.csv", text))
    assert (result.kind, result.loaded) == ("surveys", 1)


def test_survey_file_named_with_the_csat_alias(con, tmp_path):
    # 满意度 is both a name word for surveys and the alias of csat
    text = "问卷编号,项目,区域,调查日期,满意度\nS1,P,R,2026-03-05,5\n"
    result = load(con, write(tmp_path, "满意度调查.csv", text))
    assert (result.kind, result.loaded) == ("surveys", 1)
    assert rows(con, "select csat from surveys") == [(5,)]


def test_kind_option_overrides_name(con, tmp_path):
    text = "order_id,customer_id,project,region,ordered_at\nO1,C,P,R,2026-01-01\n"
    result = load(con, write(tmp_path, "客户.csv", text), kind="orders")
    assert (result.kind, result.loaded) == ("orders", 1)


def test_unknown_kind_is_rejected_with_reason(con, tmp_path):
    result = load(con, write(tmp_path, "export.csv", "a,b,c\n1,2,3\n"))
    assert result.status == "rejected"
    assert "cannot tell which kind" in result.message
    assert "found: a, b, c" in result.message


def test_missing_required_column_names_it_and_the_headers_found(con, tmp_path):
    text = "订单号,客户编号,项目,区域,金额\nO1,C1,P,R,5\n"
    result = load(con, write(tmp_path, "订单.csv", text))
    assert result.status == "rejected"
    assert (
        result.message
        == "missing required column ordered_at (found: 订单号, 客户编号, 项目, 区域, 金额)"
    )
    assert rows(con, "select status, kind, message from import_log") == [
        ("rejected", "orders", result.message)
    ]


# --------------------------------------------------------------------------- values

DATES = [
    ("2026-03-05", "2026-03-05 00:00:00"),
    ("2026/3/5 9:05", "2026-03-05 09:05:00"),
    ("2026/03/05 14:30:00", "2026-03-05 14:30:00"),
    ("2026-03-05T14:30:00", "2026-03-05 14:30:00"),
    ("2026年3月5日 14:30", "2026-03-05 14:30:00"),
    ("2026年3月5日", "2026-03-05 00:00:00"),
    ("2026-3-5 14:30", "2026-03-05 14:30:00"),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_each_date_form(con, tmp_path, text, expected):
    csv = f"order_id,customer_id,project,region,ordered_at\nO1,C,P,R,{text}\n"
    assert load(con, write(tmp_path, "orders.csv", csv)).loaded == 1
    assert rows(con, "select strftime(ordered_at, '%Y-%m-%d %H:%M:%S') from orders") == [
        (expected,)
    ]


@pytest.mark.parametrize(
    "text", ["2026-13-45", "2026-02-30", "26-3-5", "yesterday", "2026-03-05 25:00"]
)
def test_bad_dates_are_rejected_with_the_value(con, tmp_path, text):
    csv = f"order_id,customer_id,project,region,ordered_at\nO1,C,P,R,{text}\n"
    assert load(con, write(tmp_path, "orders.csv", csv)).rejected == 1
    assert rejects(con) == [
        (2, f"ordered_at '{text}' is not a date (expected e.g. 2026-03-05 or 2026/3/5 9:05)")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("1", True),
        ("YES", True),
        ("y", True),
        ("是", True),
        ("VIP", True),
        ("false", False),
        ("0", False),
        ("No", False),
        ("N", False),
        ("否", False),
        ("普通", False),
        ("", False),
    ],
)
def test_booleans(con, tmp_path, text, expected):
    csv = f"customer_id,project,region,is_vip\nC1,P,R,{text}\n"
    assert load(con, write(tmp_path, "customers.csv", csv)).loaded == 1
    assert rows(con, "select is_vip from customers") == [(expected,)]


def test_bad_boolean_is_rejected(con, tmp_path):
    csv = "customer_id,project,region,is_vip\nC1,P,R,maybe\n"
    assert load(con, write(tmp_path, "customers.csv", csv)).rejected == 1
    assert "is_vip 'maybe' is not a yes/no value" in rejects(con)[0][1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", 1234.5),
        ('"1,234.50"', 1234.5),
        ("¥99", 99.0),
        ('"￥1,000"', 1000.0),
        ('"$1,234,567.25"', 1234567.25),
        ("-3", -3.0),
        ("", None),
    ],
)
def test_amounts(con, tmp_path, text, expected):
    csv = f"order_id,customer_id,project,region,ordered_at,amount\nO1,C,P,R,2026-01-01,{text}\n"
    assert load(con, write(tmp_path, "orders.csv", csv)).loaded == 1
    assert rows(con, "select amount from orders") == [(expected,)]


@pytest.mark.parametrize("text", ["abc", "1,2,3", "12..5"])
def test_bad_amount_is_rejected(con, tmp_path, text):
    csv = f'order_id,customer_id,project,region,ordered_at,amount\nO1,C,P,R,2026-01-01,"{text}"\n'
    assert load(con, write(tmp_path, "orders.csv", csv)).rejected == 1
    assert rejects(con)[0][1].startswith(f"amount '{text}' is not a number")


def test_methods_map_to_phone_visit_other_and_keep_raw(con, tmp_path):
    csv = (
        "回访编号,客户编号,回访时间,回访方式\n"
        "V1,C1,2026-03-05,电话\nV2,C1,2026-03-05,Call\nV3,C1,2026-03-05,上门拜访\n"
        "V4,C1,2026-03-05,面访\nV5,C1,2026-03-05,微信\n"
    )
    assert load(con, write(tmp_path, "回访.csv", csv)).loaded == 5
    assert rows(con, "select contact_id, method, method_raw from vip_contacts order by 1") == [
        ("V1", "phone", "电话"),
        ("V2", "phone", "Call"),
        ("V3", "visit", "上门拜访"),
        ("V4", "visit", "面访"),
        ("V5", "other", "微信"),
    ]


def test_empty_project_and_region_become_unassigned_and_text_is_trimmed(con, tmp_path):
    csv = "order_id,customer_id,project,region,ordered_at\n  O1 , C1 ,,  ,2026-01-01\n"
    assert load(con, write(tmp_path, "orders.csv", csv)).loaded == 1
    assert rows(con, "select order_id, customer_id, project, region from orders") == [
        ("O1", "C1", "(unassigned)", "(unassigned)")
    ]


# --------------------------------------------------------------------------- reject reasons


def test_each_reject_reason(con, tmp_path):
    csv = (
        "complaint_id,customer_id,project,region,opened_at,first_response_at,resolved_at\n"  # 1
        ",C1,P,R,2026-03-05,,\n"  # 2 empty key
        "K2,C1,P,R,,,\n"  # 3 empty required date
        "K3,C1,P,R,2026-03-05 10:00,,2026-03-05 09:00\n"  # 4 resolved before opened
        "K4,C1,P,R,2026-03-05 10:00,2026-03-04,\n"  # 5 response before opened
        "K5,,P,R,2026-03-05 10:00,2026-03-05 10:30,2026-03-06\n"  # 6 good, anonymous
    )
    result = load(con, write(tmp_path, "complaints.csv", csv))
    assert (result.loaded, result.rejected) == (1, 4)
    assert rejects(con) == [
        (2, "complaint_id is empty"),
        (3, "opened_at is empty"),
        (4, "resolved_at is earlier than opened_at"),
        (5, "first_response_at is earlier than opened_at"),
    ]


def test_csat_and_nps_ranges(con, tmp_path):
    csv = (
        "response_id,project,region,submitted_at,csat,nps\n"  # 1
        "S1,P,R,2026-03-05,7,\n"  # 2
        "S2,P,R,2026-03-05,0,\n"  # 3
        "S3,P,R,2026-03-05,3,11\n"  # 4
        "S4,P,R,2026-03-05,4.5,\n"  # 5
        "S5,P,R,2026-03-05,,5\n"  # 6
        "S6,P,R,2026-03-05,5,10\n"  # 7 good
        "S7,P,R,2026-03-05,1,0\n"  # 8 good
    )
    result = load(con, write(tmp_path, "surveys.csv", csv))
    assert (result.loaded, result.rejected) == (2, 5)
    assert rejects(con) == [
        (2, "csat 7 is outside 1-5"),
        (3, "csat 0 is outside 1-5"),
        (4, "nps 11 is outside 0-10"),
        (5, "csat '4.5' is not a whole number (expected 1-5)"),
        (6, "csat is empty"),
    ]


def test_raw_row_is_kept_with_the_reject(con, tmp_path):
    csv = "order_id,customer_id,project,region,ordered_at\nO1, C1 ,P,R,bad\n"
    load(con, write(tmp_path, "orders.csv", csv))
    raw = rows(con, "select raw_row, file, kind from rejected_rows")[0]
    assert json.loads(raw[0]) == {
        "order_id": "O1",
        "customer_id": " C1 ",
        "project": "P",
        "region": "R",
        "ordered_at": "bad",
    }
    assert raw[1:] == (str(tmp_path / "orders.csv"), "orders")


def test_row_with_more_values_than_header_is_rejected(con, tmp_path):
    csv = "order_id,customer_id,project,region,ordered_at\nO1,C,P,R,2026-01-01,surprise\n"
    assert load(con, write(tmp_path, "orders.csv", csv)).rejected == 1
    assert "more values than the header" in rejects(con)[0][1]


# --------------------------------------------------------------------------- duplicates


def test_duplicates_and_superseded_rows_and_the_invariant(con, tmp_path):
    csv = (
        "order_id,customer_id,project,region,ordered_at,amount\n"  # 1
        "O1,C1,P,R,2026-03-01,10\n"  # 2 superseded by line 5
        "O2,C1,P,R,2026-03-01,20\n"  # 3
        "O2,C1,P,R,2026-03-01,20\n"  # 4 exact duplicate of 3
        "O1,C1,P,R,2026-03-02,11\n"  # 5 wins for O1
        "\n"  # 6 empty line: not a row
        "O3,C1,P,R,bad,30\n"  # 7 rejected
    )
    result = load(con, write(tmp_path, "orders.csv", csv))
    # rows 2,3,4,5,7 = 5; loaded O1(line 5), O2 = 2; rejected lines 2 and 7 = 2; dup 1
    assert (result.rows_in_file, result.loaded, result.rejected, result.duplicates) == (5, 2, 2, 1)
    assert result.loaded + result.rejected + result.duplicates == result.rows_in_file
    assert rows(con, "select order_id, amount, _source_line from orders order by 1") == [
        ("O1", 11.0, 5),
        ("O2", 20.0, 4),
    ]
    assert rejects(con)[0] == (2, "superseded by a later row with the same id")
    assert rows(
        con, "select rows_in_file, rows_loaded, rows_rejected, rows_duplicate from import_log"
    ) == [(5, 2, 2, 1)]


# --------------------------------------------------------------------------- line numbers


def test_crlf_line_ends_blank_lines_and_delimiter_only_lines(con, tmp_path):
    text = (
        "订单台账\r\n"  # 1 title
        "\r\n"  # 2
        "order_id,customer_id,project,region,ordered_at\r\n"  # 3 header
        "O1,C,P,R,2026-01-01\r\n"  # 4
        ",,,,\r\n"  # 5 only delimiters: an empty line, not a row
        "\r\n"  # 6
        "O2,C,P,R,bad\r\n"  # 7
    )
    result = load(con, write(tmp_path, "orders.csv", text))
    assert (result.rows_in_file, result.loaded, result.rejected) == (2, 1, 1)
    assert [line for line, _ in rejects(con)] == [7]
    assert rows(con, "select _source_line from orders") == [(4,)]


@pytest.mark.parametrize("odd_row", ['O9,C,P,R,"2026-01-01\n"', "   ", "O9,C,P"])
def test_line_numbers_survive_rows_that_need_the_exact_reader(con, tmp_path, odd_row):
    """A quoted newline, a whitespace-only line or a short row anywhere in the file
    switches reading to the exact (Python csv) path; line numbers stay physical."""
    text = (
        "order_id,customer_id,project,region,ordered_at\n"  # 1
        "O1,C,P,R,2026-01-01\n"  # 2
        f"{odd_row}\n"  # 3 (and 4 for the quoted newline)
        "O2,C,P,R,bad\n"
    )
    bad_line = 5 if "\n" in odd_row else 4
    load(con, write(tmp_path, "orders.csv", text))
    assert (
        bad_line,
        "ordered_at 'bad' is not a date (expected e.g. 2026-03-05 or 2026/3/5 9:05)",
    ) in rejects(con)


def test_header_only_file_loads_nothing_and_is_not_rejected(con, tmp_path):
    result = load(
        con, write(tmp_path, "orders.csv", "order_id,customer_id,project,region,ordered_at\n")
    )
    assert (result.status, result.rows_in_file, result.loaded) == ("loaded", 0, 0)


def test_tsv_with_commas_in_values(con, tmp_path):
    text = "order_id\tcustomer_id\tproject\tregion\tordered_at\tamount\nO1\tC\tP, east\tR\t2026-01-01\t1,200\n"
    load(con, write(tmp_path, "orders.tsv", text))
    assert rows(con, "select project, amount from orders") == [("P, east", 1200.0)]


@pytest.mark.parametrize(
    "text",
    [
        "a,b\n" + "1,2\n" * 5,  # fewer records than asked for
        'a,b\n"' + "x\n" * 40_000 + '",2\n' + "c,d\n" * 20,  # a quoted field across 64 KiB
        "a,b\n" + ("y" * 100_000 + ",1\n") * 12,  # records longer than the first chunk
    ],
)
def test_header_search_reads_only_the_start_but_splits_like_the_whole_text(text):
    from dashboard.ingest.readers import csv_records, head_records

    assert head_records(text, ",", 11) == csv_records(text, ",", limit=11)
