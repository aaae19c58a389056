"""The Data page's section for events on the timeline (#12): the list, a form to add one,
and a form to change or delete one.

Every change goes through ``dashboard.events.store`` with the signed-in user, which refuses
a role without the ``timeline`` capability (the page hides the forms from such a role too,
but the store is what decides). Problems (end before start, empty title, unknown project)
are the store's ``EventProblem``, shown in the user's language; nothing is saved then.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.access import audit
from dashboard.events import store
from dashboard.events.model import Event, EventDraft, EventProblem
from dashboard.ui import auth, data_access
from dashboard.ui.components import table
from dashboard.ui.context import Context

_FLASH = "_events_flash"
_PICK = "event_pick"
_GENERATION = "_events_add_generation"


def _events() -> list[Event]:
    cur = data_access.cursor()
    try:
        return store.list_events(cur)
    finally:
        cur.close()


def _frame(events: list[Event]) -> pd.DataFrame:
    # A missing last day or Chinese title is an empty cell (Streamlit prints None as "None")
    return pd.DataFrame(
        [
            {
                "event_id": e.event_id,
                "starts_on": e.starts_on.isoformat(),
                "ends_on": e.ends_on.isoformat() if e.ends_on else "",
                "title": e.title,
                "title_zh": e.title_zh or "",
                "projects": ", ".join(e.projects),
                "regions": ", ".join(e.regions),
                "created_by": e.created_by,
            }
            for e in events
        ]
    )


def _regions(ctx: Context) -> list[str]:
    return sorted({r for r, _ in ctx.dimensions})


def _draft(values: dict) -> EventDraft:
    return EventDraft(
        starts_on=values["starts_on"],
        ends_on=values["ends_on"],
        title=values["title"] or "",
        title_zh=values["title_zh"] or None,
        projects=tuple(values["projects"]),
        regions=tuple(values["regions"]),
    )


def _fields(ctx: Context, prefix: str, event: Event | None = None) -> dict:
    """The form's inputs (inside an ``st.form``); ``event`` prefills them."""
    left, right = st.columns(2)
    with left:
        starts = st.date_input(
            ctx.t("event_starts_on"),
            value=event.starts_on if event else dt.date.today(),
            key=f"{prefix}_starts",
        )
    with right:
        ends = st.date_input(
            ctx.t("event_ends_on"),
            value=event.ends_on if event else None,
            key=f"{prefix}_ends",
        )
    left, right = st.columns(2)
    with left:
        title = st.text_input(
            ctx.t("event_title"), value=event.title if event else "", key=f"{prefix}_title"
        )
    with right:
        title_zh = st.text_input(
            ctx.t("event_title_zh"),
            value=(event.title_zh or "") if event else "",
            key=f"{prefix}_title_zh",
        )
    left, right = st.columns(2)
    projects = list(event.projects) if event else []
    regions = list(event.regions) if event else []
    with left:
        # new names may be typed: the store says when one is not in the data
        chosen_projects = st.multiselect(
            ctx.t("event_projects"),
            sorted({*ctx.all_projects, *projects}),
            default=projects,
            accept_new_options=True,
            key=f"{prefix}_projects",
        )
    with right:
        chosen_regions = st.multiselect(
            ctx.t("event_regions"),
            sorted({*_regions(ctx), *regions}),
            default=regions,
            accept_new_options=True,
            key=f"{prefix}_regions",
        )
    return {
        "starts_on": starts,
        "ends_on": ends,
        "title": title,
        "title_zh": title_zh,
        "projects": chosen_projects,
        "regions": chosen_regions,
    }


def _done(message: str, event: str, detail: str) -> None:
    """After a saved change: audit it and say so on the next run."""
    user = auth.current_user()
    audit.record(event, user.name if user else "?", detail, path=auth.audit_file())
    st.session_state[_FLASH] = message
    data_access.clear_caches()
    st.rerun()


def _describe(event: Event) -> str:
    days = f"{event.starts_on}" + (f"..{event.ends_on}" if event.ends_on else "")
    return f"#{event.event_id} {days} {event.title}"


def _add_form(ctx: Context) -> None:
    st.markdown(f"###### {ctx.t('event_add')}")
    # kept on a refusal (the user corrects it); a saved event gets a fresh, empty form
    generation = st.session_state.setdefault(_GENERATION, 0)
    suffix = str(generation) if generation else ""
    with st.form(f"event_add_form{suffix}", clear_on_submit=False):
        values = _fields(ctx, f"event_new{suffix}")
        submitted = st.form_submit_button(ctx.t("event_save_new"), type="primary")
    if not submitted:
        return
    try:
        event = store.add_event(
            _draft(values), editor=auth.current_user(), db=data_access.snapshot().path
        )
    except EventProblem as problem:
        st.error(ctx.t("event_failed", message=problem.text(ctx.lang)), icon=":material/error:")
        return
    st.session_state[_GENERATION] = generation + 1  # new widgets: an empty add form
    _done(
        ctx.t("event_added", title=event.shown_title(ctx.lang)), "timeline_added", _describe(event)
    )


def _edit_form(ctx: Context, events: list[Event]) -> None:
    st.markdown(f"###### {ctx.t('event_edit')}")
    by_id = {e.event_id: e for e in events}
    chosen = st.selectbox(
        ctx.t("event_pick"),
        list(by_id),
        format_func=lambda i: _describe(by_id[i]),
        key=_PICK,
    )
    if chosen is None:
        return
    event = by_id[chosen]
    with st.form(f"event_edit_form_{chosen}"):
        values = _fields(ctx, f"event_{chosen}", event)
        save_col, delete_col = st.columns(2)
        with save_col:
            save = st.form_submit_button(ctx.t("event_save"), type="primary")
        with delete_col:
            delete = st.form_submit_button(ctx.t("event_delete"), icon=":material/delete:")
    if not (save or delete):
        return
    db = data_access.snapshot().path
    try:
        if delete:
            gone = store.delete_event(chosen, editor=auth.current_user(), db=db)
            st.session_state.pop(_PICK, None)
            _done(
                ctx.t("event_deleted", title=gone.shown_title(ctx.lang)),
                "timeline_deleted",
                _describe(gone),
            )
        saved = store.update_event(chosen, _draft(values), editor=auth.current_user(), db=db)
    except EventProblem as problem:
        st.error(ctx.t("event_failed", message=problem.text(ctx.lang)), icon=":material/error:")
        return
    _done(
        ctx.t("event_saved", title=saved.shown_title(ctx.lang)),
        "timeline_changed",
        _describe(saved),
    )


def render(ctx: Context) -> None:
    st.markdown(f"##### {ctx.t('events_section')}")
    st.caption(ctx.t("events_intro"))
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    events = _events()
    if events:
        table(_frame(events), ctx, "events", key="dl_events")
    else:
        st.info(ctx.t("events_none"), icon=":material/event:")
    if not store.can_edit(auth.current_user()):
        st.caption(ctx.t("events_read_only"))
        return
    _add_form(ctx)
    if events:
        _edit_form(ctx, events)
