"""Which kind of export a file (or sheet) is: ``--kind``, else words in its name, else its
headers (decided in ``header.find_header``)."""

from __future__ import annotations

from dashboard.ingest.aliases import AliasTable, normalize
from dashboard.schema import KINDS


class UnknownKindOption(ValueError):
    """``--kind`` names no kind."""


# Events on the timeline (#12) are imported like an export but are no kind of the data
# contract: only ``--kind events`` (or the Data page's choice) names them, never a guess.
EVENTS_KIND = "events"
EVENTS_WORDS = ("events", "event", "事件", "timeline")


def resolve_kind_option(text: str, aliases: AliasTable) -> str:
    """``--kind`` value -> kind name. Accepts the kind (``orders``) or one of its name
    words (``order``, ``订单``)."""
    wanted = normalize(text)
    if wanted in KINDS:
        return wanted
    if wanted in EVENTS_WORDS:
        return EVENTS_KIND
    matches = [k for k, words in aliases.kind_words.items() if wanted in words]
    if len(matches) == 1:
        return matches[0]
    raise UnknownKindOption(
        f"unknown kind {text!r}; choose one of: {', '.join([*KINDS, EVENTS_KIND])}"
    )


def kinds_from_name(name: str, aliases: AliasTable) -> list[str]:
    """Kinds whose name words appear anywhere in ``name`` (a file stem or sheet name)."""
    text = normalize(name)
    return [k for k, words in aliases.kind_words.items() if any(w and w in text for w in words)]


def name_words_hint(aliases: AliasTable) -> str:
    return "; ".join(f"{k}: {'/'.join(w)}" for k, w in aliases.kind_words.items())
