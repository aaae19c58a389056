"""The demo-data generator: deterministic, messy in the planned ways, loadable, and the
committed ``data/`` is exactly its scale-1 output."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest
from python_calamine import CalamineWorkbook

from dashboard.cli import main
from dashboard.demo import DemoResult, build, generate
from dashboard.demo.company import PROJECTS
from dashboard.demo.mess import format_datetimes
from dashboard.demo.model import WINDOW_DAYS, simulate
from dashboard.paths import DATA_DIR

KINDS = ("customers", "orders", "complaints", "surveys", "vip_contacts")
SMALL = 0.05


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, DemoResult]:
    out = tmp_path_factory.mktemp("demo_small")
    return out, build(out, scale=SMALL, seed=7)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


# ------------------------------------------------------------------ determinism, files


def test_same_seed_gives_byte_identical_files_and_another_seed_differs(small, tmp_path):
    folder, result = small
    again = build(tmp_path / "again", scale=SMALL, seed=7)
    build(tmp_path / "other", scale=SMALL, seed=8)
    assert _digests(tmp_path / "again") == _digests(folder)
    differing = {
        name
        for name, digest in _digests(tmp_path / "other").items()
        if digest != _digests(folder)[name]
    }
    assert differing == set(_digests(folder))  # every file changes with the seed
    assert [r.reasons for r in again.reports] == [r.reasons for r in result.reports]


def test_all_five_kinds_are_written_and_each_name_tells_its_kind(small):
    from dashboard.ingest.aliases import load_aliases
    from dashboard.ingest.kinds import kinds_from_name

    folder, result = small
    files = result.files
    assert set(files) == set(KINDS)
    aliases = load_aliases()
    for kind, paths in files.items():
        assert paths, kind
        for path in paths:
            assert path.exists() and path.stat().st_size > 0
            assert kinds_from_name(path.stem, aliases) == [kind], path.name
    assert {p.suffix for ps in files.values() for p in ps} == {".csv", ".xlsx", ".parquet"}


def test_generate_returns_the_files_per_kind(tmp_path):
    files = generate(tmp_path, scale=0.02, seed=1)
    assert sorted(p.name for ps in files.values() for p in ps) == sorted(
        p.name for p in tmp_path.iterdir()
    )


def test_gbk_complaints_file_decodes_only_as_gb18030_and_has_title_lines(small):
    folder, result = small
    (path,) = result.files["complaints"]
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    lines = raw.decode("gb18030").split("\r\n")
    assert "投诉台账" in lines[0] and not lines[0].startswith("投诉单号")
    assert lines[2].startswith("投诉单号,客户编号,项目名称,区域")


def test_other_encodings_and_delimiters(small):
    folder, result = small
    orders_csv = next(p for p in result.files["orders"] if p.suffix == ".csv")
    assert orders_csv.read_bytes().startswith(b"\xef\xbb\xbfOrder_ID,")  # UTF-8 BOM
    customers = result.files["customers"][0].read_text(encoding="utf-8")
    assert customers.splitlines()[0].split("\t")[:2] == ["客户编号", "客户姓名"]
    vip = result.files["vip_contacts"][0].read_text(encoding="utf-8")
    assert vip.splitlines()[0].startswith("回访编号;客户编号;")


def test_surveys_workbook_has_a_sheet_per_year_with_real_date_cells(small):
    import datetime as dt

    _, result = small
    (path,) = result.files["surveys"]
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["2024年", "2025年", "2026年"]
    rows = book.get_sheet_by_name("2025年").to_python()
    assert "满意度调查" in rows[0][0]  # a title row above the header
    header_at = next(i for i, r in enumerate(rows) if r[0] == "问卷编号")
    assert header_at == 2
    dates = [r[4] for r in rows[header_at + 1 :]]
    assert sum(isinstance(d, dt.datetime) for d in dates) > 0.8 * len(dates)
    assert all(d.year == 2025 for d in dates if isinstance(d, dt.datetime))


def test_mixed_date_formats_and_currency_amounts(small):
    _, result = small
    orders_csv = next(p for p in result.files["orders"] if p.suffix == ".csv")
    text = orders_csv.read_text(encoding="utf-8-sig")
    assert "T" in text.splitlines()[1].split(",")[4]  # before the ERP migration: 2024-11-25T..
    assert '"¥1,' in text  # thousands separator, quoted
    vip = result.files["vip_contacts"][0].read_text(encoding="utf-8")
    assert "年" in vip and "月" in vip
    complaints = result.files["complaints"][0].read_bytes().decode("gb18030")
    assert any(line.count("/") >= 2 for line in complaints.splitlines()[3:])


def test_date_styles_format_as_the_contract_examples():
    moment = np.array(["2026-03-05T09:05:07"], dtype="datetime64[s]")
    formatted = [format_datetimes(moment, style)[0] for style in range(9)]
    assert formatted == [
        "2026-03-05T09:05:07",
        "2026-03-05 09:05:07",
        "2026-03-05 09:05",
        "2026/3/5 9:05",
        "2026/03/05 09:05:07",
        "2026年3月5日 09:05",
        "2026-03-05",
        "2026/3/5",
        "2026年3月5日",
    ]
    assert format_datetimes(np.array(["NaT"], dtype="datetime64[s]"), 0) == [""]


def test_planted_bad_rows_are_in_the_files(small):
    _, result = small
    reasons = {}
    for report in result.reports:
        for reason, count in report.reasons.items():
            reasons[(report.kind, reason)] = reasons.get((report.kind, reason), 0) + count
    for kind in KINDS:
        assert reasons.get((kind, "superseded"), 0) >= 1, kind
        assert sum(r.duplicates for r in result.reports if r.kind == kind) >= 1, kind
    assert reasons[("surveys", "csat 7 (outside 1-5)")] >= 1
    assert reasons[("complaints", "resolved before opened")] >= 1
    complaints = result.files["complaints"][0].read_bytes().decode("gb18030")
    assert "待补录" in complaints  # an unparseable opened_at
    orders_csv = next(p for p in result.files["orders"] if p.suffix == ".csv")
    assert "0000-00-00 00:00:00" in orders_csv.read_text(encoding="utf-8-sig")
    (survey_path,) = result.files["surveys"]
    book = CalamineWorkbook.from_path(str(survey_path))
    csat = [r[5] for name in book.sheet_names for r in book.get_sheet_by_name(name).to_python()[3:]]
    assert 7 in csat and 0 in csat


def test_sizes_scale_roughly_linearly(tmp_path):
    # 0.2 vs 0.4: big enough that the ~18 VIPs of the smaller set do not make it noisy
    single = build(tmp_path / "single", scale=0.2, seed=7)
    double = build(tmp_path / "double", scale=0.4, seed=7)
    for kind in KINDS:
        rows_single = single.expected(kind)["rows"]
        rows_double = double.expected(kind)["rows"]
        assert 1.6 < rows_double / rows_single < 2.4, (kind, rows_single, rows_double)


def test_scale_one_sizes_are_the_documented_ones():
    world = simulate(scale=1, seed=42)
    assert 2500 <= len(world.customers.ids) <= 3500
    assert 18_000 <= len(world.orders.ids) <= 22_000
    assert len(world.complaints.ids) == 2000
    assert 2900 <= len(world.surveys.ids) <= 3000
    assert 400 <= len(world.vip_contacts.ids) <= 600


# --------------------------------------------------------------------- the stories


def test_the_simulation_tells_the_intended_stories():
    world = simulate(scale=1, seed=42)
    c, k, s = world.customers, world.complaints, world.surveys
    active_at_end = np.isinf(c.churned)
    assert 0.05 <= c.is_vip.sum() / active_at_end.sum() <= 0.10  # VIPs among customers
    assert (c.vip_since[c.is_vip] > WINDOW_DAYS - 60).any()  # some became VIP lately
    # Complaints: long-tailed resolution, an open backlog (more among recent ones),
    # anonymous complaints and customers unknown to the CRM.
    resolved = k.resolved >= 0
    hours = (k.resolved[resolved] - k.opened[resolved]) / 60
    assert np.percentile(hours, 90) > 3 * np.median(hours)
    assert hours.max() > 14 * 24
    recent = k.opened > (WINDOW_DAYS - 30) * 1440
    assert (~resolved[recent]).mean() > 2 * (~resolved[~recent]).mean() > 0
    assert (k.customer < 0).any() and (k.unknown_customer != "").any()
    # Satisfaction differs by project; the worsening project drops in recent months.
    by_project = [s.csat[s.project == p].mean() for p in range(len(PROJECTS))]
    assert max(by_project) - min(by_project) > 0.4
    worsening = next(i for i, p in enumerate(PROJECTS) if p.worsens_days_before_end)
    mine = s.project == worsening
    late = s.submitted > (WINDOW_DAYS - 60) * 1440
    assert s.csat[mine & late].mean() < s.csat[mine & ~late].mean() - 0.4
    answered = (s.nps >= 0).mean()
    assert 0.5 < answered < 0.7


# ------------------------------------------------------------- committed data, CLI


def _content(path: Path) -> object:
    """What a file holds, independent of compressor versions (zip/Parquet bytes may vary)."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            return {name: archive.read(name) for name in sorted(archive.namelist())}
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    return path.read_bytes()


