"""Data: upload exports (same import as `kpi ingest`), import history, rejected rows,
data-quality counts."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.access import audit, roles
from dashboard.ingest.kinds import EVENTS_KIND
from dashboard.schema import KINDS
from dashboard.ui import auth, context, data_access, events_editor
from dashboard.ui.components import kind_label, table
from dashboard.ui.context import Context
from dashboard.ui.uploads import (
    DEFAULT_LIMIT_MB,
    UPLOAD_TYPES,
    UploadProblem,
    check_upload,
    display_name,
    extension,
)

_SUMMARY = "_data_import_summary"
_REFUSED = "_data_upload_refused"
_UPLOADER = "_data_uploader_generation"


def upload_limit_mb() -> float:
    """The upload limit: ``server.maxUploadSize`` (MB) of .streamlit/config.toml."""
    try:
        return float(st.get_option("server.maxUploadSize"))
    except Exception:  # option missing in an unusual runtime
        return float(DEFAULT_LIMIT_MB)


def _problem_text(problem: UploadProblem, ctx: Context) -> str:
    values = dict(problem.values)
    if "found" in values:
        values["found"] = ctx.t(f"upload_found_{values['found']}")
    return ctx.t(f"upload_{problem.code}", **values)


def _import(files: list, ctx: Context, kind: str | None = None) -> None:
    """Check each upload (size, type, content), then run the CLI's import on the good ones.

    Files are saved under a neutral name (``upload.<ext>``) in a private temporary folder;
    the user's own file name is what the import records (``display_names``).
    """
    from dashboard.pipeline import import_files

    limit = upload_limit_mb()
    refused: list[str] = []
    results = []
    with tempfile.TemporaryDirectory(prefix="kpi-upload-") as tmp:
        paths, names = [], []
        for i, upload in enumerate(files):
            data = upload.getvalue()
            problem = check_upload(upload.name, data, limit)
            if problem is not None:
                refused.append(_problem_text(problem, ctx))
                continue
            folder = Path(tmp) / str(i)  # one folder each: two uploads may share a name
            folder.mkdir()
            path = folder / f"upload.{extension(upload.name)}"
            path.write_bytes(data)
            paths.append(path)
            names.append(display_name(upload.name))
        if paths:
            results = import_files(
                paths, db=data_access.snapshot().path, kind=kind, display_names=names
            )
            audit.record(  # who uploaded what (#15)
                "upload", auth.current_user_name(), ", ".join(names), path=auth.audit_file()
            )
    st.session_state[_REFUSED] = refused
    rows = []
    for result in results:
        row = dataclasses.asdict(result) if dataclasses.is_dataclass(result) else dict(vars(result))
        row = {k: (str(v) if isinstance(v, Path) else v) for k, v in row.items()}
        rows.append(row)
    st.session_state[_SUMMARY] = rows
    data_access.clear_caches()


def _uploader(ctx: Context) -> None:
    st.markdown(f"##### {ctx.t('upload')}")
    generation = st.session_state.setdefault(_UPLOADER, 0)
    files = st.file_uploader(
        ctx.t("upload"),
        type=list(UPLOAD_TYPES),
        accept_multiple_files=True,
        help=ctx.t("upload_help"),
        key=f"uploader_{generation}",
        label_visibility="collapsed",
    )
    st.caption(ctx.t("upload_help") + " " + ctx.t("upload_limits", limit=f"{upload_limit_mb():g}"))
    kind = st.selectbox(
        ctx.t("import_kind"),
        [None, *KINDS, EVENTS_KIND],  # events on the timeline (#12) are imported here too
        format_func=lambda k: ctx.t("import_kind_auto") if k is None else kind_label(ctx, k),
        help=ctx.t("import_kind_help"),
        key="import_kind",
    )
    if files and st.button(ctx.t("import_button"), type="primary", icon=":material/upload:"):
        try:
            with st.spinner(ctx.t("import_button")):
                _import(files, ctx, kind)
        except Exception as exc:  # a clear message, never a traceback
            st.error(ctx.t("import_failed", message=str(exc) or type(exc).__name__))
            return
        st.session_state[_UPLOADER] = generation + 1  # empties the uploader
        st.rerun()
    for message in st.session_state.get(_REFUSED, []):
        st.error(message, icon=":material/block:")
    summary = st.session_state.get(_SUMMARY)
    if summary:
        for row in summary:
            _file_banner(row, ctx)
        st.markdown(f"###### {ctx.t('import_summary')}")
        table(_summary_table(summary, ctx), ctx, "import_summary")


def _file_banner(row: dict, ctx: Context) -> None:
    """One banner per file or sheet: red when refused whole, amber when rows were rejected
    with errors (superseded rows are normal snapshots, not errors), green when all loaded."""
    name = f"{row['file']} [{row['sheet']}]" if row.get("sheet") else row["file"]
    superseded = int(row.get("superseded") or 0)
    errors = int(row.get("rejected") or 0) - superseded
    if row["status"] == "rejected":
        st.error(ctx.t("file_rejected", file=name, message=row["message"]), icon=":material/block:")
        return
    if row["status"] == "skipped":
        st.info(ctx.t("import_file_skipped", file=name), icon=":material/info:")
        return
    text = (
        ctx.t("import_file_partial", file=name, loaded=f"{row['loaded']:,}", errors=f"{errors:,}")
        if errors
        else ctx.t("import_file_loaded", file=name, loaded=f"{row['loaded']:,}")
    )
    if superseded:
        text += " " + ctx.t("import_file_superseded", n=f"{superseded:,}")
    if row.get("message"):
        text += " " + ctx.t("import_file_note", file=name, message=row["message"])
    if errors or row.get("message"):
        st.warning(text, icon=":material/warning:")
    else:
        st.success(text, icon=":material/check_circle:")


def _summary_table(summary: list[dict], ctx: Context) -> pd.DataFrame:
    frame = pd.DataFrame(summary)
    superseded = frame.get("superseded", pd.Series(0, index=frame.index)).fillna(0)
    return pd.DataFrame(
        {
            ctx.t("rejected_filter"): frame["file"],
            ctx.t("sheet"): frame["sheet"],
            # a file whose kind could not be told has none (NaN in the frame): an empty cell
            ctx.t("kind"): [
                kind_label(ctx, k) if isinstance(k, str) else "" for k in frame["kind"]
            ],
            ctx.t("rows_loaded"): frame["loaded"],
            ctx.t("import_errors"): frame["rejected"] - superseded,
            ctx.t("import_superseded"): superseded,
            ctx.t("rows_duplicate"): frame["duplicates"],
            ctx.t("status"): [ctx.t(f"import_status_{s}") for s in frame["status"]],
            ctx.t("message"): frame["message"],
        }
    )


def render(ctx: Context) -> None:
    st.title(ctx.t("page_data"))
    user = auth.current_user()
    if user is not None and not roles.can(user.role, roles.UPLOADS):
        events_editor.render(ctx)  # analysts: the events on the timeline only (#12)
        return
    _uploader(ctx)

    st.markdown(f"##### {ctx.t('data_quality')}")
    quality = data_access.compute("data_quality")
    if quality.empty:
        st.info(ctx.t("empty_db"))
    else:
        table(
            quality.assign(kind=[kind_label(ctx, k) for k in quality["kind"]]), ctx, "data_quality"
        )

    left, right = st.columns(2)
    with left:
        st.markdown(f"##### {ctx.t('freshness')}")
        fresh = data_access.freshness()
        if not fresh.empty:
            table(
                fresh.assign(kind=[kind_label(ctx, k) for k in fresh["kind"]]),
                ctx,
                "data_freshness",
            )
    with right:
        st.markdown(f"##### {ctx.t('dimensions')}")
        dims = data_access.compute("dimensions")
        if not dims.empty:
            table(dims, ctx, "dimensions")

    st.markdown(f"##### {ctx.t('import_history')}")
    history = data_access.import_log()
    if history.total == 0:
        st.info(ctx.t("no_imports"))
    else:
        first = ["import_id", "file_name", "sheet", "kind", "imported_at", "rows_in_file",
                 "rows_loaded", "rows_rejected", "rows_duplicate", "status", "message"]  # fmt: skip
        rows = history.rows
        ordered = [c for c in first if c in rows.columns]
        table(rows[ordered + [c for c in rows.columns if c not in ordered]], ctx, "import_log")

    st.markdown(f"##### {ctx.t('rejected_rows')}")
    every = data_access.rejected_rows(None)
    files = (
        [None, *sorted(every.rows["file"].dropna().astype(str).unique())] if every.total else [None]
    )
    chosen = st.selectbox(
        ctx.t("rejected_filter"),
        files,
        format_func=lambda f: ctx.t("all") if f is None else f,
        key="rejected_file",
    )
    rejected = data_access.rejected_rows(chosen)
    if rejected.total == 0:
        st.info(ctx.t("no_rejects"))
    else:
        st.caption(f"{len(rejected.rows):,} / {rejected.total:,}")
        table(rejected.rows, ctx, "rejected_rows")

    events_editor.render(ctx)  # events on the timeline (#12)

    # Notifications (#16): the delivery log and its failures, one block of its own.
    from dashboard.ui.pages.notify_log import render_delivery_log

    render_delivery_log(ctx)


render(context.get())
