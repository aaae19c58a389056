"""The issue's "done when": one `kpi notify` to local DingTalk, Feishu, WeCom and SMTP
receivers, a failure on the way; every message signed, delivered once, retried, naming the
right week and numbers and linking back to the dashboard."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from notify_fixture import (
    DING_SECRET,
    DING_TOKEN,
    FEISHU_SECRET,
    WECOM_KEY,
    Inbox,
    expected_dingtalk_sign,
    expected_feishu_sign,
    make_db,
    notify,
    write_settings,
)
from pytest_httpserver import HTTPServer
from tests_ui_support import free_port

OK = {"errcode": 0, "errmsg": "ok"}


def test_every_channel_signed_once_retried_right_week_and_link(
    httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = make_db(tmp_path)
    # DingTalk fails once (500), Feishu answers its own error code once, then both accept.
    httpserver.expect_oneshot_request("/robot/send").respond_with_data("busy", status=500)
    httpserver.expect_request("/robot/send").respond_with_json(OK)
    httpserver.expect_oneshot_request("/open-apis/bot/v2/hook/x").respond_with_json(
        {"code": 9499, "msg": "bad"}
    )
    httpserver.expect_request("/open-apis/bot/v2/hook/x").respond_with_json({"code": 0})
    httpserver.expect_request("/cgi-bin/webhook/send").respond_with_json(OK)
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        settings = write_settings(
            tmp_path,
            f"""
        [notify]
        dashboard_url = "http://kpi.example.com/"
        retry_backoff_seconds = 0.01
        [[notify.channels]]
        name = "ding"
        type = "dingtalk"
        url = "{httpserver.url_for("/robot/send")}?access_token={DING_TOKEN}"
        secret = "{DING_SECRET}"
        [[notify.channels]]
        name = "lark"
        type = "feishu"
        url = "{httpserver.url_for("/open-apis/bot/v2/hook/x")}"
        secret = "{FEISHU_SECRET}"
        [[notify.channels]]
        name = "wecom"
        type = "wecom"
        url = "{httpserver.url_for("/cgi-bin/webhook/send")}?key={WECOM_KEY}"
        [[notify.channels]]
        name = "mail"
        type = "email"
        smtp_host = "127.0.0.1"
        smtp_port = {smtp.port}
        from = "kpi@example.com"
        to = ["ceo@example.com"]
        [[notify.rules]]
        name = "weekly-report"
        type = "weekly_report"
        schedule = "mon 09:00"
        channels = ["ding", "lark", "wecom", "mail"]
        lang = "zh"
        """,
        )
        for moment in ("2026-11-23 09:00", "2026-11-23 09:05", "2026-11-25 18:00"):
            code, out, _ = notify(capsys, db, settings, "--at", moment)
            assert code == 0, out
    finally:
        smtp.stop()

    dings = [r for r, _ in httpserver.log if r.path == "/robot/send"]
    larks = [r for r, _ in httpserver.log if r.path == "/open-apis/bot/v2/hook/x"]
    wecoms = [r for r, _ in httpserver.log if r.path == "/cgi-bin/webhook/send"]
    assert (len(dings), len(larks), len(wecoms), len(inbox.messages)) == (
        2,
        2,
        1,
        1,
    )  # retried, once
    for request in dings:
        query = parse_qs(urlsplit(request.url).query)
        assert query["sign"][0] == expected_dingtalk_sign(DING_SECRET, query["timestamp"][0])
    for request in larks:
        body = request.get_json()
        assert body["sign"] == expected_feishu_sign(FEISHU_SECRET, body["timestamp"])

    # Every message: W47 with its dates, SLA attainment 1 of 4 = 25.0 % (W46: 1 of 1), link.
    texts = [
        dings[-1].get_json()["markdown"]["text"],
        str(larks[-1].get_json()["content"]),
        wecoms[0].get_json()["markdown"]["content"],
        message_from_bytes(inbox.messages[0][1], policy=policy.default)
        .get_body(("html",))
        .get_content(),
    ]
    for text in texts:
        assert "2026-W47" in text and "2026-11-16" in text and "2026-11-22" in text
        assert "按时办结率：25.0%" in text and "-75.0 个百分点" in text
        assert "http://kpi.example.com/?lang=zh&" in text and "to=2026-11-22" in text
