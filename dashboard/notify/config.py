"""The ``[notify]`` settings (shared/spec/notify.md), checked once with errors naming the key.

``dashboard.settings`` keeps the raw table (``Settings.notify``); this module turns it into
``NotifyConfig``. Secrets are read here and kept out of every ``repr``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dashboard.notify.schedule import Schedule, ScheduleError, parse_schedule
from dashboard.settings import LANGUAGES, SettingsError

CHANNEL_TYPES = ("dingtalk", "feishu", "wecom", "webhook", "email")
RULE_TYPES = ("weekly_report", "threshold", "open_sla_breaches", "overdue_vips")
SECURITY = ("ssl", "starttls", "none")
THRESHOLD_KEYS = ("below", "above", "change_below", "change_above")
GRAINS = ("week", "month")
SMTP_PASSWORD_ENV = "KPI_SMTP_PASSWORD"
DEFAULT_TIMEZONE = "Asia/Shanghai"


class NotifyConfigError(SettingsError):
    """The [notify] settings are invalid; the message names the file and the key."""


@dataclass(frozen=True)
class Channel:
    name: str
    type: str
    url: str = field(default="", repr=False)  # robots' URLs carry their token: a secret
    secret: str = field(default="", repr=False)
    smtp_host: str = ""
    smtp_port: int = 0
    security: str = "none"
    username: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    to: tuple[str, ...] = ()
    ca_file: str = ""  # e-mail: trust this CA (an internal mail server's own certificate)
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)

    def secrets(self) -> tuple[str, ...]:
        """Every value that must never be printed or logged (see ``redact``)."""
        from urllib.parse import parse_qsl, urlsplit

        values = [self.secret, self.password, *self.headers.values()]
        if self.url:
            parts = urlsplit(self.url)
            values += [v for _, v in parse_qsl(parts.query)]
            values.append(parts.password or "")
        return tuple(v for v in values if v and len(v) >= 4)


@dataclass(frozen=True)
class Scope:
    projects: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    name: str
    type: str
    channels: tuple[str, ...]
    schedule: Schedule | None
    lang: str
    scope: Scope = Scope()
    as_user: str | None = None
    # threshold rules
    kpi: str = ""
    metric: str = ""
    grain: str = "week"
    limits: Mapping[str, float] = field(default_factory=dict)  # below/above/change_*
    min_cases: int = 0
    cases_column: str = ""
    # list rules
    max_items: int = 50
    send_empty: bool = False


@dataclass(frozen=True)
class NotifyConfig:
    dashboard_url: str = ""
    timezone: str = DEFAULT_TIMEZONE
    channels: Mapping[str, Channel] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    retries: int = 2  # further attempts within one run after a failure
    retry_backoff_seconds: float = 2.0  # wait before the first retry; doubles each time
    timeout_seconds: float = 10.0

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def rule(self, name: str) -> Rule:
        for rule in self.rules:
            if rule.name == name:
                return rule
        known = ", ".join(r.name for r in self.rules) or "none configured"
        raise NotifyConfigError(f"no notify rule named {name!r} (rules: {known})")

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for c in self.channels.values() for s in c.secrets())


_TOP = ("dashboard_url", "timezone", "channels", "rules", "retries", "retry_backoff_seconds",
        "timeout_seconds")  # fmt: skip
_CHANNEL_KEYS = {
    "dingtalk": ("url", "secret", "url_env", "secret_env"),
    "feishu": ("url", "secret", "url_env", "secret_env"),
    "wecom": ("url", "url_env"),
    "webhook": ("url", "secret", "headers", "url_env", "secret_env"),
    "email": ("smtp_host", "smtp_port", "security", "username", "from", "to", "ca_file"),
}
_RULE_COMMON = ("name", "type", "schedule", "channels", "lang", "scope", "as_user")
_RULE_KEYS = {
    "weekly_report": _RULE_COMMON,
    "threshold": (
        *_RULE_COMMON,
        "kpi",
        "metric",
        "grain",
        *THRESHOLD_KEYS,
        "min_cases",
        "cases_column",
    ),  # fmt: skip
    "open_sla_breaches": (*_RULE_COMMON, "max_items", "send_empty"),
    "overdue_vips": (*_RULE_COMMON, "max_items", "send_empty"),
}


@dataclass(frozen=True)
class _Check:
    """Value checks whose errors name the file and the key."""

    source: str

    def fail(self, key: str, message: str) -> NotifyConfigError:
        return NotifyConfigError(f"{self.source}: 'notify.{key}' {message}" if key else message)

    def text(self, key: str, value: Any, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(
                key, "must be a non-empty string" if value is not None else "is required"
            )
        return value.strip()

    def unknown(self, key: str, table: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
        extra = sorted(set(table) - set(allowed))
        if extra:
            where = f"{key}.{extra[0]}" if key else extra[0]
            raise self.fail(where, f"is not a known setting (known: {', '.join(allowed)})")

    def number(self, key: str, value: Any, minimum: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise self.fail(key, f"must be a number >= {minimum:g}, got {value!r}")
        return float(value)

    def whole(self, key: str, value: Any, minimum: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(key, f"must be a whole number >= {minimum}, got {value!r}")
        return value

    def name(self, key: str, value: Any) -> str:
        """A rule's or channel's name: part of a delivery's key RULE/PERIOD/CHANNEL."""
        found = self.text(key, value)
        if "/" in found:
            raise self.fail(key, f"must not contain '/', got {found!r}")
        return found

    def names(self, key: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, "must be a list of non-empty strings")
        return tuple(dict.fromkeys(v.strip() for v in value))


