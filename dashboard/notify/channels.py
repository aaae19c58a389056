"""Sending one message to one channel: payload, signature, size limit, and reading the answer.

Hand-written on the standard library (``urllib.request``, ``smtplib``) rather than apprise:
apprise's DingTalk/WeCom/Feishu plugins build the robot URL from a token for the vendor's
fixed host (so neither an on-premises gateway nor a local test receiver can be addressed),
``notify()`` returns only True/False (the robot's answer and its ``errcode`` in a 200 reply
are not handed to the caller, and the contract has us record them), and retries with
back-off are not its concern. Each robot needs ~20 lines here, all tested against local
receivers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import quote_plus

from dashboard.notify.config import Channel
from dashboard.notify.messages import Message, fit, json_len, utf8_len

# Size limits of the robots (bytes of UTF-8): DingTalk and Feishu refuse request bodies over
# 20 000 bytes / 20 KB; a WeCom markdown message may have at most 4096 bytes of content.
# A little headroom is kept for the signature fields added after fitting.
LIMITS = {"dingtalk": 19_500, "feishu": 19_500, "wecom": 4_096, "webhook": 256_000}
ANSWER_CHARS = 500  # of a channel's answer kept in the delivery log
USER_AGENT = "service-kpi-dashboard-notify/1"


@dataclass(frozen=True)
class Answer:
    ok: bool
    answer: str  # what the channel said (status and body), secrets removed
    retry: bool = True  # False when another attempt cannot help (e.g. a bad recipient)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret (and URL tokens) replaced by ``***``."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, "***")
        text = text.replace(quote_plus(secret), "***")
    return re.sub(r"(?i)((?:access_token|key|token|sign)=)[^&\s\"']+", r"\1***", text)


# --- signatures (shared/spec/notify.md) ---------------------------------------------------


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """base64(HMAC-SHA256(key=secret, msg="{timestamp}\\n{secret}")), not yet URL-encoded."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """base64(HMAC-SHA256(key="{timestamp}\\n{secret}", msg=""))."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def webhook_sign(secret: str, timestamp_s: int, body: bytes) -> str:
    """Generic webhooks: hex HMAC-SHA256(key=secret, msg="{timestamp}." + body)."""
    return hmac.new(secret.encode(), f"{timestamp_s}.".encode() + body, hashlib.sha256).hexdigest()


# --- payloads ------------------------------------------------------------------------------


def payload(channel: Channel, message: Message) -> tuple[Message, dict[str, Any]]:
    """The request body for a robot/webhook, with the message shortened to fit its limit."""
    build: Callable[[Message], dict[str, Any]]
    size: Callable[[Message], int]
    if channel.type == "dingtalk":

        def build(m: Message) -> dict[str, Any]:
            return {"msgtype": "markdown", "markdown": {"title": m.title, "text": m.markdown()}}

        size = lambda m: json_len(build(m))  # noqa: E731
    elif channel.type == "wecom":

        def build(m: Message) -> dict[str, Any]:
            return {"msgtype": "markdown", "markdown": {"content": m.markdown()}}

        size = lambda m: utf8_len(m.markdown())  # noqa: E731
    elif channel.type == "feishu":

        def build(m: Message) -> dict[str, Any]:
            return {"msg_type": "post", "content": m.feishu_post()}

        size = lambda m: json_len(build(m))  # noqa: E731
    elif channel.type == "webhook":

        def build(m: Message) -> dict[str, Any]:
            return {"title": m.title, "text": m.text(), "link": m.link, "lang": m.lang, **m.data}

        size = lambda m: json_len(build(m))  # noqa: E731
    else:
        raise ValueError(f"{channel.type} is not an HTTP channel")
    fitted = fit(message, size, LIMITS[channel.type])
    return fitted, build(fitted)


def preview(channel: Channel, message: Message) -> str:
    """What ``--dry-run`` prints for this channel: the message as it would be sent."""
    if channel.type == "email":
        names = ", ".join(a.filename for a in message.attachments)
        extra = f"\n[attachments: {names}]" if names else ""
        return f"Subject: {message.title}\nTo: {', '.join(channel.to)}\n\n{message.text()}{extra}"
    fitted, body = payload(channel, message)
    if channel.type in ("dingtalk", "wecom"):
        return fitted.markdown()
    if channel.type == "feishu":
        return fitted.text()
    return json.dumps(body, ensure_ascii=False, indent=1)


# --- sending -------------------------------------------------------------------------------


