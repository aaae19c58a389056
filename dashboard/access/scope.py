"""Row-level scopes: which projects/regions a user may see, and how a scope meets filters.

A KPI filter means "project any-of the list AND region any-of the list" (an empty list: no
limit). A scope uses the same reading, so a department head with projects [A, B] and
regions [East] sees the rows of A or B that lie in East. Intersecting a scope with the
filters (``restrict``):

* a filter value outside the scope is refused with ``ScopeError`` naming it - never silently
  dropped, so a page or a command never shows "your" numbers for a question it did not ask;
* an empty filter list takes the scope's list (the scope is the default view);
* a scope limited only by region (or only by project) checks the other dimension through
  the data's (region, project) pairs: a region-only head asking for a project of another
  region is refused too.

The result is always a non-empty project or region list for a limited scope, so a scoped
query is a filtered query: ``kpi_cache`` (which serves only unfiltered calls) never answers
it from the company-wide copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

Pairs = Iterable[tuple[str, str]]  # (region, project) pairs present in the data


class ScopeError(ValueError):
    """A filter (or a query) reaches outside the user's scope; the message names it."""

    def __init__(self, message: str, *, kind: str = "", value: str = "") -> None:
        super().__init__(message)
        self.kind = kind  # "project", "region" or "query"
        self.value = value


@dataclass(frozen=True)
class Scope:
    """``everything`` or a limit by projects and/or regions. Frozen and hashable: it is part
    of every cache key at the app's edge."""

    projects: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    everything: bool = False

    def __post_init__(self) -> None:
        if not self.everything and not self.projects and not self.regions:
            raise ValueError("a limited scope needs at least one project or region")
        # canonical order, so equal scopes are equal cache keys
        object.__setattr__(self, "projects", tuple(sorted(dict.fromkeys(self.projects))))
        object.__setattr__(self, "regions", tuple(sorted(dict.fromkeys(self.regions))))

    @classmethod
    def all(cls) -> Scope:
        return cls(everything=True)

    @property
    def limited(self) -> bool:
        return not self.everything

    def allows_pair(self, region: str, project: str) -> bool:
        """Whether rows of this (region, project) are inside the scope."""
        if self.everything:
            return True
        return (not self.projects or project in self.projects) and (
            not self.regions or region in self.regions
        )

    def pairs(self, pairs: Pairs) -> list[tuple[str, str]]:
        """The (region, project) pairs of the data inside the scope (e.g. filter options)."""
        return [(r, p) for r, p in pairs if self.allows_pair(r, p)]

    def describe(self) -> str:
        if self.everything:
            return "every project and region"
        parts = []
        if self.projects:
            parts.append("projects " + ", ".join(self.projects))
        if self.regions:
            parts.append("regions " + ", ".join(self.regions))
        return " in ".join(parts)


def _names(values: Sequence[str] | str | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return list(dict.fromkeys(str(v) for v in values if v is not None and str(v) != ""))


def needs_pairs(scope: Scope | None, projects: Sequence[str], regions: Sequence[str]) -> bool:
    """Whether ``restrict`` must look at the data's pairs: a filter on a dimension the scope
    does not limit (a region-only scope asked for a project, or the reverse)."""
    if scope is None or scope.everything:
        return False
    return bool(
        (_names(projects) and not scope.projects) or (_names(regions) and not scope.regions)
    )


def restrict(
    scope: Scope | None,
    projects: Sequence[str] | str | None,
    regions: Sequence[str] | str | None,
    *,
    pairs: Callable[[], Pairs] | Pairs | None = None,
) -> tuple[list[str], list[str]]:
    """The filters to run with: ``scope`` intersected with ``projects``/``regions``.

    Raises ``ScopeError`` naming the first project or region outside the scope. ``pairs``
    (the data's (region, project) pairs, or a function returning them) is needed only when
    ``needs_pairs`` says so; without it such a filter is refused (safe side).
    """
    projects, regions = _names(projects), _names(regions)
    if scope is None or scope.everything:
        return projects, regions
    for region in regions:
        if scope.regions and region not in scope.regions:
            raise ScopeError(
                f"region '{region}' is outside your scope ({scope.describe()})",
                kind="region",
                value=region,
            )
    for project in projects:
        if scope.projects and project not in scope.projects:
            raise ScopeError(
                f"project '{project}' is outside your scope ({scope.describe()})",
                kind="project",
                value=project,
            )
    if needs_pairs(scope, projects, regions):
        known = list(pairs() if callable(pairs) else (pairs or []))
        inside = scope.pairs(known)
        if not scope.projects:  # region-only scope: a project must lie in one of its regions
            seen = {p for _, p in inside}
            for project in projects:
                if project not in seen:
                    raise ScopeError(
                        f"project '{project}' is outside your scope ({scope.describe()})",
                        kind="project",
                        value=project,
                    )
        if not scope.regions:  # project-only scope: a region must hold one of its projects
            seen = {r for r, _ in inside}
            for region in regions:
                if region not in seen:
                    raise ScopeError(
                        f"region '{region}' is outside your scope ({scope.describe()})",
                        kind="region",
                        value=region,
                    )
    return projects or list(scope.projects), regions or list(scope.regions)


def check_query(scope: Scope | None, query_id: str, params: Sequence[str]) -> None:
    """A limited scope can only run queries that filter by both project and region: any
    other query would return rows of every project."""
    if scope is None or scope.everything:
        return
    if "projects" not in params or "regions" not in params:
        raise ScopeError(
            f"query '{query_id}' cannot be limited to your scope (it has no project and "
            "region filter), so it is not available to you",
            kind="query",
            value=query_id,
        )
