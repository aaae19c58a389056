"""Project settings from ``kpi.toml`` at the project root (documented in that file and in
docs/KPIS.md). A missing file means the defaults; an invalid value raises ``SettingsError``
naming the key. Settings reach SQL only as bound parameters (see ``sql_params``)."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from dashboard.paths import settings_path
from dashboard.sla_clock.config import CalendarSettings, parse_calendar, parse_clock

LANGUAGES = ("zh", "en")
DIRECTIONS = ("higher", "lower")


class SettingsError(ValueError):
    """kpi.toml is invalid; the message names the file and the key."""


@dataclass(frozen=True)
class Target:
    value: float
    direction: str  # "higher" (at least value is good) or "lower" (at most value is good)

    def is_met(self, actual: float | None) -> bool | None:
        if actual is None or actual != actual:  # NULL / NaN: no verdict
            return None
        return actual >= self.value if self.direction == "higher" else actual <= self.value


@dataclass(frozen=True)
class SlaRule:
    """SLA hours for complaints of a severity and/or category (both given = both must match)."""

    hours: float
    severity: str | None = None
    category: str | None = None
    clock: str | None = None  # "calendar" | "business"; None: the [sla] clock (#17)


# The shipped kpi.toml states these same values (tests/test_settings.py compares them), so
# deleting the file changes nothing. Rates are weekly: the Overview compares weeks.
DEFAULT_TARGETS: dict[str, Target] = {
    "retention_rate": Target(0.2, "higher"),
    "churn_rate": Target(0.8, "lower"),
    "sla_met_rate": Target(0.9, "higher"),
    "median_resolution_hours": Target(24.0, "lower"),
    "p90_resolution_hours": Target(72.0, "lower"),
    "median_first_response_hours": Target(4.0, "lower"),
    "backlog_end": Target(30.0, "lower"),
    "csat_avg": Target(4.2, "higher"),
    "satisfied_rate": Target(0.85, "higher"),
    "nps": Target(30.0, "higher"),
    "coverage_rate": Target(1.0, "higher"),
    "overdue_vips": Target(10.0, "lower"),
}


# --- [sqllab] limits (#19) ------------------------------------------------------------
@dataclass(frozen=True)
class SqlLabLimits:
    """What one SQL-lab query may use, and how many may run at once (``[sqllab]``)."""

    timeout_seconds: float = 15.0
    max_rows: int = 10_000
    max_result_mb: float = 64.0  # Arrow bytes fetched before the result is cut
    max_cell_chars: int = 5_000  # longer text cells are cut (and marked with '…')
    max_concurrent: int = 4  # SQL-lab queries running at once in one app process
    memory_limit: str = "1GB"  # DuckDB's limit for the query's connection


_SQLLAB_KEYS = (
    "timeout_seconds",
    "max_rows",
    "max_result_mb",
    "max_cell_chars",
    "max_concurrent",
    "memory_limit",
)
_MEMORY = re.compile(r"^\s*\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)\s*$", re.IGNORECASE)
# --- end [sqllab] ---------------------------------------------------------------------


# --- [access] (#15) ------------------------------------------------------------------------
ACCESS_MODES = ("none", "password", "oidc")


@dataclass(frozen=True)
class AccessSettings:
    """``[access]``: who may sign in and how (docs/OPERATIONS.md, "Deploying for a company").

    ``users_file`` None means ``users.toml`` beside the database (``dashboard.access``)."""

    mode: str = "none"  # none (single-user local) | password | oidc
    users_file: Path | None = None
    session_minutes: int = 480  # a sign-in lasts this long, then the user signs in again
    company_averages: bool = False  # department heads may see company-wide averages


def _parse_access(raw: Any, source: str, fail: Any) -> AccessSettings:
    if not isinstance(raw, dict):
        raise fail("access", "must be a table")
    allowed = ("mode", "users_file", "session_minutes", "company_averages")
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise fail(f"access.{unknown[0]}", "is not a known setting")
    mode = raw.get("mode", "none")
    if mode not in ACCESS_MODES:
        raise fail("access.mode", f"must be one of {', '.join(ACCESS_MODES)}, got {mode!r}")
    users_file = raw.get("users_file")
    if users_file is not None:
        if not isinstance(users_file, str) or not users_file.strip():
            raise fail("access.users_file", f"must be a file path, got {users_file!r}")
        users_file = Path(users_file).expanduser()
        if not users_file.is_absolute():  # relative to the settings file, not the cwd
            users_file = Path(source).parent / users_file
    minutes = raw.get("session_minutes", 480)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
        raise fail("access.session_minutes", f"must be a whole number >= 1, got {minutes!r}")
    averages = raw.get("company_averages", False)
    if not isinstance(averages, bool):
        raise fail("access.company_averages", f"must be true or false, got {averages!r}")
    return AccessSettings(mode, users_file, minutes, averages)


# --- end [access] ----------------------------------------------------------------------------


# --- [engine] (#18): which engine computes the KPIs ------------------------------------
ENGINE_NAMES = ("duckdb", "spark")


@dataclass(frozen=True)
class EngineSettings:
    """``[engine]``: ``name`` duckdb (default) or spark; ``lake`` the Parquet folder Spark reads
    (written by ``kpi lake export``); ``spark_remote`` an ``sc://host:port`` Spark Connect
    address (none: Spark in local mode on this machine)."""

    name: str = "duckdb"
    lake: str | None = None
    spark_remote: str | None = None


def _parse_engine(raw: Any, source: str) -> EngineSettings:
    def fail(key: str, message: str) -> SettingsError:
        return SettingsError(f"{source}: 'engine.{key}' {message}")

    if not isinstance(raw, dict):
        raise SettingsError(f"{source}: 'engine' must be a table")
    unknown = sorted(set(raw) - {"name", "lake", "spark_remote"})
    if unknown:
        raise fail(unknown[0], "is not a known setting")
    name = raw.get("name", "duckdb")
    if name not in ENGINE_NAMES:
        raise fail("name", f"must be one of {', '.join(ENGINE_NAMES)}, got {name!r}")
    for key in ("lake", "spark_remote"):
        if key in raw and (not isinstance(raw[key], str) or not raw[key].strip()):
            raise fail(key, "must be a non-empty string")
    remote = raw.get("spark_remote")
    if remote is not None and not remote.startswith("sc://"):
        raise fail(
            "spark_remote", f"must be a Spark Connect address sc://HOST:PORT, got {remote!r}"
        )
    if name == "spark" and "lake" not in raw:
        raise fail("lake", 'is required with name = "spark" (the folder of `kpi lake export`)')
    return EngineSettings(name=name, lake=raw.get("lake"), spark_remote=remote)


# --- end [engine] -------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    sla_default_hours: float = 24.0
    sla_rules: tuple[SlaRule, ...] = ()
    vip_interval_days: int = 30
    targets: MappingProxyType = field(default_factory=lambda: MappingProxyType(DEFAULT_TARGETS))
    language: str = "zh"
    # the company's local time: exports' zone-aware timestamps are converted to it
    timezone: str = "Asia/Shanghai"
    # a rate over fewer cases is shown as "too few cases": not coloured, not ranked
    min_cases: int = 5
    # The raw [notify] table, parsed and validated by dashboard.notify.config (#16).
    notify: MappingProxyType = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )
    # the SLA clock (#17, dashboard/sla_clock): [sla] clock and the [calendar] it runs on
    sla_clock: str = "calendar"
    calendar: CalendarSettings = field(default_factory=CalendarSettings)

    def rule_clock(self, rule: SlaRule) -> str:
        return rule.clock or self.sla_clock

    @property
    def uses_business_clock(self) -> bool:
        return self.sla_clock == "business" or any(
            self.rule_clock(r) == "business" for r in self.sla_rules
        )

    sqllab: SqlLabLimits = field(default_factory=SqlLabLimits)
    access: AccessSettings = field(default_factory=AccessSettings)
    engine: EngineSettings = EngineSettings()  # [engine] (#18)

    def target(self, kpi_column: str) -> Target | None:
        return self.targets.get(kpi_column)

    def sql_params(self) -> dict[str, Any]:
        """Values bound as ``$sla_default_hours``, ``$sla_rules``, ``$vip_interval_days``,
        ``$sla_clock`` and the working calendar's ``$calendar_*`` (dashboard/sla_clock).

        ``$sla_rules`` is a list of structs in file order, each with its own clock; SQL
        picks the most specific matching rule (severity and category > one of them), the
        first one on a tie.
        """
        from dashboard.sla_clock.params import calendar_params, unused_calendar_params

        rules = [
            {
                "severity": r.severity,
                "category": r.category,
                "hours": float(r.hours),
                "clock": self.rule_clock(r),
                "rank": i,
            }
            for i, r in enumerate(self.sla_rules)
        ]
        return {
            "sla_default_hours": float(self.sla_default_hours),
            "sla_rules": rules,
            "vip_interval_days": int(self.vip_interval_days),
            "sla_clock": self.sla_clock,
            **(
                calendar_params(self.calendar)
                if self.uses_business_clock
                else unused_calendar_params()
            ),
        }


_TOP_KEYS = (
    "language",
    "timezone",
    "min_cases",
    "sla",
    "vip",
    "targets",
    "notify",
    "calendar",
    "sqllab",
    "access",
    "engine",
)


def load_settings(path: str | Path | None = None) -> Settings:
    """Read the settings file (``path``, else ``$KPI_SETTINGS``, else ``kpi.toml``).

    A missing ``kpi.toml`` gives the defaults; a missing file that was named explicitly
    (``path`` or ``$KPI_SETTINGS``) is an error, since a typo must not silently mean defaults.
    """
    explicit = bool(path) or bool(os.environ.get("KPI_SETTINGS"))
    path = settings_path(path)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        if explicit:
            raise SettingsError(f"{path}: settings file not found") from None
        return Settings()
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read settings: {exc}") from exc
    return _parse_file(str(path), content)


@lru_cache(maxsize=8)
def _parse_file(source: str, content: bytes) -> Settings:
    # Keyed by the file's bytes: every KPI call loads the settings, and parsing the TOML
    # each time was a fixed cost of ~1-2 ms per call; an edited file is parsed again at once.
    # Settings are frozen, so sharing one instance is safe.
    try:
        raw = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{source}: cannot read settings: {exc}") from exc
    return parse_settings(raw, source=source)


def parse_settings(raw: dict[str, Any], source: str = "kpi.toml") -> Settings:
    def fail(key: str, message: str) -> SettingsError:
        return SettingsError(f"{source}: '{key}' {message}")

    def number(key: str, value: Any, minimum: float | None = 0.0) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(key, f"must be a number, got {value!r}")
        if minimum is not None and value < minimum:
            raise fail(key, f"must be >= {minimum:g}, got {value!r}")
        return float(value)

    def table(key: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise fail(key, "must be a table")
        return value

    def no_unknown(key: str, value: dict[str, Any], allowed: tuple[str, ...]) -> None:
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            raise fail(f"{key}.{unknown[0]}" if key else unknown[0], "is not a known setting")

    no_unknown("", raw, _TOP_KEYS)
    language = raw.get("language", "zh")
    if language not in LANGUAGES:
        raise fail("language", f"must be one of {', '.join(LANGUAGES)}, got {language!r}")

    timezone = raw.get("timezone", "Asia/Shanghai")
    if not isinstance(timezone, str) or not _known_zone(timezone):
        raise fail(
            "timezone", f"must be an IANA time zone such as 'Asia/Shanghai', got {timezone!r}"
        )

    min_cases = raw.get("min_cases", 5)
    if isinstance(min_cases, bool) or not isinstance(min_cases, int) or min_cases < 1:
        raise fail("min_cases", f"must be a whole number >= 1, got {min_cases!r}")

    sla = table("sla", raw.get("sla", {}))
    no_unknown("sla", sla, ("default_hours", "rules", "clock"))
    default_hours = number("sla.default_hours", sla.get("default_hours", 24.0))
    sla_clock = parse_clock("sla.clock", sla.get("clock", "calendar"), fail)
    rules_raw = sla.get("rules", [])
    if not isinstance(rules_raw, list):
        raise fail("sla.rules", "must be an array of tables ([[sla.rules]])")
    rules = []
    for i, rule in enumerate(rules_raw):
        key = f"sla.rules[{i}]"
        rule = table(key, rule)
        no_unknown(key, rule, ("severity", "category", "hours", "clock"))
        if "hours" not in rule:
            raise fail(f"{key}.hours", "is required")
        for name in ("severity", "category"):
            if name in rule and (not isinstance(rule[name], str) or not rule[name].strip()):
                raise fail(f"{key}.{name}", "must be a non-empty string")
        if "severity" not in rule and "category" not in rule:
            raise fail(key, "needs a severity and/or a category (use sla.default_hours else)")
        rules.append(
            SlaRule(
                hours=number(f"{key}.hours", rule["hours"]),
                severity=rule.get("severity"),
                category=rule.get("category"),
                clock=parse_clock(f"{key}.clock", rule["clock"], fail) if "clock" in rule else None,
            )
        )

    vip = table("vip", raw.get("vip", {}))
    no_unknown("vip", vip, ("interval_days",))
    interval = vip.get("interval_days", 30)
    if isinstance(interval, bool) or not isinstance(interval, int) or interval < 1:
        raise fail("vip.interval_days", f"must be a whole number of days >= 1, got {interval!r}")

    targets = dict(DEFAULT_TARGETS)
    for name, spec in table("targets", raw.get("targets", {})).items():
        key = f"targets.{name}"
        spec = table(key, spec)
        no_unknown(key, spec, ("value", "direction"))
        if "value" not in spec:
            raise fail(f"{key}.value", "is required")
        direction = spec.get("direction", targets[name].direction if name in targets else None)
        if direction not in DIRECTIONS:
            raise fail(f"{key}.direction", f"must be 'higher' or 'lower', got {direction!r}")
        targets[name] = Target(number(f"{key}.value", spec["value"], None), direction)

    # --- [sqllab] (#19) ---
    lab = table("sqllab", raw.get("sqllab", {}))
    no_unknown("sqllab", lab, _SQLLAB_KEYS)
    lab_defaults = SqlLabLimits()

    def whole(key: str, minimum: int) -> int:
        value = lab.get(key, getattr(lab_defaults, key))
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise fail(f"sqllab.{key}", f"must be a whole number >= {minimum}, got {value!r}")
        return value

    def positive(key: str) -> float:
        value = number(f"sqllab.{key}", lab.get(key, getattr(lab_defaults, key)))
        if value <= 0:
            raise fail(f"sqllab.{key}", f"must be > 0, got {value!r}")
        return value

    memory_limit = lab.get("memory_limit", lab_defaults.memory_limit)
    if not isinstance(memory_limit, str) or not _MEMORY.match(memory_limit):
        raise fail(
            "sqllab.memory_limit", f'must be a size such as "1GB" or "512MB", got {memory_limit!r}'
        )
    sqllab = SqlLabLimits(
        timeout_seconds=positive("timeout_seconds"),
        max_rows=whole("max_rows", 1),
        max_result_mb=positive("max_result_mb"),
        max_cell_chars=whole("max_cell_chars", 10),
        max_concurrent=whole("max_concurrent", 1),
        memory_limit=memory_limit.strip(),
    )
    # --- end [sqllab] ---

    return Settings(
        sla_default_hours=default_hours,
        sla_rules=tuple(rules),
        vip_interval_days=interval,
        targets=MappingProxyType(targets),
        language=language,
        timezone=timezone,
        min_cases=min_cases,
        notify=MappingProxyType(table("notify", raw.get("notify", {}))),
        sla_clock=sla_clock,
        calendar=parse_calendar(raw.get("calendar", {}), fail),
        sqllab=sqllab,
        access=_parse_access(raw.get("access", {}), source, fail),
        engine=_parse_engine(raw.get("engine", {}), source),  # [engine] (#18)
    )


def _known_zone(name: str) -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True