def send(channel: Channel, message: Message, *, timeout: float) -> Answer:
    """One attempt; never raises for a channel problem (the answer says what happened)."""
    try:
        if channel.type == "email":
            answer = _send_email(channel, message, timeout)
        else:
            answer = _send_http(channel, message, timeout)
    except Exception as exc:  # a bug or an odd library error: a failed attempt, not a crash
        answer = Answer(False, f"{type(exc).__name__}: {exc}")
    said = " ".join(answer.answer.split())  # one line in the log and on the terminal
    return Answer(answer.ok, redact(said, channel.secrets())[:ANSWER_CHARS], answer.retry)


def _send_http(channel: Channel, message: Message, timeout: float) -> Answer:
    _, body = payload(channel, message)
    url = channel.url
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
    now = time.time()
    if channel.type == "dingtalk" and channel.secret:
        stamp = int(now * 1000)
        sign = quote_plus(dingtalk_sign(channel.secret, stamp))
        url += ("&" if "?" in url else "?") + f"timestamp={stamp}&sign={sign}"
    if channel.type == "feishu" and channel.secret:
        stamp = int(now)
        body = {"timestamp": str(stamp), "sign": feishu_sign(channel.secret, stamp), **body}
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    if channel.type == "webhook":
        headers.update(channel.headers)
        if channel.secret:
            stamp = int(now)
            headers["X-KPI-Timestamp"] = str(stamp)
            headers["X-KPI-Signature"] = "sha256=" + webhook_sign(channel.secret, stamp, data)
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, text = response.status, response.read(64_000).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        text = exc.read(64_000).decode("utf-8", "replace") if exc.fp else ""
        return Answer(False, f"HTTP {exc.code}: {text.strip()}")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return Answer(False, f"connection failed: {reason}")
    return _robot_answer(channel.type, status, text.strip())


def _robot_answer(kind: str, status: int, text: str) -> Answer:
    """Robots answer HTTP 200 with their own error code: DingTalk and WeCom ``errcode``,
    Feishu ``code`` (older bots ``StatusCode``); non-zero is a failure. A body that is not
    JSON (e.g. a proxy's "ok") is taken as the HTTP status says."""
    said = f"HTTP {status}: {text}"
    if status >= 400:
        return Answer(False, said)
    if kind == "webhook":
        return Answer(True, said)
    try:
        reply = json.loads(text)
    except ValueError:
        return Answer(True, said)
    if not isinstance(reply, dict):
        return Answer(True, said)
    for key in ("errcode", "code", "StatusCode"):
        if key in reply:
            try:
                ok = int(reply[key]) == 0
            except (TypeError, ValueError):
                ok = False
            return Answer(ok, said)
    return Answer(True, said)


def _send_email(channel: Channel, message: Message, timeout: float) -> Answer:
    mail = EmailMessage()
    mail["Subject"] = message.title
    mail["From"] = channel.sender
    mail["To"] = ", ".join(channel.to)
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain=channel.sender.rsplit("@", 1)[-1])
    mail.set_content(message.text())
    mail.add_alternative(message.html(), subtype="html")
    for item in message.attachments:
        maintype, _, subtype = item.mime.partition("/")
        mail.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.filename)
    where = f"{channel.smtp_host}:{channel.smtp_port}"
    context = ssl.create_default_context(cafile=channel.ca_file or None)
    try:
        if channel.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                channel.smtp_host, channel.smtp_port, timeout=timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(channel.smtp_host, channel.smtp_port, timeout=timeout)
        with smtp:
            if channel.security == "starttls":
                smtp.starttls(context=context)
            if channel.username:
                smtp.login(channel.username, channel.password)
            refused = smtp.send_message(mail)
    except smtplib.SMTPRecipientsRefused as exc:
        return Answer(
            False, f"SMTP {where}: every recipient refused: {exc.recipients}", retry=False
        )
    except smtplib.SMTPAuthenticationError as exc:
        # A wrong password does not get better within the run: the next run tries again.
        return Answer(
            False, f"SMTP {where}: login refused: {exc.smtp_code} {_smtp_text(exc)}", retry=False
        )
    except smtplib.SMTPResponseException as exc:
        return Answer(False, f"SMTP {where}: {exc.smtp_code} {_smtp_text(exc)}")
    except (smtplib.SMTPException, OSError) as exc:
        return Answer(False, f"SMTP {where}: {type(exc).__name__}: {exc}")
    if refused:
        return Answer(True, f"SMTP {where}: accepted, but refused for {sorted(refused)}")
    return Answer(True, f"SMTP {where}: accepted for {len(channel.to)} recipient(s)")


def _smtp_text(exc: smtplib.SMTPResponseException) -> str:
    error = exc.smtp_error
    return error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