def parse_notify(
    raw: Mapping[str, Any],
    *,
    source: str = "kpi.toml",
    default_lang: str = "zh",
    default_timezone: str = DEFAULT_TIMEZONE,
    environ: Mapping[str, str] | None = None,
) -> NotifyConfig:
    """Check ``raw`` (the [notify] table) and return the configuration. Without
    ``timezone`` the schedules use ``default_timezone`` (the settings' top-level one)."""
    env = os.environ if environ is None else environ

    check = _Check(source)
    fail, text, unknown, number, whole = (
        check.fail,
        check.text,
        check.unknown,
        check.number,
        check.whole,
    )

    def tables(key: str) -> list[Mapping[str, Any]]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise fail(key, f"must be an array of tables ([[notify.{key}]])")
        return value

    if not isinstance(raw, Mapping):
        raise fail("", "[notify] must be a table")
    unknown("", raw, _TOP)
    url = raw.get("dashboard_url", "")
    if url and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
        raise fail("dashboard_url", f"must be an http(s) address, got {url!r}")
    timezone = text("timezone", raw.get("timezone", default_timezone))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(
            "timezone", f"is not a known time zone: {timezone!r} (e.g. Asia/Shanghai)"
        ) from None

    channels: dict[str, Channel] = {}
    for i, spec in enumerate(tables("channels")):
        key = f"channels[{i}]"
        name = check.name(f"{key}.name", spec.get("name"))
        key = f"channels[{i}] ({name})"
        if name in channels:
            raise fail(f"{key}.name", f"{name!r} is used by two channels")
        kind = spec.get("type")
        if kind not in CHANNEL_TYPES:
            raise fail(f"{key}.type", f"must be one of {', '.join(CHANNEL_TYPES)}, got {kind!r}")
        unknown(key, spec, ("name", "type", *_CHANNEL_KEYS[kind]))
        channels[name] = _channel(check, name, kind, spec, key, env)

    rules: list[Rule] = []
    for i, spec in enumerate(tables("rules")):
        key = f"rules[{i}]"
        name = check.name(f"{key}.name", spec.get("name"))
        key = f"rules[{i}] ({name})"
        if any(r.name == name for r in rules):
            raise fail(f"{key}.name", f"{name!r} is used by two rules")
        kind = spec.get("type")
        if kind not in RULE_TYPES:
            raise fail(f"{key}.type", f"must be one of {', '.join(RULE_TYPES)}, got {kind!r}")
        unknown(key, spec, _RULE_KEYS[kind])
        rules.append(_rule(check, name, kind, spec, key, channels, default_lang))

    return NotifyConfig(
        dashboard_url=url or "",
        timezone=timezone,
        channels=channels,
        rules=tuple(rules),
        retries=whole("retries", raw.get("retries", 2), 0),
        retry_backoff_seconds=number(
            "retry_backoff_seconds", raw.get("retry_backoff_seconds", 2.0), 0
        ),
        timeout_seconds=number("timeout_seconds", raw.get("timeout_seconds", 10.0), 0.1),
    )


