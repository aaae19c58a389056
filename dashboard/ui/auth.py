"""Who is looking: the sign-in gate of the app (#15), per ``[access] mode``.

* ``none``: one local user with every right (the embedded demo); the sidebar says so and a
  warning appears when the app is reached through a non-local address.
* ``password``: a sign-in form against the users file (``dashboard.access.signin``: slowed
  and limited failures); the sign-in lasts ``[access] session_minutes``.
* ``oidc``: Streamlit's ``st.login`` (company single sign-on configured in
  ``.streamlit/secrets.toml``); the identity's subject or e-mail maps to a user entry, an
  unknown identity is refused with a page that says why.

The scope itself is enforced in ``dashboard.kpis`` (set per session through
``data_access.set_scope``); this module only decides who the session belongs to.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import streamlit as st

from dashboard.access import audit, signin
from dashboard.access.roles import can
from dashboard.access.scope import Scope
from dashboard.access.users import User, UsersError, find_identity, load_users, users_file_path
from dashboard.present.i18n import t
from dashboard.settings import Settings

log = logging.getLogger(__name__)

K_USER = "_access_user"  # (name, expires at: UTC datetime)
K_EXPIRED = "_access_expired"
K_REFUSED_LOGGED = "_access_refused_logged"
LOCAL_USER = User(name="local", role="admin")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]", "0:0:0:0:0:0:0:1")


@dataclass(frozen=True)
class Viewer:
    user: User
    mode: str

    @property
    def scope(self) -> Scope:
        return self.user.scope

    def can(self, capability: str) -> bool:
        return can(self.user.role, capability)


K_VIEWER = "_access_viewer"


def remember(viewer: Viewer) -> None:
    """The viewer of this run, for actions below the page that check a role (events)."""
    st.session_state[K_VIEWER] = viewer


def current_user() -> User | None:
    """The signed-in user of this run (``remember``), None outside a signed-in run."""
    try:
        viewer = st.session_state.get(K_VIEWER)
    except Exception:
        return None
    return viewer.user if isinstance(viewer, Viewer) else None


def audit_file():
    from dashboard.ui.data_access import db_path

    return audit.audit_path(db_path())


def current_user_name() -> str:
    """For audit entries of page actions (uploads, SQL lab, downloads)."""
    try:
        entry = st.session_state.get(K_USER)
    except Exception:
        entry = None
    return entry[0] if entry else LOCAL_USER.name


def gate(settings: Settings, lang: str) -> Viewer | None:
    """The signed-in viewer, or None after drawing the sign-in (or refusal) page."""
    mode = settings.access.mode
    if mode == "none":
        return Viewer(LOCAL_USER, mode)
    try:
        from dashboard.ui.data_access import db_path

        users = load_users(users_file_path(settings, db_path()))
    except UsersError as exc:
        st.error(t("users_file_error", lang, message=str(exc)))
        return None
    if mode == "password":
        return _password_gate(settings, users, lang)
    return _oidc_gate(settings, users, lang)


def _signed_in(settings: Settings, users: dict[str, User]) -> User | None:
    entry = st.session_state.get(K_USER)
    if not entry:
        return None
    name, expires = entry
    if dt.datetime.now(dt.UTC) >= expires:
        audit.record("session_expired", name, path=audit_file())
        del st.session_state[K_USER]
        st.session_state[K_EXPIRED] = True
        return None
    user = users.get(name)  # re-read each run: a removed user or changed role applies now
    if user is None:
        del st.session_state[K_USER]
    return user


def _start_session(settings: Settings, user: User) -> None:
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=settings.access.session_minutes)
    st.session_state[K_USER] = (user.name, expires)
    st.session_state.pop(K_EXPIRED, None)


def _password_gate(settings: Settings, users: dict[str, User], lang: str) -> Viewer | None:
    user = _signed_in(settings, users)
    if user is not None:
        return Viewer(user, "password")
    st.title(t("signin_title", lang))
    st.caption(t("signin_intro", lang))
    if not users:
        st.warning(t("signin_no_users", lang), icon=":material/person_off:")
    if st.session_state.get(K_EXPIRED):
        st.info(t("signin_expired", lang), icon=":material/schedule:")
    with st.form("signin", clear_on_submit=False):
        name = st.text_input(t("signin_name", lang), key="signin_name")
        password = st.text_input(t("signin_password", lang), type="password", key="signin_pw")
        submitted = st.form_submit_button(t("signin_submit", lang), type="primary")
    if submitted:
        result = signin.sign_in(users, name, password, audit_file=audit_file())
        if result.user is not None:
            _start_session(settings, result.user)
            st.session_state.pop("signin_pw", None)  # do not keep the password around
            st.rerun()
        key = "signin_locked" if result.reason == "locked" else "signin_wrong"
        st.error(t(key, lang, minutes=int(signin.WINDOW.total_seconds() // 60)))
    return None


def _oidc_gate(settings: Settings, users: dict[str, User], lang: str) -> Viewer | None:
    logged_in = st.user.get("is_logged_in")
    if not logged_in:
        st.title(t("signin_oidc_title", lang))
        st.caption(t("signin_intro", lang))
        if logged_in is None:  # Streamlit sets it only when secrets have an [auth] section
            st.error(t("signin_oidc_missing", lang))
            return None
        if st.session_state.get(K_EXPIRED):
            st.info(t("signin_expired", lang), icon=":material/schedule:")
        if st.button(t("signin_oidc_button", lang), type="primary", key="oidc_login"):
            try:
                st.login()
            except Exception:  # StreamlitAuthError: [auth] missing or incomplete
                log.exception("st.login failed")
                st.error(t("signin_oidc_missing", lang))
        return None
    email = st.user.get("email")
    subject = st.user.get("sub")
    user = find_identity(users, email=email, subject=subject)
    if user is None:
        identity = email or subject or "?"
        if not st.session_state.get(K_REFUSED_LOGGED):
            audit.record("sign_in_refused", str(identity), "oidc: not a user", path=audit_file())
            st.session_state[K_REFUSED_LOGGED] = True
        st.title(t("signin_oidc_title", lang))
        st.error(t("signin_oidc_unknown", lang, identity=identity))
        st.button(t("sign_out", lang), on_click=st.logout, key="oidc_refused_logout")
        return None
    entry = st.session_state.get(K_USER)
    if entry and entry[0] == user.name:
        if dt.datetime.now(dt.UTC) >= entry[1]:
            audit.record("session_expired", user.name, path=audit_file())
            del st.session_state[K_USER]
            st.session_state[K_EXPIRED] = True
            st.logout()
            return None
    else:
        audit.record("sign_in", user.name, "oidc", path=audit_file())
        _start_session(settings, user)
    return Viewer(user, "oidc")


def _sign_out(mode: str) -> None:
    entry = st.session_state.pop(K_USER, None)
    if entry:
        audit.record("sign_out", entry[0], path=audit_file())
    if mode == "oidc":
        st.logout()


def sidebar(viewer: Viewer, lang: str) -> None:
    """Who is signed in and the sign-out button; in ``none`` mode, what that mode means."""
    with st.sidebar:
        st.divider()
        if viewer.mode == "none":
            st.caption(t("local_mode", lang))
            exposed = _exposed_at()
            if exposed:
                host = exposed if exposed != "*" else t("local_mode_every_interface", lang)
                st.warning(t("local_mode_exposed", lang, host=host), icon=":material/public:")
            return
        user = viewer.user
        st.markdown(t("signed_in_as", lang, name=user.name, role=t(f"role_{user.role}", lang)))
        if viewer.scope.limited:
            st.caption(t("scope_caption", lang, scope=describe(viewer.scope, lang)))
        st.button(t("sign_out", lang), on_click=_sign_out, args=(viewer.mode,), key="sign_out")


def describe(scope: Scope, lang: str) -> str:
    parts = []
    if scope.projects:
        parts.append(f"{t('projects', lang)}: {', '.join(scope.projects)}")
    if scope.regions:
        parts.append(f"{t('regions', lang)}: {', '.join(scope.regions)}")
    return " · ".join(parts)


def _exposed_at() -> str | None:
    """Where a no-sign-in app can be reached from elsewhere: the browser's non-local Host,
    else a non-loopback ``server.address``, else "*" when a real server listens on every
    interface (Streamlit's default, empty ``server.address``); None when local only."""
    try:
        host = st.context.headers.get("Host")
    except Exception:  # no server (AppTest, bare mode): no request headers
        host = None
    if host and not _is_local(host):
        return host
    address = st.get_option("server.address")
    if address:
        return None if _is_local(address) else address
    return "*" if host else None


def _is_local(host: str) -> bool:
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if name.startswith("[") and "]" in name:
        name = name[: name.index("]") + 1]
    return name in LOCAL_HOSTS or name.startswith("127.")
