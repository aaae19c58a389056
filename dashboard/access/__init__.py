"""Access control (#15): users, roles, row-level scopes, sign-in and the audit log.

For other modules (the KPI API, the CLI, notifications):

* ``scope_for_user(name, path=None, *, settings=None, db=None) -> Scope`` - the rows a user may see
  (``Scope.all()`` unless a department head); ``UnknownUserError`` for a name not in the
  users file. Pass the scope to ``dashboard.kpis.compute(..., scope=scope)``: the API
  intersects it with the filters and raises ``ScopeError`` (a ValueError naming the refused
  project/region) for a filter outside it.
* ``load_users(path=None, *, settings=None, db=None) -> dict[str, User]`` - every user of
  ``[access] users_file`` (default ``users.toml`` beside ``db`` / the default database).
* ``roles.can(role, capability)`` and ``roles.EVENTS`` - e.g. a notification events page
  registered in ``ui/main.PAGES`` with ``capability=roles.EVENTS`` is for admins only.

``user_scope`` is the same function under the name ``dashboard.notify.scope`` calls
(without a database: the users file is ``[access] users_file``, else ``users.toml`` beside
``$KPI_DB`` or the default database).

Example (a notification rule with ``as_user = "li.wei"``)::

    scope = scope_for_user("li.wei", settings=settings, db=db_path)
    frame = kpis.compute(con, "complaints", scope=scope, ...)  # ScopeError if outside
* ``restrict(scope, projects, regions)`` - the intersection itself (pure).
"""

from dashboard.access.roles import ROLES
from dashboard.access.scope import Scope, ScopeError, restrict
from dashboard.access.users import (
    UnknownUserError,
    User,
    UsersError,
    get_user,
    load_users,
    scope_for_user,
    users_file_path,
)

# The name notifications (#16, dashboard/notify/scope.py) call for a rule's ``as_user``.
user_scope = scope_for_user

__all__ = [
    "ROLES",
    "Scope",
    "ScopeError",
    "UnknownUserError",
    "User",
    "UsersError",
    "get_user",
    "load_users",
    "restrict",
    "scope_for_user",
    "user_scope",
    "users_file_path",
]
