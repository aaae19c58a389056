"""Audit log (admins): sign-ins and failures, uploads, SQL lab statements, report downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.access import audit
from dashboard.ui import auth, context
from dashboard.ui.context import Context


def render(ctx: Context) -> None:
    st.title(ctx.t("page_audit"))
    st.caption(ctx.t("audit_intro"))
    events = ["", *audit.EVENTS]
    event = st.selectbox(
        ctx.t("audit_event"),
        events,
        format_func=lambda e: e or ctx.t("audit_all"),
        key="audit_event",
    )
    rows = audit.read(path=auth.audit_file(), limit=2000, event=event or None)
    if not rows:
        st.info(ctx.t("audit_empty"), icon=":material/info:")
        return
    frame = pd.DataFrame(rows).rename(
        columns={
            "at": ctx.t("audit_at"),
            "user_name": ctx.t("audit_user"),
            "event": ctx.t("audit_event"),
            "detail": ctx.t("audit_detail"),
            "source": ctx.t("audit_source"),
        }
    )
    st.dataframe(frame, hide_index=True, use_container_width=True)


render(context.get())
