"""Password sign-in: checks, slow-down and limits, independent of Streamlit (tested alone).

* A failed attempt waits ``FAILURE_DELAY_SECONDS`` before answering (slows guessing).
* After ``MAX_FAILURES`` failures for one user name within ``WINDOW`` the name is locked for
  the rest of the window, whatever the password. Failures are counted in the audit log, so
  the limit holds across browser sessions and app processes.
* An unknown name costs the same hash check as a known one and gets the same answer.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from dashboard.access import audit
from dashboard.access.passwords import verify, verify_unknown
from dashboard.access.users import User

FAILURE_DELAY_SECONDS = 1.0
MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    reason: str  # "ok", "wrong" (name or password), "locked"


def sign_in(
    users: dict[str, User], name: str, password: str, *, audit_file: Path | None = None
) -> SignInResult:
    name = (name or "").strip()
    since = dt.datetime.now(dt.UTC) - WINDOW
    if name and audit.count_since(name, "sign_in_failed", since, path=audit_file) >= MAX_FAILURES:
        audit.record("sign_in_locked", name, "too many failed sign-ins", path=audit_file)
        time.sleep(FAILURE_DELAY_SECONDS)
        return SignInResult(None, "locked")
    user = users.get(name)
    ok = verify(user.password_hash, password) if user else verify_unknown(password)
    if ok and user is not None:
        audit.record("sign_in", name, "password", path=audit_file)
        return SignInResult(user, "ok")
    audit.record("sign_in_failed", name or "?", "wrong name or password", path=audit_file)
    time.sleep(FAILURE_DELAY_SECONDS)
    return SignInResult(None, "wrong")
