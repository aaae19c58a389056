"""One evaluation of the notify rules at a moment (``kpi notify``; ``kpi schedule`` calls it
every minute): every due (rule, period, channel) not yet delivered is sent once, retried
with back-off within the run on failure, and left for the next run if it still fails.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from dashboard.notify import channels as channel_io
from dashboard.notify import log
from dashboard.notify.config import (
    DEFAULT_TIMEZONE,
    Channel,
    NotifyConfig,
    NotifyConfigError,
    Rule,
    Scope,
    parse_notify,
)
from dashboard.notify.log import FAILED, SENDING, SENT, Attempt, Delivery, delivery_key
from dashboard.notify.messages import Message
from dashboard.notify.rules import DuePeriod, build_message, due_period
from dashboard.notify.scope import intersect, resolve_rule_scope


@dataclass
class Outcome:
    rule: str
    period: str
    channel: str
    status: str  # sent | failed | unknown | already_sent | nothing_to_send | would_send
    detail: str = ""

    @property
    def key(self) -> str:
        return delivery_key(self.rule, self.period, self.channel)

    @property
    def is_failure(self) -> bool:
        return self.status in ("failed", "unknown")


@dataclass
class RunResult:
    moment: datetime
    outcomes: list[Outcome] = field(default_factory=list)
    not_due: list[str] = field(default_factory=list)  # rule names

    @property
    def exit_code(self) -> int:
        """Non-zero while any due delivery has failed (or its fate is unknown)."""
        return 1 if any(o.is_failure for o in self.outcomes) else 0


def load_config(settings: Any, source: str = "kpi.toml") -> NotifyConfig:
    raw = dict(getattr(settings, "notify", {}) or {})
    config = parse_notify(
        raw,
        source=source,
        default_lang=getattr(settings, "language", "zh"),
        default_timezone=getattr(settings, "timezone", None) or DEFAULT_TIMEZONE,
    )
    if not config.rules:
        raise NotifyConfigError(
            f"{source}: no notify rules: add [notify] with [[notify.channels]] and "
            "[[notify.rules]] (see docs/OPERATIONS.md, Notifications)"
        )
    if not config.dashboard_url:
        raise NotifyConfigError(
            f"{source}: 'notify.dashboard_url' is required: messages link back to the dashboard"
        )
    return config


def parse_moment(text: str | None, config: NotifyConfig, now: datetime | None = None) -> datetime:
    """``--at "YYYY-MM-DD HH:MM"`` (read in ``[notify] timezone``), else ``now`` (an aware
    time, default the clock) as wall-clock time in that zone."""
    if text is None:
        now = now or datetime.now(config.zone)
        return now.astimezone(config.zone).replace(tzinfo=None, second=0, microsecond=0)
    try:  # "2026-06-29 09:00" (also with seconds, a "T", or a date alone = 00:00)
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f'--at must look like "2026-06-29 09:00", got {text!r}') from None
    if moment.tzinfo is not None:  # an explicit offset: the same instant in the zone
        moment = moment.astimezone(config.zone).replace(tzinfo=None)
    return moment.replace(second=0, microsecond=0)


def run_notify(
    *,
    config: NotifyConfig,
    settings: Any,
    db: Path,
    moment: datetime,
    dry_run: bool = False,
    rule_names: Sequence[str] = (),
    scope_override: Scope | None = None,
    out: Callable[[str], None] = print,
    sleep: Callable[[float], None] = time.sleep,
) -> RunResult:
    rules = [config.rule(n) for n in dict.fromkeys(rule_names)] if rule_names else config.rules
    result = RunResult(moment)
    due: list[DuePeriod] = []
    for rule in rules:
        found = due_period(rule, moment)
        if found is None:
            result.not_due.append(rule.name)
        else:
            due.append(found)
    if not due:
        return result
    # Scopes first: a rule whose as_user cannot be resolved stops the run before any send.
    scopes = {item.rule.name: _scope(item.rule, scope_override, settings, db) for item in due}
    run = _Evaluation(config, settings, db, moment, result, out, sleep, dry_run)
    if dry_run:
        run.evaluate(due, scopes)
    else:
        with log.run_lock(db):  # read the log and send inside one lock: no double sends
            run.evaluate(due, scopes)
    return result


def _scope(rule: Rule, override: Scope | None, settings: Any, db: Path) -> Scope:
    scope = resolve_rule_scope(rule, settings=settings, db=db)
    return scope if override is None else intersect(scope, override)


@dataclass
class _Evaluation:
    config: NotifyConfig
    settings: Any
    db: Path
    moment: datetime
    result: RunResult
    out: Callable[[str], None]
    sleep: Callable[[float], None]
    dry_run: bool

    def now(self) -> datetime:
        return datetime.now(self.config.zone).replace(tzinfo=None, microsecond=0)

    def evaluate(self, due: list[DuePeriod], scopes: dict[str, Scope]) -> None:
        from dashboard.pipeline import connect_readonly

        con = connect_readonly(self.db)
        try:
            logged = log.read_deliveries(con)
            for item in due:
                self.one_rule(con, item, logged, scopes[item.rule.name])
        finally:
            con.close()

    def outcome(self, item: DuePeriod, channel: str, status: str, detail: str = "") -> None:
        self.result.outcomes.append(Outcome(item.rule.name, item.period, channel, status, detail))

    def one_rule(
        self,
        con: duckdb.DuckDBPyConnection,
        item: DuePeriod,
        logged: dict[str, Delivery],
        scope: Scope,
    ) -> None:
        rule = item.rule
        pending: list[tuple[str, Delivery | None]] = []
        for name in rule.channels:
            key = delivery_key(rule.name, item.period, name)
            previous = logged.get(key)
            if previous and previous.status == SENT:
                self.outcome(item, name, "already_sent", f"at {previous.sent_at}")
            elif previous and previous.status == SENDING:
                self.outcome(
                    item, name, "unknown",
                    "an earlier run stopped between sending and logging: check the channel, "
                    f"then `kpi notify --mark-sent {key}` or `--resend {key}`",
                )  # fmt: skip
            else:
                pending.append((name, previous))
        if not pending:
            return
        try:
            wants_files = any(self.config.channels[n].type == "email" for n, _ in pending)
            message, reason = build_message(
                con, item, config=self.config, settings=self.settings, scope=scope,
                moment=self.moment, attachments=wants_files,
            )  # fmt: skip
        except NotifyConfigError:
            raise
        except Exception as exc:  # e.g. a query file that fails: this rule fails, others go on
            detail = f"could not build the message: {exc}"
            for name, previous in pending:
                self.outcome(item, name, "failed", detail)
                if not self.dry_run:
                    self.save_failure(item, name, previous, detail)
            return
        if message is None:
            for name, _ in pending:
                self.outcome(item, name, "nothing_to_send", reason)
            return
        for name, previous in pending:
            channel = self.config.channels[name]
            if self.dry_run:
                self.outcome(item, name, "would_send")
                self.out(f"=== {rule.name} · {item.period} → {name} ({channel.type}) ===")
                self.out(channel_io.preview(channel, message))
                self.out("")
            else:
                self.result.outcomes.append(self.deliver(channel, message, previous))

    def deliver(self, channel: Channel, message: Message, previous: Delivery | None) -> Outcome:
        config = self.config
        started = self.now()
        before = previous.attempts if previous else 0
        first = previous.first_attempt_at if previous and previous.first_attempt_at else started
        marker = Delivery(message.rule, message.period, channel.name, SENDING, before + 1,
                          message.title, first, started, None, "sending")  # fmt: skip
        log.save(
            self.db, marker
        )  # before the send: a crash leaves "sending" (unknown), not re-sent
        attempts: list[Attempt] = []
        answer = None
        for i in range(config.retries + 1):
            if i:
                self.sleep(config.retry_backoff_seconds * 2 ** (i - 1))
            answer = channel_io.send(channel, message, timeout=config.timeout_seconds)
            attempts.append(Attempt(before + i + 1, self.now(), answer.ok, answer.answer))
            if answer.ok or not answer.retry:
                break
        assert answer is not None
        finished = self.now()
        final = replace(
            marker,
            status=SENT if answer.ok else FAILED,
            attempts=before + len(attempts),
            last_attempt_at=finished,
            sent_at=finished if answer.ok else None,
            answer=answer.answer,
        )
        log.save(self.db, final, attempts)
        tries = f"{len(attempts)} attempt{'s' if len(attempts) > 1 else ''}"
        status = "sent" if answer.ok else "failed"
        return Outcome(
            message.rule, message.period, channel.name, status, f"{tries}: {answer.answer}"
        )

    def save_failure(
        self, item: DuePeriod, channel: str, previous: Delivery | None, answer: str
    ) -> None:
        attempts = previous.attempts if previous else 0
        first = previous.first_attempt_at if previous else None
        log.save(self.db, Delivery(item.rule.name, item.period, channel, FAILED, attempts, "",
                                   first, self.now(), None, answer))  # fmt: skip


WORDS = {
    "sent": "sent",
    "failed": "FAILED",
    "unknown": "UNKNOWN",
    "already_sent": "already sent",
    "nothing_to_send": "nothing to send",
    "would_send": "would send",
}


def describe(result: RunResult, verbose: bool = False) -> list[str]:
    """One line per due delivery for the terminal (and the not-due rules when verbose)."""
    lines = [f"{WORDS[o.status]:>15}  {o.key}" + (f"  ({o.detail})" if o.detail else "")
             for o in result.outcomes]  # fmt: skip
    if verbose or not result.outcomes:
        at = result.moment.strftime("%Y-%m-%d %H:%M")
        lines += [f"{'not due':>15}  {name} (at {at})" for name in result.not_due]
    return lines


def summary(result: RunResult, zone: str) -> str:
    """One line for a cron log: when, and how many deliveries ended how."""
    counts: dict[str, int] = {}
    for outcome in result.outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    told = ", ".join(f"{n} {WORDS[status].lower()}" for status, n in counts.items())
    return f"kpi notify at {result.moment:%Y-%m-%d %H:%M} ({zone}): {told or 'nothing due'}"