def test_committed_data_is_exactly_the_generators_scale_one_output(tmp_path):
    files = generate(tmp_path, scale=1, seed=42)
    expected = sorted(p.name for ps in files.values() for p in ps)
    committed = sorted(p.name for p in DATA_DIR.iterdir() if p.name != "README.md")
    assert committed == expected, "regenerate with: kpi demo --out data"
    for name in expected:
        assert _content(DATA_DIR / name) == _content(tmp_path / name), (
            f"data/{name} drifted from the generator; regenerate with: kpi demo --out data"
        )


def test_committed_data_stays_small():
    total = sum(p.stat().st_size for p in DATA_DIR.rglob("*") if p.is_file())
    assert total < 5_000_000


def test_cli_writes_and_lists_the_files(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path / "out"), "--scale", "0.02", "--seed", "3"]) == 0
    printed = capsys.readouterr().out
    for path in (tmp_path / "out").iterdir():
        assert path.name in printed
    assert "kpi ingest" in printed


def test_cli_rejects_a_non_positive_scale_without_a_traceback(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path), "--scale", "0"]) == 1
    err = capsys.readouterr().err
    assert "--scale must be a positive number" in err and "Traceback" not in err


# -------------------------------------------------------------------- with the loader


def test_every_generated_file_loads_and_only_planted_rows_are_rejected(small, tmp_path):
    from dashboard.pipeline import import_files as ingest_paths

    folder, result = small
    db = tmp_path / "demo.duckdb"
    results = ingest_paths([folder], db=db)
    assert [r.message for r in results if r.status != "loaded"] == []
    for kind in KINDS:
        mine = [r for r in results if r.kind == kind]
        expected = result.expected(kind)
        got = {
            "rows": sum(r.rows_in_file for r in mine),
            "loaded": sum(r.loaded for r in mine),
            "rejected": sum(r.rejected for r in mine),
            "duplicates": sum(r.duplicates for r in mine),
        }
        assert got == {key: expected[key] for key in got}, kind
    con = duckdb.connect(str(db), read_only=True)
    try:
        for kind in KINDS:
            (count,) = con.execute(f"select count(*) from {kind}").fetchone()
            assert count == result.expected(kind)["loaded"], kind
        superseded = con.execute(
            "select count(*) from rejected_rows where reason like 'superseded%'"
        ).fetchone()[0]
        assert superseded == sum(r.reasons.get("superseded", 0) for r in result.reports)
        unassigned = con.execute(
            "select (select count(*) from orders where project = '(unassigned)')"
            " + (select count(*) from complaints where region = '(unassigned)')"
        ).fetchone()[0]
        assert (
            unassigned
            == result.expected("orders")["unassigned"] + result.expected("complaints")["unassigned"]
        )
    finally:
        con.close()