def _channel(
    check: _Check, name: str, kind: str, spec: Mapping[str, Any], key: str, env: Mapping[str, str]
) -> Channel:
    fail, text, whole, names = check.fail, check.text, check.whole, check.names
    if kind != "email":
        url = _from_env(check, spec, key, "url", env) or text(f"{key}.url", spec.get("url"))
        if not url.startswith(("http://", "https://")):
            raise fail(f"{key}.url", "must be an http(s) address (the robot's webhook URL)")
        secret = _from_env(check, spec, key, "secret", env) or spec.get("secret", "")
        if "secret" in spec and (not isinstance(secret, str) or not secret.strip()):
            raise fail(f"{key}.secret", "must be a non-empty string (or leave it out)")
        headers = spec.get("headers", {})
        if not isinstance(headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
        ):
            raise fail(f"{key}.headers", "must be a table of header names and text values")
        return Channel(name, kind, url=url, secret=secret.strip(), headers=dict(headers))

    host = text(f"{key}.smtp_host", spec.get("smtp_host"))
    port = whole(f"{key}.smtp_port", spec.get("smtp_port", 465), 1)
    if port > 65535:
        raise fail(f"{key}.smtp_port", f"must be a port number (1-65535), got {port}")
    default_security = {465: "ssl", 587: "starttls"}.get(port, "none")
    security = spec.get("security", default_security)
    if security not in SECURITY:
        raise fail(f"{key}.security", f"must be one of {', '.join(SECURITY)}, got {security!r}")
    username = text(f"{key}.username", spec.get("username"), required=False)
    password = env.get(SMTP_PASSWORD_ENV, "")
    if username and not password:
        raise fail(
            f"{key}.username",
            f"is set but the SMTP password is missing: set the environment variable "
            f"{SMTP_PASSWORD_ENV} (the password is never read from the settings file)",
        )
    sender = text(f"{key}.from", spec.get("from"))
    to = names(f"{key}.to", spec.get("to", []))
    if not to:
        raise fail(f"{key}.to", "needs at least one address")
    for address in (sender, *to):
        if "@" not in address:
            raise fail(f"{key}", f"{address!r} is not an e-mail address")
    ca_file = text(f"{key}.ca_file", spec.get("ca_file"), required=False)
    if ca_file and not os.path.isfile(ca_file):
        raise fail(f"{key}.ca_file", f"names no file: {ca_file}")
    return Channel(
        name, kind, smtp_host=host, smtp_port=port, security=security, username=username,
        password=password, sender=sender, to=to, ca_file=ca_file,
    )  # fmt: skip


def _from_env(
    check: _Check, spec: Mapping[str, Any], key: str, name: str, env: Mapping[str, str]
) -> str:
    """``<name>_env = "VAR"``: the value comes from the environment variable VAR (keeps
    robot URLs and secrets out of the settings file). Unset or empty is an error."""
    variable = spec.get(f"{name}_env")
    if variable is None:
        return ""
    if f"{name}" in spec:
        raise check.fail(f"{key}.{name}_env", f"and {name} cannot both be set")
    variable = check.text(f"{key}.{name}_env", variable)
    value = env.get(variable, "").strip()
    if not value:
        raise check.fail(
            f"{key}.{name}_env", f"names the environment variable {variable}, which is not set"
        )
    return value


