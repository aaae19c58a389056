"""`kpi show` and `kpi list` end to end on a fixture database file (byte-for-byte CSV)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard import pipeline
from dashboard.cli import main


@pytest.fixture(scope="module")
def db_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "fixture.duckdb"
    with pipeline.publishing_writer(path) as con:
        con.execute(
            "insert into orders (order_id, customer_id, project, region, ordered_at) values "
            "('o1', 'c1', 'A', 'East', '2026-03-01 23:59'),"  # Sunday: week 02-23
            "('o2', 'c2', 'A', 'East', '2026-02-24 10:00'),"
            "('o3', 'c3', '北区项目', 'North', '2026-02-25 10:00'),"
            "('o4', 'c1', 'A', 'East', '2026-03-02 00:00'),"  # Monday: week 03-02
            "('o5', 'c3', '北区项目', 'North', '2026-03-04 10:00'),"
            "('o6', 'c4', 'A', 'East', '2026-03-17 10:00')"  # week 03-16; 03-09 empty
        )
        con.execute(
            "insert into surveys (response_id, project, region, submitted_at, csat, nps) values "
            "('s1', 'A', 'East', '2026-03-02 09:00', 5, 10),"
            "('s2', 'A', 'East', '2026-03-03 09:00', 4, null),"
            "('s3', 'A', 'East', '2026-03-04 09:00', 2, 5)"
        )
    return path


def run_cli(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_retention_csv_byte_for_byte(db_file, capsys):
    code, out, err = run_cli(capsys, "show", "retention", "--db", str(db_file), "--format", "csv")
    assert code == 0 and err == ""
    assert out == (
        "period_start,active_customers,previous_active,retained_customers,new_customers,"
        "retention_rate,churn_rate\n"
        # week 02-23: c1 (Sun 23:59), c2, c3 all new; nothing before -> empty rates
        "2026-02-23,3,0,0,3,,\n"
        # week 03-02: c1, c3 active, both active before: 2/3 retained, churn 1 - 2/3
        "2026-03-02,2,3,2,0,0.6666666666666666,0.33333333333333337\n"
        # week 03-09: nobody; previous 2 -> 0/2
        "2026-03-09,0,2,0,0,0.0,1.0\n"
        # week 03-16: c4 new; previous 0 -> empty
        "2026-03-16,1,0,0,1,,\n"
    )


def test_csv_with_filters_and_by(db_file, capsys):
    code, out, _ = run_cli(
        capsys, "show", "retention", "--db", str(db_file), "--format", "csv",
        "--from", "2026-03-02", "--to", "2026-03-08", "--by", "project",
        "--project", "A", "--project", "北区项目",
    )  # fmt: skip
    assert code == 0
    assert out == (
        "period_start,project,active_customers,previous_active,retained_customers,"
        "new_customers,retention_rate,churn_rate\n"
        "2026-03-02,A,1,2,1,0,0.5,0.5\n"  # c1 of {c1, c2}
        "2026-03-02,北区项目,1,1,1,0,1.0,0.0\n"  # c3 of {c3}
    )


def test_satisfaction_month_csv(db_file, capsys):
    code, out, _ = run_cli(
        capsys, "show", "satisfaction", "--db", str(db_file), "--grain", "month", "--format", "csv"
    )
    assert code == 0
    # csat (5+4+2)/3 = 3.6666666666666665 (float mean); satisfied 2/3; NPS answers 2:
    # 1 promoter, 1 detractor -> 0.0
    assert out == (
        "period_start,responses,csat_avg,satisfied_rate,nps_responses,nps\n"
        "2026-03-01,3,3.6666666666666665,0.6666666666666666,2,0.0\n"
    )


def test_json_records(db_file, capsys):
    code, out, _ = run_cli(
        capsys, "show", "retention", "--db", str(db_file), "--format", "json", "--grain", "month"
    )
    assert code == 0
    records = json.loads(out)
    # Feb: c2, c3 (c1's 03-01 23:59 is March); Mar: c1, c3, c4; c3 retained: 1/2
    assert records == [
        {"period_start": "2026-02-01", "active_customers": 2, "previous_active": 0,
         "retained_customers": 0, "new_customers": 2, "retention_rate": None, "churn_rate": None},
        {"period_start": "2026-03-01", "active_customers": 3, "previous_active": 2,
         "retained_customers": 1, "new_customers": 2, "retention_rate": 0.5, "churn_rate": 0.5},
    ]  # fmt: skip


def test_table_is_readable(db_file, capsys):
    code, out, _ = run_cli(capsys, "show", "retention", "--db", str(db_file))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        "period_start", "active_customers", "previous_active", "retained_customers",
        "new_customers", "retention_rate", "churn_rate",
    ]  # fmt: skip
    # rates as the dashboard writes them: 2 of 3 retained = 66.7 %, churn 1 of 3 = 33.3 %
    assert lines[3].split() == ["2026-03-02", "2", "3", "2", "0", "66.7%", "33.3%"]
    assert lines[2].split()[-2:] == ["—", "—"]  # NULL rates, the dashboard's dash


def test_cohorts_default_month_and_week_refused(db_file, capsys):
    code, out, _ = run_cli(capsys, "show", "cohorts", "--db", str(db_file), "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == (
        "cohort_month,months_since_first,cohort_size,active_customers,retention_rate"
    )
    # Feb cohort {c2, c3}: in March only c3 -> 0.5
    assert "2026-02-01,1,2,1,0.5" in out.splitlines()
    code, out, err = run_cli(capsys, "show", "cohorts", "--db", str(db_file), "--grain", "week")
    assert code == 2 and out == ""
    assert err.strip() == "kpi show: error: --grain for cohorts must be month, got 'week'"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "retension"], "unknown KPI 'retension'"),
        (["show", "retention", "--from", "2026-13-01"], "--from must be a date YYYY-MM-DD"),
        (["show", "retention", "--to", "yesterday"], "--to must be a date YYYY-MM-DD"),
        (["show", "retention", "--grain", "day"], "--grain for retention must be week or month"),
        (["show", "retention", "--by", "channel"], "--by must be project or region"),
        (["show", "retention", "--format", "xml"], "--format must be one of table, csv, json"),
        (["show", "retention", "--from", "2026-03-02", "--to", "2026-03-01"], "is after --to"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(db_file, capsys, argv, message):
    code, out, err = run_cli(capsys, *argv, "--db", str(db_file))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err


def test_list_shows_every_query_with_both_titles(capsys):
    code, out, _ = run_cli(capsys, "list")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[:5]] == [
        "retention", "cohorts", "complaints", "satisfaction", "vip_coverage",
    ]  # fmt: skip
    assert any("客户保留率" in line and "Customer retention" in line for line in lines)
    assert any(line.startswith("overdue_vips") for line in lines)


@pytest.fixture
def folder_with_a_broken_file(tmp_path, monkeypatch):
    """queries/ plus broken.sql (no title_zh), in use through the paths the CLI reads."""
    import shutil

    import dashboard.catalog
    import dashboard.paths

    folder = tmp_path / "queries"
    shutil.copytree(dashboard.paths.QUERIES_DIR, folder)
    (folder / "broken.sql").write_text(
        '/* ---\ntitle = "Broken"\n--- */\nselect 1 as x\n', encoding="utf-8"
    )
    monkeypatch.setattr(dashboard.paths, "QUERIES_DIR", folder)
    monkeypatch.setattr(dashboard.catalog, "QUERIES_DIR", folder)
    return folder


def test_show_names_what_is_wrong_with_a_broken_file(db_file, capsys, folder_with_a_broken_file):
    code, out, err = run_cli(capsys, "show", "broken", "--db", str(db_file))
    assert code == 2 and out == ""
    assert "broken.sql" in err and "title_zh" in err and "kpi check" in err
    assert "unknown KPI" not in err


def test_list_says_which_files_it_left_out(capsys, folder_with_a_broken_file):
    code, out, err = run_cli(capsys, "list")
    assert code == 0
    assert "broken" not in out  # stdout: only ids that `kpi show` can run
    assert out.splitlines()[0].startswith("retention")
    assert "1 query file(s) left out" in err and "broken" in err and "kpi check" in err


def test_every_kpi_defaults_to_weeks_except_cohorts(tmp_path, capsys):
    # The contract: --grain defaults to week (cohorts: month).
    # VIP v1 (VIP since 2026-01-01): a phone call Tue 03-03 (week 03-02) and a visit
    # Wed 03-18 (week 03-16); week 03-09 has no contact. Weekly, by hand:
    #   03-02: 1 VIP, contacted 1 -> 1/1 = 1.0, phone 1, visit 0, overdue 0
    #   03-09: 1 VIP, contacted 0 -> 0/1 = 0.0; last contact 03-03 lies within the 30 days
    #          ending Sunday 03-15 (02-14 .. 03-15) -> overdue 0
    #   03-16: 1 VIP, contacted 1 -> 1.0, phone 0, visit 1, overdue 0
    path = tmp_path / "vip.duckdb"
    with pipeline.publishing_writer(path) as con:
        con.execute(
            "insert into customers (customer_id, project, region, is_vip, vip_since, joined_on) "
            "values ('v1', 'A', 'East', true, '2026-01-01', '2025-01-01')"
        )
        con.execute(
            "insert into vip_contacts (contact_id, customer_id, contacted_at, method) values "
            "('k1', 'v1', '2026-03-03 10:00', 'phone'), ('k2', 'v1', '2026-03-18 15:00', 'visit')"
        )
        con.execute(
            "insert into orders (order_id, customer_id, project, region, ordered_at) values "
            "('o1', 'v1', 'A', 'East', '2026-03-03 10:00')"
        )
    code, out, err = run_cli(capsys, "show", "vip_coverage", "--db", str(path), "--format", "csv")
    assert code == 0 and err == ""
    assert out.splitlines() == [
        "period_start,vip_customers,vip_contacted,coverage_rate,phone_contacts,visit_contacts,"
        "overdue_vips",
        "2026-03-02,1,1,1.0,1,0,0",
        "2026-03-09,1,0,0.0,0,0,0",
        "2026-03-16,1,1,1.0,0,1,0",
    ]
    for kpi in ("retention", "complaints", "satisfaction"):
        code, out, _ = run_cli(capsys, "show", kpi, "--db", str(path), "--format", "json")
        assert code == 0
        starts = [row["period_start"] for row in json.loads(out)]
        # ISO weeks start on Mondays (an empty KPI prints no periods)
        assert all(dt.date.fromisoformat(s).weekday() == 0 for s in starts), kpi
    code, out, _ = run_cli(capsys, "show", "retention", "--db", str(path), "--format", "csv")
    assert out.splitlines()[1].startswith("2026-03-02,")  # o1 on Tue 03-03: week 03-02
    code, out, _ = run_cli(capsys, "show", "cohorts", "--db", str(path), "--format", "csv")
    assert out.splitlines()[1].startswith("2026-03-01,")  # month grain
