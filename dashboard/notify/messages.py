"""A notification as the channels send it: title, the lines that are always kept, a list
that may be shortened to fit a robot's size limit, a link back to the dashboard, and for
e-mail an HTML body with attachments. Renderers per channel type live here too."""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from dashboard.notify.words import word

# The dashboard page (Streamlit URL path of dashboard/ui/pages/<name>.py) per KPI.
PAGE_OF_KPI = {
    "retention": "retention",
    "cohorts": "retention",
    "complaints": "complaints",
    "satisfaction": "satisfaction",
    "vip_coverage": "vip",
}


@dataclass(frozen=True)
class Attachment:
    filename: str
    mime: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Message:
    rule: str
    period: str  # the period the delivery log keys on, e.g. "2026-W26"
    lang: str
    title: str
    lines: tuple[str, ...]  # always sent
    items: tuple[str, ...] = ()  # a list; cut from the end to fit a size limit
    items_total: int | None = None  # items behind the list when it was already capped
    link: str = ""
    data: dict[str, Any] = field(default_factory=dict)  # structured, for webhooks
    attachments: tuple[Attachment, ...] = ()

    @property
    def hidden_items(self) -> int:
        return (self.items_total if self.items_total is not None else len(self.items)) - len(
            self.items
        )

    def tail(self) -> list[str]:
        return [word("more_items", self.lang, n=self.hidden_items)] if self.hidden_items else []

    def text(self) -> str:
        """Plain text (dry runs, webhooks, e-mail's text part)."""
        parts = [self.title, "", *self.lines]
        if self.items:
            parts += ["", *(f"- {item}" for item in self.items)]
        parts += self.tail()
        if self.link:
            parts += ["", f"{word('open_dashboard', self.lang)}: {self.link}"]
        return "\n".join(parts)

    def markdown(self) -> str:
        """Markdown for the DingTalk and WeCom robots (a blank line breaks a line in both)."""
        parts = [f"### {self.title}", *self.lines]
        if self.items:
            parts.append("\n".join(f"- {item}" for item in self.items))
        parts += self.tail()
        if self.link:
            parts.append(f"[{word('open_dashboard', self.lang)}]({self.link})")
        return "\n\n".join(parts)

    def feishu_post(self) -> dict[str, Any]:
        """Feishu/Lark rich text: one paragraph per line, the link as a link element."""
        rows: list[list[dict[str, str]]] = [[{"tag": "text", "text": line}] for line in self.lines]
        rows += [[{"tag": "text", "text": f"- {item}"}] for item in self.items]
        rows += [[{"tag": "text", "text": t}] for t in self.tail()]
        if self.link:
            rows.append(
                [{"tag": "a", "text": word("open_dashboard", self.lang), "href": self.link}]
            )
        locale = "zh_cn" if self.lang == "zh" else "en_us"
        return {"post": {locale: {"title": self.title, "content": rows}}}

    def html(self) -> str:
        """The e-mail body."""
        esc = html.escape
        body = [f"<h2>{esc(self.title)}</h2>", *(f"<p>{esc(line)}</p>" for line in self.lines)]
        if self.items:
            body.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in self.items) + "</ul>")
        body += [f"<p>{esc(t)}</p>" for t in self.tail()]
        if self.link:
            body.append(
                f'<p><a href="{esc(self.link, quote=True)}">{esc(word("open_dashboard", self.lang))}</a></p>'
            )
        lang = "zh-CN" if self.lang == "zh" else "en"
        return (
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{esc(self.title)}</title></head><body>{''.join(body)}</body></html>"
        )


def fit(message: Message, size: Callable[[Message], int], limit: int) -> Message:
    """The message with as many list items as fit in ``limit`` (as measured by ``size``);
    the lines and the link are always kept, and the cut is said in the message."""
    if size(message) <= limit:
        return message
    total = message.items_total if message.items_total is not None else len(message.items)
    low, high = 0, len(message.items)  # the most items that fit: binary search
    while low < high:
        mid = (low + high + 1) // 2
        if size(replace(message, items=message.items[:mid], items_total=total)) <= limit:
            low = mid
        else:
            high = mid - 1
    shorter = replace(message, items=message.items[:low], items_total=total)
    lines = list(shorter.lines)
    while size(shorter) > limit and lines:  # only a huge header: drop lines from the end
        lines.pop()
        shorter = replace(shorter, lines=tuple(lines))
    return shorter


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def json_len(payload: Any) -> int:
    return utf8_len(json.dumps(payload, ensure_ascii=False))


def dashboard_link(
    base: str,
    page: str = "",
    *,
    lang: str,
    projects: Sequence[str] = (),
    regions: Sequence[str] = (),
    grain: str | None = None,
    date_to: Any = None,
) -> str:
    """The dashboard page with the rule's filters, in the URL form of dashboard/ui/filters.py
    (``?lang=zh&grain=month&to=2026-06-28&region=...&project=...``)."""
    if not base:
        return ""
    query: list[tuple[str, str]] = [("lang", lang)]
    if grain and grain != "week":
        query.append(("grain", grain))
    if date_to is not None:
        query.append(("to", str(date_to)))
    query += [("region", r) for r in regions] + [("project", p) for p in projects]
    return f"{base.rstrip('/')}/{page}?{urlencode(query)}"
