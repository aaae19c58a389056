"""The delivery log: tables ``notify_deliveries`` (one row per rule, period and channel) and
``notify_attempts`` (every attempt with the channel's answer), in the database itself.

Writes go through ``dashboard.db.writer`` like every other write (private copy, atomic
replace), two per delivery: a ``sending`` row *before* the send and the outcome after it.
A crash between the two leaves ``sending``; the next run reports it as *unknown* and does
not send it again (at most once per rule, period and channel - a message may be missing,
never doubled), until an operator checks the chat and runs ``kpi notify --resend KEY`` or
``--mark-sent KEY`` (docs/OPERATIONS.md, "Notifications").

Times are wall-clock times in ``[notify] timezone`` (naive timestamps, as the UI shows them).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

SENT, FAILED, SENDING = "sent", "failed", "sending"


def create_log_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
    create table if not exists notify_deliveries (
        rule varchar not null,
        period varchar not null,
        channel varchar not null,
        status varchar not null,          -- sending | sent | failed
        attempts integer not null,
        title varchar,
        first_attempt_at timestamp,
        last_attempt_at timestamp,
        sent_at timestamp,
        answer varchar,                   -- the channel's last answer (secrets removed)
        primary key (rule, period, channel)
    )
    """)
    con.execute("""
    create table if not exists notify_attempts (
        rule varchar not null,
        period varchar not null,
        channel varchar not null,
        attempt integer not null,
        attempted_at timestamp not null,
        ok boolean not null,
        answer varchar
    )
    """)


@dataclass(frozen=True)
class Delivery:
    rule: str
    period: str
    channel: str
    status: str
    attempts: int
    title: str = ""
    first_attempt_at: datetime | None = None
    last_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    answer: str = ""

    @property
    def key(self) -> str:
        return delivery_key(self.rule, self.period, self.channel)


@dataclass(frozen=True)
class Attempt:
    attempt: int
    attempted_at: datetime
    ok: bool
    answer: str


def delivery_key(rule: str, period: str, channel: str) -> str:
    return f"{rule}/{period}/{channel}"


def parse_key(key: str) -> tuple[str, str, str]:
    parts = key.split("/")
    if len(parts) != 3 or not all(parts):
        raise ValueError(
            f"a delivery is named RULE/PERIOD/CHANNEL (see `kpi notify --log`), got {key!r}"
        )
    return parts[0], parts[1], parts[2]


def read_deliveries(con: duckdb.DuckDBPyConnection) -> dict[str, Delivery]:
    """Every logged delivery by key; an empty dict before the first delivery."""
    if not _has_table(con, "notify_deliveries"):
        return {}
    rows = con.execute(
        "select rule, period, channel, status, attempts, title, first_attempt_at, "
        "last_attempt_at, sent_at, answer from notify_deliveries"
    ).fetchall()
    found = {}
    for row in rows:
        d = Delivery(*row[:5], row[5] or "", row[6], row[7], row[8], row[9] or "")
        found[d.key] = d
    return found


def deliveries_frame(con: duckdb.DuckDBPyConnection, limit: int = 500) -> pd.DataFrame:
    """The newest deliveries for people (the Data page, ``kpi notify --log``)."""
    if not _has_table(con, "notify_deliveries"):
        return pd.DataFrame()
    return con.execute(
        "select last_attempt_at, rule, period, channel, status, attempts, sent_at, answer, title "
        "from notify_deliveries order by last_attempt_at desc nulls last, rule, period, channel "
        "limit $limit",
        {"limit": limit},
    ).df()


def failures_frame(con: duckdb.DuckDBPyConnection, limit: int = 200) -> pd.DataFrame:
    """The newest failed attempts with the channel's answer."""
    if not _has_table(con, "notify_attempts"):
        return pd.DataFrame()
    return con.execute(
        "select attempted_at, rule, period, channel, attempt, answer from notify_attempts "
        "where not ok order by attempted_at desc, rule, channel limit $limit",
        {"limit": limit},
    ).df()


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    found = con.execute(
        "select count(*) from duckdb_tables() where table_name = $name and database_name = current_database()",
        {"name": name},
    ).fetchone()
    return bool(found and found[0])


def save(db: Path, delivery: Delivery, attempts: Sequence[Attempt] = ()) -> None:
    """Upsert ``delivery`` and append ``attempts``, published atomically (one writer)."""
    from dashboard.db import writer

    # A plain writer: the log changes no KPI input, so nothing derived is refreshed.
    with writer(db) as con:
        create_log_tables(con)
        con.execute(
            "insert or replace into notify_deliveries values "
            "($rule, $period, $channel, $status, $attempts, $title, $first, $last, $sent, $answer)",
            {
                "rule": delivery.rule,
                "period": delivery.period,
                "channel": delivery.channel,
                "status": delivery.status,
                "attempts": delivery.attempts,
                "title": delivery.title,
                "first": delivery.first_attempt_at,
                "last": delivery.last_attempt_at,
                "sent": delivery.sent_at,
                "answer": delivery.answer,
            },
        )
        for attempt in attempts:
            con.execute(
                "insert into notify_attempts values ($rule, $period, $channel, $n, $at, $ok, $answer)",
                {
                    "rule": delivery.rule,
                    "period": delivery.period,
                    "channel": delivery.channel,
                    "n": attempt.attempt,
                    "at": attempt.attempted_at,
                    "ok": attempt.ok,
                    "answer": attempt.answer,
                },
            )


@contextmanager
def run_lock(db: Path) -> Iterator[None]:
    """One ``kpi notify`` run at a time per database (cron and ``kpi schedule`` together
    must not both send a due message): an exclusive ``flock`` on ``<db>.notify.lock``."""
    import fcntl

    db.parent.mkdir(parents=True, exist_ok=True)
    with open(db.with_name(db.name + ".notify.lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
