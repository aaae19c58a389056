"""Which clock each SLA rule uses, in words (the Complaints page's note, #17)."""

from __future__ import annotations

from dashboard.present.i18n import t
from dashboard.settings import Settings
from dashboard.sla_clock.config import WEEKDAYS

WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def _hours(value: float) -> str:
    return f"{value:g}"


def _clock(settings: Settings, clock: str, lang: str) -> str:
    if clock == "calendar":
        return t("sla_clock_calendar", lang)
    spans = ", ".join(s.label for s in settings.calendar.work_hours)
    return t("sla_clock_business", lang, hours=spans)


def clock_note(settings: Settings, lang: str) -> str:
    """One line per rule: the default, then each [[sla.rules]] entry with its clock; and,
    when a business clock is in use, which days are working days."""
    sep = "；" if lang == "zh" else "; "
    parts = [
        t(
            "sla_note_default",
            lang,
            hours=_hours(settings.sla_default_hours),
            clock=_clock(settings, settings.sla_clock, lang),
        )
    ]
    for rule in settings.sla_rules:
        match = [
            t(f"sla_note_{name}", lang, value=value)
            for name, value in (("severity", rule.severity), ("category", rule.category))
            if value
        ]
        parts.append(
            t(
                "sla_note_rule",
                lang,
                match=" + ".join(match),
                hours=_hours(rule.hours),
                clock=_clock(settings, settings.rule_clock(rule), lang),
            )
        )
    note = t("sla_note", lang, rules=sep.join(parts))
    if settings.uses_business_clock:
        cal = settings.calendar
        names = WEEKDAYS_ZH if lang == "zh" else WEEKDAYS
        workdays = ("、" if lang == "zh" else ", ").join(names[d - 1] for d in cal.workdays)
        holidays = t("sla_holidays_cn" if cal.holidays == "CN" else "sla_holidays_none", lang)
        note += " " + t("sla_calendar_days", lang, workdays=workdays, holidays=holidays)
    return note