def _rule(
    check: _Check,
    name: str,
    kind: str,
    spec: Mapping[str, Any],
    key: str,
    channels: Mapping[str, Channel],
    default_lang: str,
) -> Rule:
    fail, text, whole, names = check.fail, check.text, check.whole, check.names
    wanted = names(f"{key}.channels", spec.get("channels", []))
    if not wanted:
        raise fail(f"{key}.channels", "needs at least one channel name")
    for channel in wanted:
        if channel not in channels:
            known = ", ".join(channels) or "none configured: add [[notify.channels]]"
            raise fail(
                f"{key}.channels", f"names an unknown channel {channel!r} (channels: {known})"
            )

    schedule = None
    if "schedule" in spec or kind != "threshold":
        value = spec.get("schedule")
        if value is None:
            raise fail(
                f"{key}.schedule", 'is required, e.g. "mon 09:00", "daily 08:30" or "1 09:00"'
            )
        try:
            schedule = parse_schedule(value)
        except ScheduleError as exc:
            raise fail(f"{key}.schedule", str(exc)) from None

    lang = spec.get("lang", default_lang)
    if lang not in LANGUAGES:
        raise fail(f"{key}.lang", f"must be one of {', '.join(LANGUAGES)}, got {lang!r}")

    scope_raw = spec.get("scope", {})
    if not isinstance(scope_raw, dict):
        raise fail(f"{key}.scope", 'must be a table, e.g. { projects = ["A"] }')
    extra = sorted(set(scope_raw) - {"projects", "regions"})
    if extra:
        raise fail(f"{key}.scope.{extra[0]}", "is not a known setting (known: projects, regions)")
    scope = Scope(
        projects=names(f"{key}.scope.projects", scope_raw.get("projects", [])),
        regions=names(f"{key}.scope.regions", scope_raw.get("regions", [])),
    )
    as_user = text(f"{key}.as_user", spec.get("as_user"), required=False) or None
    if as_user and (scope.projects or scope.regions):
        raise fail(
            f"{key}.as_user", "and scope cannot both be set: as_user already gives the scope"
        )

    common: dict[str, Any] = dict(
        name=name, type=kind, channels=wanted, schedule=schedule, lang=lang, scope=scope,
        as_user=as_user,
    )  # fmt: skip
    if kind in ("open_sla_breaches", "overdue_vips"):
        send_empty = spec.get("send_empty", False)
        if not isinstance(send_empty, bool):
            raise fail(f"{key}.send_empty", f"must be true or false, got {send_empty!r}")
        max_items = whole(f"{key}.max_items", spec.get("max_items", 50), 1)
        return Rule(**common, max_items=max_items, send_empty=send_empty)
    if kind == "weekly_report":
        return Rule(**common)

    kpi = text(f"{key}.kpi", spec.get("kpi"))
    metric = text(f"{key}.metric", spec.get("metric"))
    grain = spec.get("grain", "week")
    if grain not in GRAINS:
        raise fail(f"{key}.grain", f"must be week or month, got {grain!r}")
    limits = {}
    for name_ in THRESHOLD_KEYS:
        if name_ in spec:
            value = spec[name_]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise fail(f"{key}.{name_}", f"must be a number, got {value!r}")
            limits[name_] = float(value)
    if not limits:
        raise fail(key, f"needs one of {', '.join(THRESHOLD_KEYS)} (when the alert fires)")
    min_cases = whole(f"{key}.min_cases", spec.get("min_cases", 0), 0)
    cases_column = text(f"{key}.cases_column", spec.get("cases_column"), required=False)
    _check_metric(check, kpi, metric, grain, limits, cases_column, min_cases, key)
    return Rule(
        **common, kpi=kpi, metric=metric, grain=grain, limits=limits, min_cases=min_cases,
        cases_column=cases_column,
    )  # fmt: skip


# The count a rate or average is taken over: a threshold rule's ``min_cases`` applies to it.
CASES_COLUMN: dict[str, str] = {
    "retention_rate": "previous_active",
    "churn_rate": "previous_active",
    "sla_met_rate": "opened",
    "median_resolution_hours": "resolved",
    "p90_resolution_hours": "resolved",
    "median_first_response_hours": "opened",
    "csat_avg": "responses",
    "satisfied_rate": "responses",
    "nps": "nps_responses",
    "coverage_rate": "vip_customers",
}


def _check_metric(
    check: _Check,
    kpi: str,
    metric: str,
    grain: str,
    limits: Mapping[str, float],
    cases_column: str,
    min_cases: int,
    key: str,
) -> None:
    """The KPI must be a query with periods and the metric one of its columns (by the query
    file's own declaration, so an analyst's query works as well as the five KPIs)."""
    from dashboard.kpis import get_query, list_queries

    try:
        query = get_query(kpi)
    except ValueError:
        known = ", ".join(q.id for q in list_queries() if q.grains)
        raise check.fail(f"{key}.kpi", f"is not a known KPI: {kpi!r} (KPIs: {known})") from None
    if not query.grains:
        raise check.fail(f"{key}.kpi", f"{kpi!r} has no periods, so no threshold can be checked")
    if grain not in query.grains:
        raise check.fail(
            f"{key}.grain", f"{kpi} has no {grain} grain (use {' or '.join(query.grains)})"
        )
    if query.units.get(metric) == "rate":
        for name in ("below", "above"):
            value = limits.get(name)
            if value is not None and not -1 <= value <= 1:
                raise check.fail(
                    f"{key}.{name}",
                    f"{metric} is a rate, written as a fraction: {value / 100:g} for {value:g} % "
                    "(change_below/change_above are in percentage points)",
                )
    if min_cases and not (cases_column or CASES_COLUMN.get(metric)):
        raise check.fail(
            f"{key}.min_cases",
            f"needs cases_column: which column of {kpi} counts the cases behind {metric!r}",
        )
