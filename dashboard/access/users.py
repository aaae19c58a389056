"""The users file (``[access] users_file``; default ``users.toml`` beside the database).

```toml
[users."li.wei"]
role = "department_head"          # executive | department_head | analyst | admin
projects = ["深圳湾"]               # a department head needs projects and/or regions
regions = []
email = "li.wei@example.com"      # optional: the identity-provider e-mail (oidc mode)
subject = ""                      # optional: the identity-provider subject (oidc mode)
password_hash = "$argon2id$..."   # set by `kpi users add --password-stdin` / `passwd`
```

Written only by ``kpi users`` (under a lock, atomically, mode 0600); read by the app, the
commands and notifications. The file holds hashes, never passwords.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dashboard.access.roles import ROLES, SCOPED_ROLES
from dashboard.access.scope import Scope

NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.@+\-\u4e00-\u9fff]{1,64}$")


class UsersError(ValueError):
    """The users file or a user entry is invalid; the message names the file and the key."""


class UnknownUserError(UsersError):
    """No user of that name."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    projects: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    email: str | None = None
    subject: str | None = None
    password_hash: str | None = None

    @property
    def scope(self) -> Scope:
        if self.role in SCOPED_ROLES:
            return Scope(projects=self.projects, regions=self.regions)
        return Scope.all()

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)


def check_user(user: User, source: str = "users file") -> None:
    where = f"{source}: users.{user.name}"
    if not NAME_PATTERN.match(user.name):
        raise UsersError(
            f"{where}: a user name has 1-64 letters, digits or . _ - @ + (got {user.name!r})"
        )
    if user.role not in ROLES:
        raise UsersError(f"{where}.role must be one of {', '.join(ROLES)}, got {user.role!r}")
    if user.role in SCOPED_ROLES and not user.projects and not user.regions:
        raise UsersError(f"{where}: a department_head needs at least one project or region")


def users_file_path(settings=None, db: str | os.PathLike[str] | None = None) -> Path:
    """``[access] users_file``, else ``users.toml`` beside the database."""
    from dashboard.paths import resolve_db_path
    from dashboard.settings import load_settings

    settings = settings or load_settings()
    if settings.access.users_file is not None:
        return Path(settings.access.users_file)
    return resolve_db_path(db).parent / "users.toml"


def _strings(value: object, key: str, source: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise UsersError(f"{source}: '{key}' must be a list of names")
    return tuple(dict.fromkeys(v.strip() for v in value))


def parse_users(raw: dict, source: str = "users file") -> dict[str, User]:
    unknown = sorted(set(raw) - {"users"})
    if unknown:
        raise UsersError(f"{source}: '{unknown[0]}' is not known (users go under [users.NAME])")
    table = raw.get("users", {})
    if not isinstance(table, dict):
        raise UsersError(f"{source}: 'users' must be a table")
    users: dict[str, User] = {}
    allowed = {"role", "projects", "regions", "email", "subject", "password_hash"}
    for name, entry in table.items():
        key = f"users.{name}"
        if not isinstance(entry, dict):
            raise UsersError(f"{source}: '{key}' must be a table")
        extra = sorted(set(entry) - allowed)
        if extra:
            raise UsersError(f"{source}: '{key}.{extra[0]}' is not a known setting")
        for field in ("role", "email", "subject", "password_hash"):
            if field in entry and not isinstance(entry[field], str):
                raise UsersError(f"{source}: '{key}.{field}' must be text")
        user = User(
            name=name,
            role=entry.get("role", ""),
            projects=_strings(entry.get("projects"), f"{key}.projects", source),
            regions=_strings(entry.get("regions"), f"{key}.regions", source),
            email=(entry.get("email") or None),
            subject=(entry.get("subject") or None),
            password_hash=(entry.get("password_hash") or None),
        )
        check_user(user, source)
        users[name] = user
    return users


def load_users(
    path: str | os.PathLike[str] | None = None,
    *,
    settings=None,
    db: str | os.PathLike[str] | None = None,
) -> dict[str, User]:
    """Every user of the users file (``path``, else ``[access] users_file``, else
    ``users.toml`` beside ``db``/the default database). A missing file means no users yet."""
    path = Path(path) if path else users_file_path(settings, db)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UsersError(f"{path}: cannot read the users file: {exc}") from exc
    try:
        raw = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsersError(f"{path}: cannot read the users file: {exc}") from exc
    return parse_users(raw, str(path))


def get_user(
    name: str,
    path: str | os.PathLike[str] | None = None,
    *,
    settings=None,
    db: str | os.PathLike[str] | None = None,
) -> User:
    users = load_users(path, settings=settings, db=db)
    if name not in users:
        raise UnknownUserError(f"unknown user '{name}' (see `kpi users list`)")
    return users[name]


def scope_for_user(
    name: str,
    path: str | os.PathLike[str] | None = None,
    *,
    settings=None,
    db: str | os.PathLike[str] | None = None,
) -> Scope:
    """The rows ``name`` may see: ``Scope.all()`` for executives, analysts and admins, their
    projects/regions for a department head. Raises ``UnknownUserError`` (a ValueError).
    The users file: ``path``, else the settings' ``[access] users_file``, else
    ``users.toml`` beside ``db`` (or the default database)."""
    return get_user(name, path, settings=settings, db=db).scope


def find_identity(users: dict[str, User], *, email: str | None, subject: str | None) -> User | None:
    """The user an identity-provider identity maps to: by subject, else by e-mail (case
    insensitive), else a user named like the e-mail. None: not a user here."""
    if subject:
        for user in users.values():
            if user.subject and user.subject == subject:
                return user
    if email:
        wanted = email.strip().lower()
        for user in users.values():
            if user.email and user.email.strip().lower() == wanted:
                return user
        for user in users.values():
            if user.name.lower() == wanted:
                return user
    return None


# --- writing (kpi users) ----------------------------------------------------------------------


def _toml_text(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes, \uXXXX included).
    return json.dumps(value, ensure_ascii=False)


def dump_users(users: dict[str, User]) -> str:
    lines = [
        "# Users of the KPI dashboard: edit with `kpi users add|remove|passwd`.",
        "# Passwords are argon2 hashes; the file is readable by its owner only.",
        "",
    ]
    for name in sorted(users):
        user = users[name]
        lines.append(f"[users.{_toml_text(name)}]")
        lines.append(f"role = {_toml_text(user.role)}")
        lines.append("projects = [" + ", ".join(map(_toml_text, user.projects)) + "]")
        lines.append("regions = [" + ", ".join(map(_toml_text, user.regions)) + "]")
        if user.email:
            lines.append(f"email = {_toml_text(user.email)}")
        if user.subject:
            lines.append(f"subject = {_toml_text(user.subject)}")
        if user.password_hash:
            lines.append(f"password_hash = {_toml_text(user.password_hash)}")
        lines.append("")
    return "\n".join(lines)


@contextlib.contextmanager
def editing(path: str | os.PathLike[str]) -> Iterator[dict[str, User]]:
    """Edit the users file: a lock against concurrent edits, then an atomic replace."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(path.name + ".lock")
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            users = dict(load_users(path))
            yield users
            for user in users.values():
                check_user(user, str(path))
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(dump_users(users))
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
