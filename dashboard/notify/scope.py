"""A rule's scope: ``scope = { projects, regions }`` or the scope of the user ``as_user``.

``as_user`` shares the sign-in issue's mechanism (#15, ``dashboard.access``): the one call
into it is ``resolve_rule_scope``, so the two cannot drift apart.
"""

from __future__ import annotations

from dashboard.notify.config import NotifyConfigError, Rule, Scope


def resolve_rule_scope(rule: Rule, *, settings=None, db=None) -> Scope:
    """The projects/regions the rule's numbers are restricted to (empty: everything)."""
    if not rule.as_user:
        return rule.scope
    return user_scope(rule.as_user, f"rule {rule.name!r}", settings=settings, db=db)


def user_scope(name: str, who: str = "--as-user", *, settings=None, db=None) -> Scope:
    """The user's scope from the users file of ``settings`` (``[access] users_file``, else
    ``users.toml`` beside ``db``); an unknown user is a configuration error naming it."""
    try:
        from dashboard import access  # the sign-in issue's module (#15)
    except ImportError:
        raise NotifyConfigError(
            f"{who}: as_user needs the users file (sign-in not configured); "
            "use scope = { projects = [...], regions = [...] } instead"
        ) from None
    try:
        found = access.user_scope(name, settings=settings, db=db)
    except ValueError as exc:  # UnknownUserError, UsersError
        raise NotifyConfigError(f"{who}: {exc}") from None
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
