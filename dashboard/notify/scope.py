"""A rule's scope: ``scope = { projects, regions }`` or the scope of the user ``as_user``.

``as_user`` shares the sign-in issue's mechanism (#15, ``dashboard.access``): the one call
into it is ``resolve_rule_scope``, so the two cannot drift apart.
"""

from __future__ import annotations

from dashboard.notify.config import NotifyConfigError, Rule, Scope


def resolve_rule_scope(rule: Rule) -> Scope:
    """The projects/regions the rule's numbers are restricted to (empty: everything)."""
    if not rule.as_user:
        return rule.scope
    return user_scope(rule.as_user, f"rule {rule.name!r}")


def user_scope(name: str, who: str = "--as-user") -> Scope:
    try:
        from dashboard import access  # the sign-in issue's module (#15)
    except ImportError:
        raise NotifyConfigError(
            f"{who}: as_user needs the users file (sign-in not configured); "
            "use scope = { projects = [...], regions = [...] } instead"
        ) from None
    found = access.user_scope(name)  # connected at the merge of #15
    return Scope(projects=tuple(found.projects), regions=tuple(found.regions))


def intersect(rule_scope: Scope, user: Scope) -> Scope:
    """A rule's own scope seen by a user (``--as-user`` on a dry run): a project or region
    outside the user's scope is an error naming it, as for ``kpi show --as-user``."""

    def one(wanted: tuple[str, ...], allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
        if not allowed:
            return wanted
        if not wanted:
            return allowed
        outside = [w for w in wanted if w not in allowed]
        if outside:
            raise NotifyConfigError(f"{what} {outside[0]!r} is outside the user's scope")
        return wanted

    return Scope(
        projects=one(rule_scope.projects, user.projects, "project"),
        regions=one(rule_scope.regions, user.regions, "region"),
    )
