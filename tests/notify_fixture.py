"""Helpers of the notify tests: a database with the report fixture (week 2026-W47, Monday
2026-11-16 to Sunday 2026-11-22), a settings file, and `kpi notify` run in-process."""

from __future__ import annotations

import base64
import hashlib
import hmac
import textwrap
from pathlib import Path

import pytest
from report_fixture import load_fixture

from dashboard.cli import main
from dashboard.pipeline import publishing_writer as writer

MONDAY_AFTER = "2026-11-23 09:30"  # Monday of W48, Asia/Shanghai: W47 is the last complete week
DING_SECRET = "SEC0123456789abcdefDING"
FEISHU_SECRET = "feishu-secret-0123456789"
DING_TOKEN = "ding-token-7f3e9a"
WECOM_KEY = "wecom-key-5d2c1b"


def make_db(folder: Path) -> Path:
    db = folder / "kpi.duckdb"
    with writer(db) as con:  # stored KPI copies: not needed here
        load_fixture(con)
    return db


def write_settings(folder: Path, notify_toml: str, language: str = "en") -> Path:
    path = folder / "kpi.toml"
    path.write_text(f'language = "{language}"\n' + textwrap.dedent(notify_toml), encoding="utf-8")
    return path


def notify(capsys: pytest.CaptureFixture[str], db: Path, settings: Path, *args: str):
    """Run `kpi notify` in-process; returns (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(["notify", "--db", str(db), "--settings", str(settings), *args])
    out, err = capsys.readouterr()
    return code, out, err


def expected_dingtalk_sign(secret: str, timestamp: str) -> str:
    """The test's own reading of the DingTalk signature (shared/spec/notify.md)."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def expected_feishu_sign(secret: str, timestamp: str) -> str:
    mac = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK queued"
