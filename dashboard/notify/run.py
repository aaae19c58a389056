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

from dashboard.notify import channels as channel_io
from dashboard.notify import log
from dashboard.notify.config import NotifyConfig, NotifyConfigError, Scope, parse_notify
from dashboard.notify.log import FAILED, SENDING, SENT, Attempt, Delivery, delivery_key
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
    config = parse_notify(raw, source=source, default_lang=getattr(settings, "language", "zh"))
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
    try:
        moment = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        try:
            moment = datetime.strptime(text.strip(), "%Y-%m-%d")
        except ValueError:
            raise ValueError(f'--at must look like "2026-06-29 09:00", got {text!r}') from None
    return moment


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
    scopes = {item.rule.name: _scope(item.rule, scope_override) for item in due}
    if dry_run:
        _evaluate(config, settings, db, moment, due, result, out, sleep, True, scopes)
    else:
        with log.run_lock(db):  # read the log and send inside one lock: no double sends
            _evaluate(config, settings, db, moment, due, result, out, sleep, False, scopes)
    return result


def _evaluate(config, settings, db, moment, due, result, out, sleep, dry_run, scopes):  # noqa: ANN001, PLR0913
    from dashboard.db import connect_readonly

    con = connect_readonly(db)
    try:
        logged = log.read_deliveries(con)
        for item in due:
            _one_rule(config, settings, con, db, moment, item, logged, result, out, sleep,
                      dry_run, scopes[item.rule.name])  # fmt: skip
    finally:
        con.close()


def _one_rule(config, settings, con, db, moment, item, logged, result, out, sleep, dry_run,  # noqa: ANN001, PLR0913
              scope):  # fmt: skip
    rule = item.rule
    pending = []
    for name in rule.channels:
        key = delivery_key(rule.name, item.period, name)
        previous = logged.get(key)
        if previous and previous.status == SENT:
            result.outcomes.append(Outcome(rule.name, item.period, name, "already_sent",
                                           f"at {previous.sent_at}"))  # fmt: skip
        elif previous and previous.status == SENDING:
            result.outcomes.append(Outcome(
                rule.name, item.period, name, "unknown",
                "an earlier run stopped between sending and logging: check the channel, then "
                f"`kpi notify --mark-sent {key}` or `--resend {key}`",
            ))  # fmt: skip
        else:
            pending.append((name, previous))
    if not pending:
        return
    try:
        wants_files = any(config.channels[n].type == "email" for n, _ in pending)
        message, reason = build_message(con, item, config=config, settings=settings,
                                        scope=scope, moment=moment, attachments=wants_files)  # fmt: skip
    except NotifyConfigError:
        raise
    except Exception as exc:  # e.g. a query file that fails: this rule fails, the others go on
        for name, previous in pending:
            detail = f"could not build the message: {exc}"
            result.outcomes.append(Outcome(rule.name, item.period, name, "failed", detail))
            if not dry_run:
                _save_failure(config, db, previous, rule.name, item.period, name, detail)
        return
    if message is None:
        for name, _ in pending:
            result.outcomes.append(Outcome(rule.name, item.period, name, "nothing_to_send", reason))
        return
    for name, previous in pending:
        channel = config.channels[name]
        if dry_run:
            result.outcomes.append(Outcome(rule.name, item.period, name, "would_send"))
            out(f"=== {rule.name} · {item.period} → {name} ({channel.type}) ===")
            out(channel_io.preview(channel, message))
            out("")
            continue
        result.outcomes.append(_deliver(config, db, channel, message, previous, sleep))


def _scope(rule, override: Scope | None) -> Scope:  # noqa: ANN001
    if override is None:
        return resolve_rule_scope(rule)
    return intersect(resolve_rule_scope(rule), override)


def _deliver(config, db, channel, message, previous, sleep) -> Outcome:  # noqa: ANN001
    tz = config.zone
    now = lambda: datetime.now(tz).replace(tzinfo=None, microsecond=0)  # noqa: E731
    started = now()
    attempts_before = previous.attempts if previous else 0
    first = previous.first_attempt_at if previous and previous.first_attempt_at else started
    marker = Delivery(message.rule, message.period, channel.name, SENDING, attempts_before + 1,
                      message.title, first, started, None, "sending")  # fmt: skip
    log.save(db, marker)  # before the send: a crash now leaves "sending" = unknown, not re-sent
    attempts: list[Attempt] = []
    answer = None
    for i in range(config.retries + 1):
        if i:
            sleep(config.retry_backoff_seconds * 2 ** (i - 1))
        answer = channel_io.send(channel, message, timeout=config.timeout_seconds)
        attempts.append(Attempt(attempts_before + i + 1, now(), answer.ok, answer.answer))
        if answer.ok or not answer.retry:
            break
    assert answer is not None
    finished = now()
    final = replace(
        marker,
        status=SENT if answer.ok else FAILED,
        attempts=attempts_before + len(attempts),
        last_attempt_at=finished,
        sent_at=finished if answer.ok else None,
        answer=answer.answer,
    )
    log.save(db, final, attempts)
    status = "sent" if answer.ok else "failed"
    tries = f"{len(attempts)} attempt{'s' if len(attempts) > 1 else ''}"
    return Outcome(message.rule, message.period, channel.name, status, f"{tries}: {answer.answer}")


def _save_failure(config, db, previous, rule, period, channel, answer) -> None:  # noqa: ANN001
    stamp = datetime.now(config.zone).replace(tzinfo=None, microsecond=0)
    attempts = previous.attempts if previous else 0
    first = previous.first_attempt_at if previous else None
    log.save(db, Delivery(rule, period, channel, FAILED, attempts, "", first, stamp, None, answer))


def describe(result: RunResult, verbose: bool = False) -> list[str]:
    """One line per due delivery for the terminal (and the not-due rules when verbose)."""
    words = {
        "sent": "sent",
        "failed": "FAILED",
        "unknown": "UNKNOWN",
        "already_sent": "already sent",
        "nothing_to_send": "nothing to send",
        "would_send": "would send",
    }
    lines = [f"{words[o.status]:>15}  {o.key}" + (f"  ({o.detail})" if o.detail else "")
             for o in result.outcomes]  # fmt: skip
    if verbose or not result.outcomes:
        at = result.moment.strftime("%Y-%m-%d %H:%M")
        lines += [f"{'not due':>15}  {name} (at {at})" for name in result.not_due]
    return lines
