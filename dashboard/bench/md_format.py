"""Small Markdown pieces of the benchmark report: pass/MISS marks, milliseconds, tables."""

from __future__ import annotations

from collections.abc import Iterable


def mark(ok: bool | None) -> str:
    if ok is None:
        return "n/a"
    return "pass" if ok else "**MISS**"


def ms(seconds: float | None) -> str:
    if seconds is None:
        return ""
    value = seconds * 1000
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def num(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def table(header: list[str], rows: Iterable[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def case_label(k: dict[str, object]) -> tuple[str, str, str]:
    scope = k.get("scope") or ("one project" if k.get("filtered") else "all")
    return str(k["kpi"]), str(k["grain"]), str(scope)
