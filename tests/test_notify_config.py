"""[notify] settings: clear errors naming the key, and nothing secret in them."""

from __future__ import annotations

import tomllib

import pytest

from dashboard.notify.config import NotifyConfigError, parse_notify
from dashboard.settings import SettingsError, parse_settings

BASE = """
dashboard_url = "http://kpi.example.com/"
[[channels]]
name = "ops"
type = "dingtalk"
url = "https://oapi.dingtalk.com/robot/send?access_token=tok-123456"
secret = "SECverysecret"
[[channels]]
name = "mail"
type = "email"
smtp_host = "smtp.example.com"
smtp_port = 587
username = "kpi"
from = "kpi@example.com"
to = ["ceo@example.com"]
"""
RULE = """
[[rules]]
name = "weekly"
type = "weekly_report"
schedule = "mon 09:00"
channels = ["ops"]
"""
ENV = {"KPI_SMTP_PASSWORD": "smtp-pass-xyz"}


def parse(text: str, env: dict[str, str] | None = None):
    return parse_notify(tomllib.loads(text), environ=ENV if env is None else env)


def test_a_full_configuration() -> None:
    config = parse(
        BASE
        + RULE
        + """
[[rules]]
name = "sla"
type = "threshold"
kpi = "complaints"
metric = "sla_met_rate"
below = 0.9
min_cases = 5
channels = ["ops", "mail"]
lang = "zh"
scope = { projects = ["华泰"] }
"""
    )
    assert config.timezone == "Asia/Shanghai"
    assert config.channels["mail"].security == "starttls"  # the default on port 587
    assert config.channels["mail"].password == "smtp-pass-xyz"
    sla = config.rule("sla")
    assert sla.schedule is None and sla.limits == {"below": 0.9} and sla.min_cases == 5
    assert sla.scope.projects == ("华泰",) and sla.lang == "zh"
    assert config.rule("weekly").lang == "zh"  # the settings' language by default
    assert "SECverysecret" not in repr(config) and "smtp-pass-xyz" not in repr(config)
    assert "tok-123456" not in repr(config)


def test_security_defaults_follow_the_port() -> None:
    def security(port: int) -> str:
        text = BASE.replace("smtp_port = 587", f"smtp_port = {port}") + RULE
        return parse(text).channels["mail"].security

    assert (security(465), security(587), security(25)) == ("ssl", "starttls", "none")


@pytest.mark.parametrize(
    ("extra", "key", "words"),
    [
        (
            RULE.replace('["ops"]', '["ops", "exec"]'),
            "notify.rules[0] (weekly).channels",
            "unknown channel 'exec'",
        ),
        (
            RULE.replace("mon 09:00", "monday at nine"),
            "notify.rules[0] (weekly).schedule",
            "must be",
        ),
        (
            RULE.replace("mon 09:00", "mon 24:00"),
            "notify.rules[0] (weekly).schedule",
            "no such time",
        ),
        (
            RULE.replace('schedule = "mon 09:00"\n', ""),
            "notify.rules[0] (weekly).schedule",
            "is required",
        ),
        (
            RULE.replace("weekly_report", "weekly"),
            "notify.rules[0] (weekly).type",
            "must be one of",
        ),
        (RULE + 'lang = "fr"\n', "notify.rules[0] (weekly).lang", "zh, en"),
        (RULE + 'colour = "red"\n', "notify.rules[0] (weekly).colour", "not a known setting"),
        (
            RULE.replace('name = "weekly"', 'name = "a/b"'),
            "notify.rules[0].name",
            "must not contain '/'",
        ),
        (
            RULE + 'scope = { teams = ["x"] }\n',
            "notify.rules[0] (weekly).scope.teams",
            "not a known",
        ),
        (RULE + 'as_user = "zhang"\nscope = { projects = ["A"] }\n', "as_user", "cannot both"),
    ],
)
def test_rule_errors_name_the_key(extra: str, key: str, words: str) -> None:
    with pytest.raises(NotifyConfigError) as info:
        parse(BASE + extra)
    assert key in str(info.value) and words in str(info.value)


@pytest.mark.parametrize(
    ("rule", "key", "words"),
    [
        (
            'kpi = "complaints"\nmetric = "sla_met_rate"\n',
            "notify.rules[0] (t)",
            "needs one of below",
        ),
        ('kpi = "nosuch"\nmetric = "x"\nbelow = 1\n', "notify.rules[0] (t).kpi", "not a known KPI"),
        (
            'kpi = "complaints"\nmetric = "sla_met_rate"\nbelow = "low"\n',
            "notify.rules[0] (t).below",
            "must be a number",
        ),
        (
            'kpi = "complaints"\nmetric = "sla_met_rate"\nbelow = 1\ngrain = "day"\n',
            "notify.rules[0] (t).grain",
            "week or month",
        ),
        (
            'kpi = "complaints"\nmetric = "opened"\nabove = 1\nmin_cases = 3\n',
            "notify.rules[0] (t).min_cases",
            "cases_column",
        ),
        (
            'kpi = "complaints"\nmetric = "sla_met_rate"\nbelow = 1\nmin_cases = -1\n',
            "notify.rules[0] (t).min_cases",
            "whole number",
        ),
    ],
)
def test_threshold_errors(rule: str, key: str, words: str) -> None:
    text = BASE + f'[[rules]]\nname = "t"\ntype = "threshold"\nchannels = ["ops"]\n{rule}'
    with pytest.raises(NotifyConfigError) as info:
        parse(text)
    assert key in str(info.value) and words in str(info.value)


