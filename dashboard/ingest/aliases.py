"""The alias table (``aliases.toml`` next to this module), extended by the user's files.

Users extend the table without touching code: an ``aliases.toml`` at the project root
and/or the file named by the environment variable ``KPI_ALIASES`` (same layout as the
shipped file). Their lists are added to the shipped ones.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.paths import PROJECT_ROOT
from dashboard.schema import KINDS

SHIPPED_ALIASES = Path(__file__).with_name("aliases.toml")
USER_ALIASES = PROJECT_ROOT / "aliases.toml"
ALIASES_ENV = "KPI_ALIASES"


class AliasFileError(Exception):
    """A user alias file cannot be read."""


def normalize(text: object) -> str:
    """The form names are compared in: NFKC (full-width -> half-width), trimmed,
    lower-case, inner runs of spaces/underscores/hyphens as one underscore."""
    s = unicodedata.normalize("NFKC", str(text)).replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s_\-]+", "_", s)


def normalize_value(text: object) -> str:
    """The form values (booleans, methods) are compared in; SQL uses lower(trim(x))."""
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


@dataclass
class AliasTable:
    # kind -> normalized header -> canonical column
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    # kind -> name words (normalized)
    kind_words: dict[str, list[str]] = field(default_factory=dict)
    true_words: list[str] = field(default_factory=list)
    false_words: list[str] = field(default_factory=list)
    phone_words: list[str] = field(default_factory=list)
    visit_words: list[str] = field(default_factory=list)

    def canonical(self, kind: str, header: object) -> str | None:
        return self.columns[kind].get(normalize(header))


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AliasFileError(f"cannot read alias file {path}: {exc}") from exc


def _merge(into: dict, extra: dict) -> None:
    """Deep-merge ``extra`` into ``into``; lists are concatenated."""
    for key, value in extra.items():
        if isinstance(value, dict):
            _merge(into.setdefault(key, {}), value)
        elif isinstance(value, list):
            into.setdefault(key, [])
            into[key] = list(into[key]) + [v for v in value if v not in into[key]]
        else:
            into[key] = value


def user_alias_files() -> list[Path]:
    files = [USER_ALIASES] if USER_ALIASES.is_file() else []
    env = os.environ.get(ALIASES_ENV)
    if env:
        path = Path(env).expanduser()
        if not path.is_file():
            raise AliasFileError(f"{ALIASES_ENV} points at {path}, which is not a file")
        files.append(path)
    return files


def raw_aliases(extra_files: list[Path] | None = None) -> dict:
    """The shipped table merged with the user's files, as TOML data (e.g. the events
    import reads its ``[kinds.events]`` from it)."""
    raw = _read(SHIPPED_ALIASES)
    for path in user_alias_files() + list(extra_files or []):
        _merge(raw, _read(path))
    return raw


def load_aliases(extra_files: list[Path] | None = None) -> AliasTable:
    raw = raw_aliases(extra_files)
    table = AliasTable()
    common = raw.get("columns", {})
    per_kind = raw.get("kinds", {})
    for kind_name, kind in KINDS.items():
        mapping: dict[str, str] = {}
        # per-kind aliases take precedence over common ones; the canonical name over both
        for source in (per_kind.get(kind_name, {}), common):
            for column, aliases in source.items():
                if column in kind.column_names:
                    for alias in aliases:
                        mapping.setdefault(normalize(alias), column)
        for column in kind.column_names:
            mapping[normalize(column)] = column
        table.columns[kind_name] = mapping
    words = raw.get("kind_words", {})
    table.kind_words = {k: [normalize(w) for w in words.get(k, [])] for k in KINDS}
    values = raw.get("values", {})
    booleans, methods = values.get("boolean", {}), values.get("method", {})
    table.true_words = [normalize_value(v) for v in booleans.get("true", [])]
    table.false_words = [normalize_value(v) for v in booleans.get("false", [])]
    table.phone_words = [normalize_value(v) for v in methods.get("phone", [])]
    table.visit_words = [normalize_value(v) for v in methods.get("visit", [])]
    return table
