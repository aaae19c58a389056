"""Message fitting, links, redaction, robots' answers and the generic webhook's signature."""

from __future__ import annotations

import hashlib
import hmac
import json
import tomllib
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from pytest_httpserver import HTTPServer

from dashboard.notify.channels import _robot_answer, payload, redact, send
from dashboard.notify.config import Channel, NotifyConfigError, parse_notify
from dashboard.notify.messages import Message, dashboard_link, fit, utf8_len
from dashboard.notify.rules import past_sla_now


def message(items: int, lang: str = "en") -> Message:
    return Message(
        rule="r", period="2026-W47", lang=lang, title="Title", lines=("line one", "line two"),
        items=tuple(f"item {i:03d} 投诉" for i in range(items)), link="http://kpi/x?lang=en",
    )  # fmt: skip


def test_fit_keeps_lines_and_link_and_says_how_many_were_cut() -> None:
    full = message(500)
    fitted = fit(full, lambda m: utf8_len(m.markdown()), 1000)
    text = fitted.markdown()
    assert utf8_len(text) <= 1000
    assert "line one" in text and "line two" in text and text.endswith("(http://kpi/x?lang=en)")
    shown = len(fitted.items)
    assert 0 < shown < 500 and f"… and {500 - shown} more: see the dashboard" in text
    # As many as fit: one more item would not.
    one_more = fit(full, lambda m: utf8_len(m.markdown()), utf8_len(text) + 1)
    assert len(one_more.items) == shown
    assert fit(message(3), lambda m: utf8_len(m.markdown()), 1000) == message(3)  # untouched


def test_wecom_payload_within_4096_bytes_of_chinese_text() -> None:
    channel = Channel("w", "wecom", url="http://x/?key=k")
    fitted, body = payload(channel, message(2000, "zh"))
    assert utf8_len(body["markdown"]["content"]) <= 4096
    assert "另有" in body["markdown"]["content"]
    assert len(fitted.items) < 2000


def test_link_carries_the_filters_url_encoded() -> None:
    link = dashboard_link("http://kpi.example.com/", "complaints", lang="zh", projects=["华泰", "B&C"],
                          regions=["华东"], grain="month", date_to="2026-06-01")  # fmt: skip
    parts = urlsplit(link)
    assert parts.path == "/complaints"
    assert parse_qs(parts.query) == {
        "lang": ["zh"], "grain": ["month"], "to": ["2026-06-01"], "region": ["华东"],
        "project": ["华泰", "B&C"],
    }  # fmt: skip
    assert dashboard_link("", "x", lang="en") == ""  # no dashboard_url: no link


def test_redact_removes_secrets_and_url_tokens() -> None:
    text = "POST /send?access_token=abc123&timestamp=1&sign=x%2By failed; secret SECxyz9 sent"
    clean = redact(text, ["SECxyz9"])
    assert "abc123" not in clean and "SECxyz9" not in clean and "x%2By" not in clean
    assert "timestamp=1" in clean


@pytest.mark.parametrize(
    ("kind", "body", "ok"),
    [
        ("dingtalk", '{"errcode":0,"errmsg":"ok"}', True),
        ("dingtalk", '{"errcode":310000,"errmsg":"sign not match"}', False),
        ("wecom", '{"errcode":93000,"errmsg":"invalid webhook url"}', False),
        ("feishu", '{"code":0,"msg":"success"}', True),
        ("feishu", '{"code":19021,"msg":"sign match fail"}', False),
        ("feishu", '{"StatusCode":0,"StatusMessage":"success"}', True),
        ("dingtalk", "ok", True),  # not JSON: the HTTP status decides
        ("webhook", '{"errcode":1}', True),  # a generic webhook: only the status counts
    ],
)
def test_robot_error_codes_in_200_answers(kind: str, body: str, ok: bool) -> None:
    assert _robot_answer(kind, 200, body).ok is ok


def test_generic_webhook_signature(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    channel = Channel("h", "webhook", url=httpserver.url_for("/hook"), secret="hook-secret-1")
    answer = send(channel, message(2), timeout=5)
    assert answer.ok and answer.answer == "HTTP 200: ok"
    ((request, _),) = httpserver.log
    stamp, body = request.headers["X-KPI-Timestamp"], request.get_data()
    expected = hmac.new(b"hook-secret-1", f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert request.headers["X-KPI-Signature"] == f"sha256={expected}"
    data = json.loads(body)
    assert data["title"] == "Title" and data["link"] == "http://kpi/x?lang=en"


def test_rate_limits_written_as_percentages_are_refused() -> None:
    text = """
    dashboard_url = "http://kpi/"
    [[channels]]
    name = "h"
    type = "webhook"
    url = "http://x/"
    [[rules]]
    name = "t"
    type = "threshold"
    kpi = "complaints"
    metric = "sla_met_rate"
    below = 90
    channels = ["h"]
    """
    with pytest.raises(
        NotifyConfigError,
        match=r"'notify.rules\[0\] \(t\).below' sla_met_rate is a rate.*0.9 for 90",
    ):
        parse_notify(tomllib.loads(text))


def test_past_sla_now_on_both_clocks() -> None:
    moment = datetime(2026, 6, 29, 9, 0)  # 15 h before the end of the day
    today = [
        # calendar clock, 24 h SLA, 40 h open at midnight -> 25 h now -> 1 h past
        {"complaint_id": "a", "hours_open": 40.0, "sla_hours": 24.0},
        # 38 h at midnight -> 23 h now: not yet past (crosses at 10:00)
        {"complaint_id": "b", "hours_open": 38.0, "sla_hours": 24.0, "sla_clock": "calendar"},
        # business clock: past its 9 working hours by the end of yesterday (12 h) -> listed, 3 h
        {"complaint_id": "c", "hours_open": 60.0, "sla_hours": 9.0, "sla_clock": "business",
         "business_hours_open": 20.0},
        # business clock, not yet past at the end of yesterday: tomorrow's list
        {"complaint_id": "d", "hours_open": 30.0, "sla_hours": 9.0, "sla_clock": "business",
         "business_hours_open": 11.0},
    ]  # fmt: skip
    yesterday = [
        {"complaint_id": "c", "hours_open": 36.0, "sla_hours": 9.0, "sla_clock": "business",
         "business_hours_open": 12.0},
    ]  # fmt: skip
    rows = past_sla_now(today, yesterday, moment)
    assert [(r["complaint_id"], r["hours_overdue"]) for r in rows] == [("c", 3.0), ("a", 1.0)]