def test_missing_smtp_password_is_named_without_any_secret() -> None:
    with pytest.raises(NotifyConfigError) as info:
        parse(BASE + RULE, env={})
    message = str(info.value)
    assert "notify.channels[1] (mail).username" in message and "KPI_SMTP_PASSWORD" in message
    assert "SECverysecret" not in message and "tok-123456" not in message


@pytest.mark.parametrize(
    ("replace", "key", "words"),
    [
        (
            ('type = "dingtalk"', 'type = "slack"'),
            "notify.channels[0] (ops).type",
            "must be one of",
        ),
        (
            ('secret = "SECverysecret"', 'secret = ""'),
            "notify.channels[0] (ops).secret",
            "non-empty",
        ),
        (('url = "https://oapi', 'url = "ftp://oapi'), "notify.channels[0] (ops).url", "http(s)"),
        (('to = ["ceo@example.com"]', "to = []"), "notify.channels[1] (mail).to", "at least one"),
        (
            ("smtp_port = 587", "smtp_port = 70000"),
            "notify.channels[1] (mail).smtp_port",
            "port number",
        ),
        (('name = "mail"', 'name = "ops"'), "notify.channels[1] (ops).name", "two channels"),
        (
            ('dashboard_url = "http://kpi.example.com/"', 'dashboard_url = "kpi.example.com"'),
            "notify.dashboard_url",
            "http(s)",
        ),
    ],
)
def test_channel_errors_name_the_key(replace: tuple[str, str], key: str, words: str) -> None:
    with pytest.raises(NotifyConfigError) as info:
        parse(BASE.replace(*replace) + RULE)
    assert key in str(info.value) and words in str(info.value)
    assert "SECverysecret" not in str(info.value) and "tok-123456" not in str(info.value)


def test_bad_time_zone() -> None:
    with pytest.raises(NotifyConfigError, match="'notify.timezone' is not a known time zone"):
        parse('timezone = "Mars/Olympus"\n' + BASE + RULE)


def test_settings_keep_the_notify_table_for_this_module() -> None:
    settings = parse_settings({"language": "en", "notify": {"dashboard_url": "http://x/"}})
    assert settings.notify["dashboard_url"] == "http://x/"
    assert dict(parse_settings({}).notify) == {}
    with pytest.raises(SettingsError, match="'notify' must be a table"):
        parse_settings({"notify": 3})


def test_robot_url_and_secret_from_the_environment() -> None:
    text = (
        BASE.replace(
            'url = "https://oapi.dingtalk.com/robot/send?access_token=tok-123456"\nsecret = "SECverysecret"',
            'url_env = "DING_URL"\nsecret_env = "DING_SECRET"',
        )
        + RULE
    )
    env = {
        **ENV,
        "DING_URL": "https://oapi.dingtalk.com/robot/send?access_token=t-987654",
        "DING_SECRET": "SECfromenv",
    }
    channel = parse(text, env=env).channels["ops"]
    assert channel.url.endswith("t-987654") and channel.secret == "SECfromenv"
    with pytest.raises(NotifyConfigError) as info:
        parse(text, env={**ENV, "DING_URL": env["DING_URL"]})
    assert (
        "'notify.channels[0] (ops).secret_env' names the environment variable DING_SECRET, which is not set"
        in str(info.value)
    )
    with pytest.raises(NotifyConfigError, match="secret_env' and secret cannot both be set"):
        parse(
            BASE.replace('secret = "SECverysecret"', 'secret = "x1234"\nsecret_env = "DING_SECRET"')
            + RULE,
            env=env,
        )


def test_schedules_default_to_the_settings_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.notify.run import load_config

    monkeypatch.setenv("KPI_SMTP_PASSWORD", "smtp-pass-xyz")
    raw = tomllib.loads(BASE + RULE)
    settings = parse_settings({"timezone": "Europe/Berlin", "notify": raw})
    assert load_config(settings).timezone == "Europe/Berlin"
    assert load_config(parse_settings({"notify": raw})).timezone == "Asia/Shanghai"
    own = parse_settings({"timezone": "Europe/Berlin", "notify": {**raw, "timezone": "UTC"}})
    assert load_config(own).timezone == "UTC"
