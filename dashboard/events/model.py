"""An event on the timeline and its checks, shared by the Data page, the CLI and the import.

A problem is an ``EventProblem``: a code and values, worded in both languages by
``dashboard.events.words`` (the page shows the user's language, the CLI English).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MAX_TITLE = 200  # characters: a tooltip line, not a document
# Separators between names in one cell: comma, semicolon, 、, |, in half or full width.
_NAME_SEPARATORS = re.compile(r"[,;|、，；]+")
# 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日 (a time after the date is ignored: an event is
# a day, and XLSX date cells arrive as "2026-03-05 00:00:00")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
DATE_EXAMPLE = "2026-03-05"


class EventProblem(ValueError):
    """Why an event cannot be saved: ``code`` names the words (``event_problem_<code>``)."""

    def __init__(self, code: str, **values: object) -> None:
        self.code = code
        self.values = {k: str(v) for k, v in values.items()}
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        from dashboard.events.words import problem_text

        return problem_text(self.code, lang, **self.values)


@dataclass(frozen=True)
class EventDraft:
    """What a person types (or a CSV row holds), before it has an id."""

    starts_on: dt.date
    title: str
    ends_on: dt.date | None = None
    title_zh: str | None = None
    projects: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event(EventDraft):
    event_id: int = 0
    created_at: dt.datetime | None = None
    created_by: str = ""
    updated_at: dt.datetime | None = None
    updated_by: str | None = None
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def last_day(self) -> dt.date:
        return self.ends_on or self.starts_on

    def shown_title(self, lang: str) -> str:
        return (self.title_zh or self.title) if lang == "zh" else self.title


def clean_text(value: object) -> str:
    """Trimmed text without control characters (a title is one tooltip line)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return " ".join(text.split())


def split_names(value: object) -> tuple[str, ...]:
    """A list cell ("Alpha, Beta", "东区、西区") or a list as names, trimmed, unique, in order."""
    if value is None:
        return ()
    items: Iterable[object] = (
        _NAME_SEPARATORS.split(str(value)) if isinstance(value, str) else value  # type: ignore[assignment]
    )
    names = [clean_text(item) for item in items]
    return tuple(dict.fromkeys(n for n in names if n))


def parse_date(value: object, column: str) -> dt.date | None:
    """A date from a cell: a date object or one of the forms of ``_DATE``; empty -> None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", clean_text(value))
    if not text:
        return None
    match = _DATE.match(text)
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    raise EventProblem("bad_date", column=column, value=text, example=DATE_EXAMPLE)


def validate(
    draft: EventDraft,
    *,
    known_projects: Sequence[str] | None = None,
    known_regions: Sequence[str] | None = None,
) -> EventDraft:
    """The draft cleaned (trimmed title, empty Chinese title -> None), or ``EventProblem``.

    ``known_projects``/``known_regions``: the names the data has; a name outside them is
    refused (a typo would silently never match a filter). None or empty: not checked
    (nothing imported yet)."""
    title = clean_text(draft.title)
    title_zh = clean_text(draft.title_zh) or None
    if not title and title_zh:  # a Chinese-only title is a title
        title, title_zh = title_zh, None
    if not title:
        raise EventProblem("empty_title")
    if len(title) > MAX_TITLE or len(title_zh or "") > MAX_TITLE:
        raise EventProblem("long_title", limit=MAX_TITLE)
    if not isinstance(draft.starts_on, dt.date):
        raise EventProblem("no_start")
    ends_on = draft.ends_on if draft.ends_on != draft.starts_on else None
    if ends_on is not None and ends_on < draft.starts_on:
        raise EventProblem("end_before_start", start=draft.starts_on, end=ends_on)
    projects, regions = split_names(draft.projects), split_names(draft.regions)
    for kind, names, known in (("project", projects, known_projects),
                               ("region", regions, known_regions)):  # fmt: skip
        if known:
            unknown = [n for n in names if n not in set(known)]
            if unknown:
                raise EventProblem(
                    f"unknown_{kind}", name=unknown[0], known=", ".join(sorted(known)[:20])
                )
    return EventDraft(
        starts_on=_plain_date(draft.starts_on),
        title=title,
        ends_on=_plain_date(ends_on) if ends_on else None,
        title_zh=title_zh,
        projects=projects,
        regions=regions,
    )


def _plain_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
