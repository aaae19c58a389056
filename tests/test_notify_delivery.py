"""`kpi notify` against local robots (pytest-httpserver): signatures checked with the test's
own HMAC code, once per period, retries, robot error codes, crashes, secrets, size limits.

The data are tests/report_fixture.py (report week 2026-W47, Nov 16-22); the runs are at
Monday 2026-11-23 09:30 Asia/Shanghai unless said otherwise.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import duckdb
import pytest
from notify_fixture import (
    DING_SECRET,
    DING_TOKEN,
    FEISHU_SECRET,
    MONDAY_AFTER,
    WECOM_KEY,
    expected_dingtalk_sign,
    expected_feishu_sign,
    make_db,
    notify,
    write_settings,
)
from pytest_httpserver import HTTPServer

from dashboard.notify import log as delivery_log
from dashboard.pipeline import publishing_writer as writer

OK = {"errcode": 0, "errmsg": "ok"}


def robots(server: HTTPServer) -> str:
    """Channels for a DingTalk (signed), Feishu (signed), WeCom robot and a webhook."""
    return f"""
    [notify]
    dashboard_url = "http://kpi.example.com/"
    retry_backoff_seconds = 0.01
    retries = 2
    [[notify.channels]]
    name = "ding"
    type = "dingtalk"
    url = "{server.url_for("/robot/send")}?access_token={DING_TOKEN}"
    secret = "{DING_SECRET}"
    [[notify.channels]]
    name = "lark"
    type = "feishu"
    url = "{server.url_for("/open-apis/bot/v2/hook/abc")}"
    secret = "{FEISHU_SECRET}"
    [[notify.channels]]
    name = "wecom"
    type = "wecom"
    url = "{server.url_for("/cgi-bin/webhook/send")}?key={WECOM_KEY}"
    [[notify.channels]]
    name = "hook"
    type = "webhook"
    url = "{server.url_for("/hook")}"
    """


def weekly(channels: str, lang: str = "en", extra: str = "") -> str:
    return f"""
    [[notify.rules]]
    name = "weekly"
    type = "weekly_report"
    schedule = "mon 09:00"
    channels = [{channels}]
    lang = "{lang}"
    {extra}
    """


def requests_to(server: HTTPServer, path: str) -> list:
    return [req for req, _ in server.log if req.path == path]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_db(tmp_path)


def log_rows(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select rule, period, channel, status, attempts, answer from notify_deliveries "
            "order by rule, channel"
        ).fetchall()
    finally:
        con.close()


def attempt_rows(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select channel, attempt, ok, answer from notify_attempts order by channel, attempt"
        ).fetchall()
    finally:
        con.close()


def test_dingtalk_is_signed_names_the_week_and_is_sent_once(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/robot/send", method="POST").respond_with_json(OK)
    settings = write_settings(tmp_path, robots(httpserver) + weekly('"ding"'))
    before = int(time.time() * 1000)
    code, out, _ = notify(capsys, db, settings, "--at", MONDAY_AFTER)
    assert code == 0, out
    assert "sent" in out and "weekly/2026-W47/ding" in out

    # Run again the same day and later that week: nothing new is sent.
    for moment in (MONDAY_AFTER, "2026-11-23 18:00", "2026-11-29 23:59"):
        code, out, _ = notify(capsys, db, settings, "--at", moment)
        assert code == 0 and "already sent" in out
    (request,) = requests_to(httpserver, "/robot/send")

    query = parse_qs(urlsplit(request.url).query)
    assert query["access_token"] == [DING_TOKEN]
    timestamp = query["timestamp"][0]
    assert before <= int(timestamp) <= int(time.time() * 1000)  # milliseconds, now
    assert query["sign"][0] == expected_dingtalk_sign(DING_SECRET, timestamp)
    # The sign is URL-encoded on the wire ('+', '/' and '=' escaped).
    raw_sign = request.query_string.decode().split("sign=")[1].split("&")[0]
    assert unquote(raw_sign) == query["sign"][0] and "+" not in raw_sign and "/" not in raw_sign

    body = request.get_json()
    assert body["msgtype"] == "markdown"
    text = body["markdown"]["text"]
    assert "2026-W47" in body["markdown"]["title"]
    assert "Week 2026-W47 (2026-11-16 – 2026-11-22)" in text
    # SLA attainment W47: k1 met (12 h), k2 48 h, k3 and k4 open -> 1/4; W46: k5 met -> 1/1.
    assert (
        # 4 complaints are under the settings' min_cases (5): no verdict, as on the dashboard.
        "SLA attainment: 25.0% · -75.0 pp vs previous week · too few cases (n = 4)" in text
    )
    # Backlog at the end of W47: k3 and k4 open = 2 (W46: 0), target at most 30.
    assert "Open backlog: 2 · +2 vs previous week · ✅ on target (target 30)" in text
    # Active customers W47: c1, c2, c5, c3 = 4; W46: c1, c2, c3, c4 = 4.
    assert "Active customers: 4 · +0 vs previous week" in text
    assert "[Open the dashboard](http://kpi.example.com/?lang=en&to=2026-11-22)" in text
    assert log_rows(db) == [
        ("weekly", "2026-W47", "ding", "sent", 1, 'HTTP 200: { "errcode": 0, "errmsg": "ok" }')
    ]


def test_feishu_signature_and_wecom(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/open-apis/bot/v2/hook/abc").respond_with_json(
        {"code": 0, "msg": "success"}
    )
    httpserver.expect_request("/cgi-bin/webhook/send").respond_with_json(OK)
    settings = write_settings(tmp_path, robots(httpserver) + weekly('"lark", "wecom"', lang="zh"))
    before = int(time.time())
    code, out, _ = notify(capsys, db, settings, "--at", MONDAY_AFTER)
    assert code == 0, out

    (lark,) = requests_to(httpserver, "/open-apis/bot/v2/hook/abc")
    body = lark.get_json()
    assert before <= int(body["timestamp"]) <= int(time.time())  # seconds
    assert body["sign"] == expected_feishu_sign(FEISHU_SECRET, body["timestamp"])
    post = body["content"]["post"]["zh_cn"]
    assert post["title"] == "每周KPI周报 2026-W47"
    texts = [el.get("text") for row in post["content"] for el in row]
    assert "周次 2026-W47（2026-11-16 至 2026-11-22）" in texts
    links = [el for row in post["content"] for el in row if el["tag"] == "a"]
    assert links == [
        {"tag": "a", "text": "打开看板", "href": "http://kpi.example.com/?lang=zh&to=2026-11-22"}
    ]

    (wecom,) = requests_to(httpserver, "/cgi-bin/webhook/send")
    assert parse_qs(urlsplit(wecom.url).query) == {"key": [WECOM_KEY]}  # no signature fields
    content = wecom.get_json()["markdown"]["content"]
    assert "按时办结率：25.0%" in content and "较上周 -75.0 个百分点" in content


def test_500_then_200_is_retried_within_the_run(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_oneshot_request("/robot/send").respond_with_data("overloaded", status=500)
    httpserver.expect_request("/robot/send").respond_with_json(OK)
    settings = write_settings(tmp_path, robots(httpserver) + weekly('"ding"'))
    code, out, _ = notify(capsys, db, settings, "--at", MONDAY_AFTER)
    assert code == 0, out
    assert len(requests_to(httpserver, "/robot/send")) == 2
    assert log_rows(db)[0][3:5] == ("sent", 2)
    attempts = attempt_rows(db)
    assert [(a[1], a[2]) for a in attempts] == [(1, False), (2, True)]
    assert attempts[0][3] == "HTTP 500: overloaded"  # the channel's answer is logged


def test_error_code_in_a_200_answer_fails_and_the_next_run_retries(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused = {"errcode": 310000, "errmsg": "keywords not in content"}
    httpserver.expect_request("/robot/send").respond_with_json(refused)
    settings = write_settings(tmp_path, robots(httpserver) + weekly('"ding"'))
    code, out, _ = notify(capsys, db, settings, "--at", MONDAY_AFTER)
    assert code == 1 and "FAILED" in out and "310000" in out
    assert "kpi notify at 2026-11-23 09:30 (Asia/Shanghai): 1 failed" in out
    assert len(requests_to(httpserver, "/robot/send")) == 3  # 1 + retries = 2
    assert log_rows(db)[0][3:5] == ("failed", 3)

    code, _, _ = notify(capsys, db, settings, "--at", "2026-11-23 09:45")
    assert code == 1  # still failing: still non-zero
    assert len(requests_to(httpserver, "/robot/send")) == 6

    httpserver.clear_all_handlers()
    httpserver.expect_request("/robot/send").respond_with_json(OK)
    code, out, _ = notify(capsys, db, settings, "--at", "2026-11-23 10:00")
    assert code == 0 and " sent  weekly/2026-W47/ding" in out
    code, out, _ = notify(capsys, db, settings, "--at", "2026-11-23 10:15")
    assert code == 0 and "already sent" in out
    assert len(requests_to(httpserver, "/robot/send")) == 7
    assert log_rows(db)[0][3:5] == ("sent", 7)
    failures = [a for a in attempt_rows(db) if not a[2]]
    assert len(failures) == 6 and all("310000" in a[3] for a in failures)


def test_unreachable_channel_fails_with_a_clear_answer(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests_ui_support import free_port

    settings = write_settings(
        tmp_path,
        f"""
    [notify]
    dashboard_url = "http://kpi.example.com/"
    retry_backoff_seconds = 0
    [[notify.channels]]
    name = "ding"
    type = "dingtalk"
    url = "http://127.0.0.1:{free_port()}/robot/send?access_token={DING_TOKEN}"
    """
        + weekly('"ding"'),
    )
    code, out, _ = notify(capsys, db, settings, "--at", MONDAY_AFTER)
    assert code == 1 and "connection failed" in out
    assert DING_TOKEN not in out


def test_crash_between_send_and_log_is_never_sent_twice(
    httpserver: HTTPServer,
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At most once: a run killed after the robot accepted but before the log said so
    leaves 'sending'; later runs report it as unknown (exit 1) and do not send it again
    until an operator decides."""
    httpserver.expect_request("/robot/send").respond_with_json(OK)
    settings = write_settings(tmp_path, robots(httpserver) + weekly('"ding"'))

    class Killed(BaseException):
        pass

    real_save = delivery_log.save
    calls = []

    def save_then_die(db_path, delivery, attempts=()):  # noqa: ANN001, ANN202
        calls.append(delivery.status)
        if delivery.status != "sending":
            raise Killed  # the process dies after the send, before logging it
        return real_save(db_path, delivery, attempts)

    monkeypatch.setattr(delivery_log, "save", save_then_die)
    with pytest.raises(Killed):
        notify(capsys, db, settings, "--at", MONDAY_AFTER)
    monkeypatch.setattr(delivery_log, "save", real_save)
    assert calls == ["sending", "sent"]
    assert len(requests_to(httpserver, "/robot/send")) == 1
    assert log_rows(db)[0][3] == "sending"

    for moment in (MONDAY_AFTER, "2026-11-24 09:00"):
        code, out, _ = notify(capsys, db, settings, "--at", moment)
        assert code == 1 and "UNKNOWN  weekly/2026-W47/ding" in out and "--mark-sent" in out
    assert len(requests_to(httpserver, "/robot/send")) == 1  # no duplicate

    # The operator finds the message in the chat and says so: exit 0 from then on.
    code, out, _ = notify(capsys, db, settings, "--mark-sent", "weekly/2026-W47/ding")
    assert code == 0 and "sent" in out
    code, _, _ = notify(capsys, db, settings, "--at", "2026-11-24 10:00")
    assert code == 0 and len(requests_to(httpserver, "/robot/send")) == 1

    # Or it did not arrive: --resend lets the next run send it, once.
    code, _, _ = notify(capsys, db, settings, "--resend", "weekly/2026-W47/ding")
    assert code == 0
    for moment in ("2026-11-24 11:00", "2026-11-24 12:00"):
        assert notify(capsys, db, settings, "--at", moment)[0] == 0
    assert len(requests_to(httpserver, "/robot/send")) == 2


