"""E-mail deliveries to a local SMTP server (aiosmtpd): the HTML body, the HTML/XLSX report
attachments, STARTTLS with a login (password from KPI_SMTP_PASSWORD), and implicit SSL."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from email import message_from_bytes, policy
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from notify_fixture import MONDAY_AFTER, Inbox, make_db, notify, write_settings
from tests_ui_support import free_port

PASSWORD = "smtp-pass-9f8e7d"


def authenticator(server, session, envelope, mechanism, auth_data):  # noqa: ANN001, ANN201
    ok = auth_data.login == b"kpi" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made by the test."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def start(inbox: Inbox, **kwargs) -> Controller:  # noqa: ANN003
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    return controller


WEEKLY = 'type = "weekly_report"\n    schedule = "mon 09:00"'
VIPS = 'type = "overdue_vips"\n    schedule = "mon 09:00"'  # a small message: no report to render


def mail_settings(
    tmp_path: Path, port: int, extra: str = "", lang: str = "en", rule: str = VIPS
) -> Path:
    return write_settings(
        tmp_path,
        f"""
    [notify]
    dashboard_url = "http://kpi.example.com/"
    retry_backoff_seconds = 0
    timeout_seconds = 5
    [[notify.channels]]
    name = "exec-mail"
    type = "email"
    smtp_host = "127.0.0.1"
    smtp_port = {port}
    from = "kpi@example.com"
    to = ["ceo@example.com", "coo@example.com"]
    {extra}
    [[notify.rules]]
    name = "weekly-report"
    {rule}
    channels = ["exec-mail"]
    lang = "{lang}"
    """,
    )


def test_weekly_report_mail_has_html_body_and_both_reports_attached(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = make_db(tmp_path)
    inbox = Inbox()
    server = start(inbox)
    try:
        settings = mail_settings(tmp_path, server.port, 'security = "none"', lang="zh", rule=WEEKLY)
        code, out, _ = notify(capsys, db, settings, "--at", MONDAY_AFTER)
        assert code == 0, out
        assert notify(capsys, db, settings, "--at", "2026-11-24 09:00")[0] == 0  # once only
    finally:
        server.stop()
    assert len(inbox.messages) == 1
    recipients, raw = inbox.messages[0]
    assert recipients == ["ceo@example.com", "coo@example.com"]
    mail = message_from_bytes(raw, policy=policy.default)
    assert mail["Subject"] == "每周KPI周报 2026-W47"
    body = mail.get_body(("html",)).get_content()
    assert "周次 2026-W47（2026-11-16 至 2026-11-22）" in body
    assert "按时办结率：25.0%" in body
    assert 'href="http://kpi.example.com/?lang=zh&amp;to=2026-11-22"' in body
    files = {part.get_filename(): part.get_content() for part in mail.iter_attachments()}
    assert set(files) == {"kpi-report-2026-W47.html", "kpi-report-2026-W47.xlsx"}
    assert "2026-W47" in files["kpi-report-2026-W47.html"]
    workbook = openpyxl.load_workbook(BytesIO(files["kpi-report-2026-W47.xlsx"]))
    assert workbook.sheetnames  # a real workbook


def test_starttls_with_login_and_the_password_stays_secret(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    certificate: tuple[Path, Path],
) -> None:
    cert_file, key_file = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))  # trust the test's own certificate
    monkeypatch.setenv("KPI_SMTP_PASSWORD", PASSWORD)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    db = make_db(tmp_path)
    inbox = Inbox()
    server = start(inbox, tls_context=context, require_starttls=True, authenticator=authenticator,
                   auth_require_tls=True)  # fmt: skip
    try:
        settings = mail_settings(tmp_path, server.port, 'security = "starttls"\nusername = "kpi"')
        code, out, err = notify(capsys, db, settings, "--at", MONDAY_AFTER)
        assert code == 0, out + err
        assert len(inbox.messages) == 1
        listing = notify(capsys, db, settings, "--log")[1]
        # A wrong password: refused, logged with the server's answer, never the password.
        monkeypatch.setenv("KPI_SMTP_PASSWORD", "wrong-password-123")
        settings = mail_settings(tmp_path, server.port, 'security = "starttls"\nusername = "kpi"')
        settings.write_text(settings.read_text().replace("weekly-report", "again"))
        code, out2, err2 = notify(capsys, db, settings, "--at", MONDAY_AFTER)
    finally:
        server.stop()
    assert code == 1 and "login refused: 535" in out2
    for text in (out, err, listing, out2, err2, db.read_bytes().decode("latin-1")):
        assert PASSWORD not in text and "wrong-password-123" not in text


def test_implicit_ssl(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    certificate: tuple[Path, Path],
) -> None:
    cert_file, key_file = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    db = make_db(tmp_path)
    inbox = Inbox()
    server = start(inbox, ssl_context=context)
    try:
        # Not trusted by default: a self-signed certificate is refused...
        settings = mail_settings(tmp_path, server.port, 'security = "ssl"')
        code, out, _ = notify(capsys, db, settings, "--at", MONDAY_AFTER)
        assert code == 1 and "CERTIFICATE_VERIFY_FAILED" in out
        # ...unless the channel names the CA to trust (an internal mail server).
        settings = mail_settings(
            tmp_path, server.port, f'security = "ssl"\nca_file = "{cert_file}"'
        )
        code, out, _ = notify(capsys, db, settings, "--at", MONDAY_AFTER)
    finally:
        server.stop()
    assert code == 0, out
    assert len(inbox.messages) == 1


def test_smtp_server_down_is_a_logged_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = make_db(tmp_path)
    settings = mail_settings(tmp_path, free_port(), 'security = "none"')
    code, out, _ = notify(capsys, db, settings, "--at", MONDAY_AFTER)
    assert code == 1 and "FAILED" in out and "SMTP 127.0.0.1" in out
