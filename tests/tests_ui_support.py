"""A tiny, hand-checkable database for the UI tests (no test functions here).

Weeks (ISO, Monday first) and who orders in them:
  W1 2026-10-05: c1 c2 c3      W2 10-12: c1 c2 c4      W3 10-19: c1 c3 c4 c5
  W4 2026-10-26: c1 c2 c4 c5   W5 11-02: c1 c4 c6      W6 11-09 (partial, last 11-11): c1 c2
Projects/regions: c1, c2 Alpha/East; c3, c6 Beta/East; c4, c5 深圳湾/华南.
The last event is Wednesday 2026-11-11, so the latest complete week is W5 (2026-11-02).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from dashboard.pipeline import publishing_writer as writer

ROOT = Path(__file__).resolve().parent.parent

CUSTOMERS = [
    ("c1", "Ann", "Alpha", "East", True, "2026-01-01", "2025-06-01"),
    ("c2", "Bob", "Alpha", "East", False, None, "2025-06-01"),
    ("c3", "Cai", "Beta", "East", False, None, "2025-06-01"),
    ("c4", "邓", "深圳湾", "华南", True, "2026-01-01", "2025-06-01"),
    ("c5", "Eve", "深圳湾", "华南", False, None, "2025-06-01"),
    ("c6", "Fay", "Beta", "East", False, None, "2025-06-01"),
]
PROJECT = {c[0]: (c[2], c[3]) for c in CUSTOMERS}
ORDERS_BY_WEEK = {
    "2026-10-05": ["c1", "c2", "c3"],
    "2026-10-12": ["c1", "c2", "c4"],
    "2026-10-19": ["c1", "c3", "c4", "c5"],
    "2026-10-26": ["c1", "c2", "c4", "c5"],
    "2026-11-02": ["c1", "c4", "c6"],
    "2026-11-10": ["c1", "c2"],
}
# id, customer, opened, first response, resolved, category, channel
COMPLAINTS = [
    ("k3", "c3", "2026-10-27 08:00", "2026-10-27 09:00", "2026-10-27 20:00", "维修", "hotline"),
    ("k1", "c1", "2026-11-03 09:00", "2026-11-03 10:00", "2026-11-03 19:00", "维修", "hotline"),
    ("k2", "c4", "2026-11-04 10:00", "2026-11-04 12:00", "2026-11-06 10:00", "噪音", "online"),
    ("k4", "c2", "2026-11-05 12:00", None, None, "噪音", "counter"),
]
# id, customer, submitted, csat, nps
SURVEYS = [
    ("s4", "c2", "2026-10-28 10:00", 4, 9),
    ("s1", "c1", "2026-11-03 10:00", 5, 10),
    ("s2", "c4", "2026-11-04 10:00", 3, 6),
    ("s3", "c6", "2026-11-05 10:00", 4, 8),
]
VIP_CONTACTS = [
    ("v1", "c4", "2026-10-20 10:00", "visit"),
    ("v2", "c1", "2026-11-03 10:00", "phone"),
    ("v3", "c1", "2026-11-11 10:00", "phone"),
]


def build_tiny_db(path: Path) -> Path:
    with writer(path) as con:
        con.executemany(
            "insert into customers (customer_id, customer_name, project, region, is_vip, "
            "vip_since, joined_on) values (?, ?, ?, ?, ?, ?, ?)",
            CUSTOMERS,
        )
        n = 0
        for week, customers in ORDERS_BY_WEEK.items():
            for c in customers:
                n += 1
                project, region = PROJECT[c]
                con.execute(
                    "insert into orders (order_id, customer_id, project, region, ordered_at, "
                    "amount) values (?, ?, ?, ?, cast(? as date) + interval 1 day, 100)",
                    [f"o{n}", c, project, region, week],
                )
        for cid, cust, opened, first, resolved, category, channel in COMPLAINTS:
            project, region = PROJECT[cust]
            con.execute(
                "insert into complaints (complaint_id, customer_id, project, region, category, "
                "channel, opened_at, first_response_at, resolved_at) values (?,?,?,?,?,?,?,?,?)",
                [cid, cust, project, region, category, channel, opened, first, resolved],
            )
        for rid, cust, submitted, csat, nps in SURVEYS:
            project, region = PROJECT[cust]
            con.execute(
                "insert into surveys (response_id, customer_id, project, region, submitted_at, "
                "csat, nps) values (?,?,?,?,?,?,?)",
                [rid, cust, project, region, submitted, csat, nps],
            )
        con.executemany(
            "insert into vip_contacts (contact_id, customer_id, contacted_at, method) "
            "values (?, ?, ?, ?)",
            VIP_CONTACTS,
        )
        con.execute(
            "insert into import_log values (nextval('import_id_seq'), 'orders.csv', 'data/orders.csv', null, 'abc', "
            "'orders', '2026-11-12 08:00', 20, 17, 1, 2, 'loaded', null)"
        )
        con.execute(
            "insert into rejected_rows values (1, 'orders', 'orders.csv', null, 7, "
            "'ordered_at: cannot read the date ''yesterday''', '{\"order_id\": \"o99\"}')"
        )
    return path


def build_empty_db(path: Path) -> Path:
    with writer(path):
        pass
    return path


# ------------------------------------------- a real `streamlit run` (browser, concurrency)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float) -> None:
    """Until Streamlit's health endpoint answers "ok"; fails if the server exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("streamlit did not become healthy")


@contextlib.contextmanager
def served_app(
    env: dict[str, str], log_path: Path, *extra: str, port: int | None = None, timeout: float = 90
) -> Iterator[str]:
    """`streamlit run app.py` on 127.0.0.1 with ``env`` added, until the block ends; yields
    its URL. Output goes to ``log_path``. The one way every real-server test starts the app."""
    port = port or free_port()
    log = log_path.open("w")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            *extra,
        ],
        cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, timeout=timeout)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