def test_secrets_never_reach_output_or_the_log(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A robot that echoes the request (URL with token and the signature) in its error.
    echo = f"bad request to /robot/send?access_token={DING_TOKEN}, secret {DING_SECRET}"
    httpserver.expect_request("/robot/send").respond_with_data(echo, status=400)
    settings = write_settings(tmp_path, robots(httpserver) + weekly('"ding"'))
    code, out, err = notify(capsys, db, settings, "--at", MONDAY_AFTER)
    assert code == 1
    dry = notify(capsys, db, settings, "--at", MONDAY_AFTER, "--dry-run")
    listing = notify(capsys, db, settings, "--log")
    con = duckdb.connect(str(db), read_only=True)
    stored = json.dumps(
        con.execute("select * from notify_deliveries").fetchall()
        + con.execute("select * from notify_attempts").fetchall(),
        default=str,
    )
    con.close()
    everything = "\n".join([out, err, *dry[1:], *listing[1:], stored])
    assert "HTTP 400" in stored and "***" in stored
    for secret in (DING_SECRET, DING_TOKEN):
        assert secret not in everything


def test_dry_run_prints_every_message_in_full_and_sends_nothing(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = write_settings(tmp_path, robots(httpserver) + weekly('"ding", "hook"'))
    code, out, err = notify(capsys, db, settings, "--at", MONDAY_AFTER, "--dry-run")
    assert code == 0
    assert httpserver.log == []
    assert "=== weekly · 2026-W47 → ding (dingtalk) ===" in out
    assert "SLA attainment: 25.0%" in out and "Overdue VIPs: 1" in out
    assert json.loads(out.split("→ hook (webhook) ===\n")[1].strip())["period"] == "2026-W47"
    assert "would send" in err
    con = duckdb.connect(str(db), read_only=True)
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    con.close()
    assert "notify_deliveries" not in tables  # nothing logged


def test_not_due_before_the_scheduled_time(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = write_settings(tmp_path, robots(httpserver) + weekly('"ding"'))
    code, out, _ = notify(capsys, db, settings, "--at", "2026-11-23 08:59")
    assert code == 0 and "kpi notify at 2026-11-23 08:59 (Asia/Shanghai): nothing due" in out
    assert httpserver.log == []


def threshold(min_cases: int, extra: str = "") -> str:
    return f"""
    [[notify.rules]]
    name = "sla-low"
    type = "threshold"
    kpi = "complaints"
    metric = "sla_met_rate"
    below = 0.9
    min_cases = {min_cases}
    channels = ["hook"]
    {extra}
    """


def test_threshold_does_not_fire_on_too_few_cases(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    # W47 has 4 complaints opened: with min_cases 5 the 25 % is not enough to alert.
    settings = write_settings(tmp_path, robots(httpserver) + threshold(5))
    code, out, _ = notify(capsys, db, settings, "--at", MONDAY_AFTER)
    assert code == 0 and "nothing to send" in out and "only 4 cases" in out
    assert httpserver.log == []

    settings = write_settings(tmp_path, robots(httpserver) + threshold(4))
    code, out, _ = notify(capsys, db, settings, "--at", MONDAY_AFTER)
    assert code == 0
    (request,) = requests_to(httpserver, "/hook")
    body = request.get_json()
    assert body["period"] == "2026-W47" and body["value"] == 0.25 and body["cases"] == 4
    assert body["previous"] == 1.0 and body["change"] == pytest.approx(-75.0)  # points
    assert body["title"] == "Alert: SLA attainment below 90.0% in 2026-W47"
    assert body["link"] == "http://kpi.example.com/complaints?lang=en&to=2026-11-16"


def test_threshold_change_in_points_and_scope(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    rule = """
    [[notify.rules]]
    name = "sla-drop-A"
    type = "threshold"
    kpi = "complaints"
    metric = "sla_met_rate"
    change_below = -40
    channels = ["hook"]
    scope = { projects = ["A"] }
    """
    settings = write_settings(tmp_path, robots(httpserver) + rule)
    code, out, _ = notify(capsys, db, settings, "--at", MONDAY_AFTER)
    assert code == 0, out
    body = requests_to(httpserver, "/hook")[0].get_json()
    # Project A: W47 k1 met, k3 open -> 1/2; W46 k5 met -> 1/1: a fall of 50 points.
    assert body["value"] == 0.5 and body["change"] == pytest.approx(-50.0)
    assert body["projects"] == ["A"]
    assert "project=A" in body["link"] and "fell by more than 40.0 pp" in body["title"]
    # A fall of 50 points does not cross -60.
    settings = write_settings(
        tmp_path, robots(httpserver) + rule.replace("-40", "-60").replace("sla-drop-A", "x")
    )
    code, out, _ = notify(capsys, db, settings, "--at", MONDAY_AFTER)
    assert code == 0 and "no limit crossed" in out
    assert len(requests_to(httpserver, "/hook")) == 1


def test_scoped_weekly_report_shows_the_department_view(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    settings = write_settings(
        tmp_path, robots(httpserver) + weekly('"hook"', extra='scope = { projects = ["A"] }')
    )
    assert notify(capsys, db, settings, "--at", MONDAY_AFTER)[0] == 0
    body = requests_to(httpserver, "/hook")[0].get_json()
    numbers = {h["key"]: h["value"] for h in body["headlines"]}
    # Project A in W47: customers c1, c2, c5 ordered (3); complaints k1, k3 (2), 1 met.
    assert numbers["active_customers"] == 3 and numbers["opened"] == 2
    assert numbers["sla_met_rate"] == 0.5
    assert "Projects: A" in body["text"] and body["link"].endswith("to=2026-11-22&project=A")


def add_breaches(db: Path, count: int) -> None:
    """``count`` open complaints of project A opened 2026-11-10: long past their 24 h SLA."""
    with writer(db) as con:
        con.execute(
            "insert into complaints (complaint_id, customer_id, project, region, category, "
            "channel, severity, opened_at) select 'x' || lpad(i::varchar, 4, '0'), 'c1', 'A', "
            "'East', '物业维修报修', 'hotline', 'high', timestamp '2026-11-10 08:00' "
            "+ i * interval 1 minute from range($n) t(i)",
            {"n": count},
        )


def breaches_rule(channel: str, lang: str = "en") -> str:
    return f"""
    [[notify.rules]]
    name = "desk"
    type = "open_sla_breaches"
    schedule = "daily 08:30"
    channels = ["{channel}"]
    lang = "{lang}"
    max_items = 1000
    """


def test_open_sla_breaches_list_how_long_overdue_now(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    settings = write_settings(tmp_path, robots(httpserver) + breaches_rule("hook"))
    # At Sunday 2026-11-22 14:00: k3 (opened Fri 08:00) is 54 h open, 30 h past 24 h; k4
    # (opened Sun 12:00) is 2 h open: not past; k2 was resolved on the 20th.
    assert notify(capsys, db, settings, "--at", "2026-11-22 14:00")[0] == 0
    body = requests_to(httpserver, "/hook")[0].get_json()
    assert body["period"] == "2026-11-22" and body["count"] == 1
    assert body["complaints"] == [{"complaint_id": "k3", "project": "A", "hours_overdue": 30.0}]
    assert "k3 · A · repair · opened 2026-11-20 08:00 · 30.0 h past the 24 h SLA" in body["text"]
    assert body["link"] == "http://kpi.example.com/complaints?lang=en"
    # Monday 13:00: k4 is 25 h open -> 1 h past; k3 53 h past. Most overdue first.
    assert notify(capsys, db, settings, "--at", "2026-11-23 13:00")[0] == 0
    body = requests_to(httpserver, "/hook")[1].get_json()
    assert [(c["complaint_id"], c["hours_overdue"]) for c in body["complaints"]] == [
        ("k3", 53.0),
        ("k4", 1.0),
    ]


def test_wecom_and_dingtalk_size_limits_keep_the_link(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_breaches(db, 400)
    httpserver.expect_request("/cgi-bin/webhook/send").respond_with_json(OK)
    httpserver.expect_request("/robot/send").respond_with_json(OK)
    httpserver.expect_request("/open-apis/bot/v2/hook/abc").respond_with_json({"code": 0})
    settings = write_settings(
        tmp_path,
        robots(httpserver)
        + breaches_rule("wecom", "zh")
        + breaches_rule("ding").replace('"desk"', '"desk2"')
        + breaches_rule("lark").replace('"desk"', '"desk3"'),
    )
    assert notify(capsys, db, settings, "--at", MONDAY_AFTER)[0] == 0
    content = requests_to(httpserver, "/cgi-bin/webhook/send")[0].get_json()["markdown"]["content"]
    assert len(content.encode("utf-8")) <= 4096  # WeCom's markdown limit, in bytes
    assert "超时未办结投诉：401 件" in content  # 400 + k3
    shown = content.count("\n- ")
    assert 10 < shown < 401 and f"另有 {401 - shown} 条，请查看看板" in content
    assert content.endswith("[打开看板](http://kpi.example.com/complaints?lang=zh)")

    ding = requests_to(httpserver, "/robot/send")[0]
    assert len(ding.get_data()) <= 20_000  # DingTalk's request limit
    text = ding.get_json()["markdown"]["text"]
    assert "Open complaints past their SLA: 401" in text and "more: see the dashboard" in text
    assert text.count("\n- ") > shown  # the bigger limit shows more of the list

    lark = requests_to(httpserver, "/open-apis/bot/v2/hook/abc")[0]
    assert len(lark.get_data()) <= 20 * 1024  # Feishu's request limit
    rows = lark.get_json()["content"]["post"]["en_us"]["content"]
    assert rows[-1] == [{"tag": "a", "text": "Open the dashboard",
                         "href": "http://kpi.example.com/complaints?lang=en"}]  # fmt: skip
    assert "more: see the dashboard" in rows[-2][0]["text"]


def test_overdue_vips_call_list(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    rule = """
    [[notify.rules]]
    name = "vip-calls"
    type = "overdue_vips"
    schedule = "mon 08:00"
    channels = ["hook"]
    lang = "zh"
    """
    settings = write_settings(tmp_path, robots(httpserver) + rule)
    assert notify(capsys, db, settings, "--at", MONDAY_AFTER)[0] == 0
    body = requests_to(httpserver, "/hook")[0].get_json()
    # As of 2026-11-23: c3 last called 2026-10-01 (53 days ago); c1 called 2026-11-18.
    assert body["period"] == "2026-W48" and body["count"] == 1
    assert body["vips"] == [{"customer_id": "c3", "project": "B", "days_since_contact": 53.0}]
    assert "c3 王五 · B · 最近回访 2026-10-01 10:00（53 天前）" in body["text"]
    assert body["link"] == "http://kpi.example.com/vip?lang=zh"


def test_unknown_rule_and_bad_settings_are_usage_errors(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = write_settings(tmp_path, robots(httpserver) + weekly('"ding"'))
    code, _, err = notify(capsys, db, settings, "--rule", "nosuch")
    assert code == 2 and "no notify rule named 'nosuch' (rules: weekly)" in err
    settings = write_settings(tmp_path, robots(httpserver) + weekly('"ding", "nobody"'))
    code, _, err = notify(capsys, db, settings)
    assert code == 2 and "unknown channel 'nobody'" in err and "Traceback" not in err


def test_kpi_schedule_calls_the_same_logic(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dashboard.cli import main

    httpserver.expect_request("/hook").respond_with_data("ok")
    # Due every day from 00:00: whatever today is, the last complete week's report is due.
    rule = weekly('"hook"').replace("mon 09:00", "daily 00:00")
    settings = write_settings(tmp_path, robots(httpserver) + rule)
    args = ["schedule", "--db", str(db), "--settings", str(settings), "--interval", "0.01"]
    assert main([*args, "--runs", "3"]) == 0
    # Three evaluations in the same minute: last week's report is delivered once.
    assert len(requests_to(httpserver, "/hook")) == 1
    assert "sent  weekly/" in capsys.readouterr().out


def test_a_week_without_data_says_so(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    settings = write_settings(tmp_path, robots(httpserver) + weekly('"hook"', lang="zh"))
    # Monday 2027-01-04: the last complete week is 2026-W53; the data end on 2026-11-25.
    assert notify(capsys, db, settings, "--at", "2027-01-04 09:00")[0] == 0
    body = requests_to(httpserver, "/hook")[0].get_json()
    assert body["period"] == "2026-W53" and body["first"] == "2026-12-28"
    assert "本周暂无数据（最新数据：2026-11-25）" in body["text"]


def test_threshold_alert_in_chinese(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/robot/send").respond_with_json(OK)
    rule = threshold(4).replace('channels = ["hook"]', 'channels = ["ding"]\n    lang = "zh"')
    settings = write_settings(tmp_path, robots(httpserver) + rule)
    assert notify(capsys, db, settings, "--at", MONDAY_AFTER)[0] == 0
    markdown = requests_to(httpserver, "/robot/send")[0].get_json()["markdown"]
    assert markdown["title"] == "预警：2026-W47 按时办结率低于 90.0%"
    assert "按时办结率：25.0% · 较上周 -75.0 个百分点 · ❌ 未达标（目标 90.0%）" in markdown["text"]
    assert "基于 4 个样本（新增投诉）" in markdown["text"]
    assert "(http://kpi.example.com/complaints?lang=zh&to=2026-11-16)" in markdown["text"]


def test_a_real_kill_while_the_robot_answers_is_not_resent(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`kpi notify` in its own process, SIGKILLed by the robot while it receives the message:
    the message arrived, the outcome was never logged. No later run sends it again."""
    import os
    import signal
    import subprocess
    import sys

    from werkzeug import Response

    settings = write_settings(tmp_path, robots(httpserver) + weekly('"ding"'))
    child: dict[str, subprocess.Popen] = {}

    def kill_the_sender(request):  # noqa: ANN001, ANN202
        os.kill(child["process"].pid, signal.SIGKILL)
        child["process"].wait(timeout=10)
        return Response(json.dumps(OK), content_type="application/json")

    httpserver.expect_request("/robot/send").respond_with_handler(kill_the_sender)
    root = Path(__file__).resolve().parent.parent
    child["process"] = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dashboard.cli",
            "notify",
            "--db",
            str(db),
            "--settings",
            str(settings),
            "--at",
            MONDAY_AFTER,
        ],  # fmt: skip
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert child["process"].wait(timeout=60) == -signal.SIGKILL
    deadline = time.monotonic() + 10  # the server logs the request once its handler returned
    while not requests_to(httpserver, "/robot/send") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(requests_to(httpserver, "/robot/send")) == 1
    assert log_rows(db)[0][3] == "sending"

    code, out, _ = notify(capsys, db, settings, "--at", "2026-11-23 09:35")
    assert code == 1 and "UNKNOWN  weekly/2026-W47/ding" in out
    assert len(requests_to(httpserver, "/robot/send")) == 1


def test_as_user_takes_the_users_scope_once_sign_in_provides_it(
    httpserver: HTTPServer,
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The glue to the sign-in issue (#15): ``dashboard.access.user_scope`` reads the users
    file (here ``users.toml`` beside the database, written by ``kpi users add``)."""
    from dashboard.cli import main

    assert main(["users", "add", "zhang", "--role", "department_head", "--project", "B",
                 "--db", str(db)]) == 0  # fmt: skip
    httpserver.expect_request("/hook").respond_with_data("ok")
    settings = write_settings(
        tmp_path, robots(httpserver) + weekly('"hook"', extra='as_user = "zhang"')
    )
    assert notify(capsys, db, settings, "--at", MONDAY_AFTER)[0] == 0
    body = requests_to(httpserver, "/hook")[0].get_json()
    numbers = {h["key"]: h["value"] for h in body["headlines"]}
    # Project B in W47: c3 ordered (1 active); complaints k2 (48 h, not met) and k4 (open).
    assert body["projects"] == ["B"] and numbers["active_customers"] == 1
    assert numbers["opened"] == 2 and numbers["sla_met_rate"] == 0.0

    # A dry run --as-user of a rule scoped to a project outside the user's scope: an error.
    scoped = write_settings(
        tmp_path, robots(httpserver) + weekly('"hook"', extra='scope = { projects = ["A"] }')
    )
    code, out, err = notify(
        capsys, db, scoped, "--at", MONDAY_AFTER, "--dry-run", "--as-user", "zhang"
    )
    assert code == 2 and "project 'A' is outside the user's scope" in err and out == ""

    # An as_user that is not in the users file: a configuration error naming it.
    ghost = write_settings(
        tmp_path, robots(httpserver) + weekly('"hook"', extra='as_user = "ghost"')
    )
    code, _, err = notify(capsys, db, ghost, "--at", MONDAY_AFTER)
    assert code == 2 and "unknown user 'ghost'" in err


def test_weekly_report_verdicts_follow_the_settings_min_cases(
    httpserver: HTTPServer, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    settings = write_settings(tmp_path, "min_cases = 1\n" + robots(httpserver) + weekly('"hook"'))
    assert notify(capsys, db, settings, "--at", MONDAY_AFTER)[0] == 0
    body = requests_to(httpserver, "/hook")[0].get_json()
    sla = next(h for h in body["headlines"] if h["key"] == "sla_met_rate")
    assert (sla["value"], sla["n"], sla["too_few"], sla["status"]) == (0.25, 4, False, "red")
    assert (
        "SLA attainment: 25.0% · -75.0 pp vs previous week · ❌ off target (target 90.0%)"
        in body["text"]
    )
