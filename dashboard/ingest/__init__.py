"""``kpi ingest``: load export files into the canonical tables (shared/spec/data-contract.md).

Public API (``dashboard.pipeline`` calls it; the app's upload and the CLI go through the
pipeline, which refreshes what is derived from the data before each publish):

* ``ingest_paths(paths, db=None, kind=None, progress=False)``: files and folders (walked
  recursively for .csv .tsv .txt .xlsx .xlsm .parquet; hidden files and ``*.duckdb``
  skipped; folder contents in name order, so dated exports load oldest first and the
  newest wins). Works through ``dashboard.db.writer``: a private copy, published
  atomically. **One writer session per file that needs loading**, i.e. the database is
  published after every file: a kill mid-run keeps the files already reported, and the
  file being loaded is simply absent (never half there). Files whose content is already
  imported are recognised from a read-only look at the live file, without a copy.
* ``ingest_into(con, path, kind=None, display_name=None)``: one file into an open
  connection (one transaction per file or sheet: BEGIN ... COMMIT, ROLLBACK on failure).

Accounting (also in ``FileResult``): data rows are the records below the header row;
completely empty lines (no cell with anything but spaces) are skipped and not counted.
loaded + rejected + duplicates = rows_in_file, and ``rejected_rows`` holds exactly
``rejected`` rows for the import. A file rejected whole reports 0 rows of every count.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dashboard.db import writer
from dashboard.ingest import loader
from dashboard.ingest.aliases import AliasTable, load_aliases
from dashboard.ingest.header import HeaderMatch, HeaderProblem, find_header, header_found
from dashboard.ingest.kinds import (
    EVENTS_KIND,
    kinds_from_name,
    name_words_hint,
    resolve_kind_option,
)
from dashboard.ingest.readers import SUPPORTED_SUFFIXES, RawSheet, UnreadableFile, read_sheets
from dashboard.schema import KINDS

__all__ = ["FileResult", "ingest_into", "ingest_paths", "find_export_files"]


@dataclass
class FileResult:
    file: str  # path as given
    sheet: str | None
    kind: str | None
    rows_in_file: int
    loaded: int
    rejected: int  # every row in the rejects table, the superseded ones included
    duplicates: int
    status: str  # "loaded" | "rejected" | "skipped" (same content already imported)
    message: str  # for rejected files: why (names missing column AND headers found)
    superseded: int = 0  # of ``rejected``: earlier rows of a key repeated later (normal)


# --------------------------------------------------------------------------- one file


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _already_loaded(con: duckdb.DuckDBPyConnection, content_hash: str, sheet: str | None) -> bool:
    row = con.execute(
        """select count(*) from import_log
           where content_hash = $hash and status = 'loaded'
             and coalesce(sheet, '') = coalesce($sheet, '')""",
        {"hash": content_hash, "sheet": sheet},
    ).fetchone()
    return bool(row and row[0])


def _candidates(kind: str | None, names: list[str], aliases: AliasTable) -> tuple[list[str], str]:
    """Kinds still possible, and how they were chosen ('option', 'name' or 'headers')."""
    if kind:
        return [kind], "option"
    for name in names:
        found = kinds_from_name(name, aliases)
        if found:
            return found, "name"
    return list(KINDS), "headers"


def _is_empty(sheet: RawSheet) -> bool:
    if sheet.arrow is not None:
        return sheet.arrow.num_columns == 0
    return not any(any(str(c).strip() for c in row if c is not None) for row in sheet.rows)


# a kind with its own importer: (the file's context, its path) -> the results
KindImporter = Callable[["_Context", Path], list[FileResult]]


class _TooWide(Exception):
    """The table has more columns than the loader handles (see loader.MAX_COLUMNS)."""


def _too_wide(columns: int) -> str:
    return (
        f"the file has {columns:,} columns; at most {loader.MAX_COLUMNS:,} are supported "
        "(remove the columns you do not need and import it again)"
    )


def ingest_into(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str | None = None,
    display_name: str | None = None,
    on_stage: Callable[[str], None] | None = None,
    content_hash: str | None = None,
    importers: Mapping[str, KindImporter] | None = None,
) -> list[FileResult]:
    """Load one export file (every sheet of an XLSX) into ``con``; see module docstring.

    ``importers`` maps a kind that is not an export (``events``) to its own importer,
    handed in by the orchestrator (``dashboard.pipeline``): those importers build on this
    package, so it cannot import them back.

    ``display_name`` is the name shown and recorded (e.g. the original name of an uploaded
    file); its base name is also what kind detection reads. Defaults to ``path``.
    ``on_stage`` hears "reading", "checking", "writing" (for a progress display).
    ``content_hash``: the file's ``file_hash`` when the caller has it already (hashing a
    200 MB export takes ~0.2 s).
    """
    stage = on_stage or (lambda _step: None)
    stage("reading")
    path = Path(path)
    label = display_name or str(path)
    file_name = Path(label).name
    aliases = load_aliases()
    kind = resolve_kind_option(kind, aliases) if kind else None
    content_hash = content_hash or file_hash(path)
    ctx = _Context(con, label, file_name, content_hash, aliases, stage, _company_timezone())

    if path.suffix.lower() not in (".xlsx", ".xlsm") and _already_loaded(con, content_hash, None):
        return [ctx.skipped(None)]
    if kind == EVENTS_KIND:  # events on the timeline (#12): their own small importer
        importer = (importers or {}).get(EVENTS_KIND)
        if importer is None:
            return [ctx.reject(None, None, "events are imported through dashboard.pipeline")]
        return importer(ctx, path)
    file_kinds, _ = _candidates(kind, [Path(file_name).stem], aliases)
    try:
        sheets = read_sheets(path, lambda rows: header_found(rows, file_kinds, aliases))
    except UnreadableFile as exc:
        return [ctx.reject(None, None, str(exc))]
    if not sheets:
        return [ctx.reject(None, None, "the workbook has no worksheets")]
    if all(sheet.sheet is not None and _is_empty(sheet) for sheet in sheets):
        return [ctx.reject(None, None, "the workbook has no rows (every sheet is empty)")]
    results = []
    for sheet in sheets:
        results.append(ctx.load_sheet(sheet, kind))
    return results


def _company_timezone() -> str:
    """``timezone`` of the settings: zone-aware Parquet timestamps are converted to it."""
    from dashboard.settings import load_settings

    return load_settings().timezone


@dataclass
class _Context:
    con: duckdb.DuckDBPyConnection
    label: str
    file_name: str
    content_hash: str
    aliases: AliasTable
    stage: Callable[[str], None]
    timezone: str = "Asia/Shanghai"

    def result(
        self,
        sheet: str | None,
        kind: str | None,
        counts: loader.Counts | None,
        status: str,
        message: str = "",
    ) -> FileResult:
        c = counts or loader.Counts(0, 0, 0, 0)
        return FileResult(
            self.label,
            sheet,
            kind,
            c.rows,
            c.loaded,
            c.rejected,
            c.duplicates,
            status,
            message,
            c.superseded,
        )

    def skipped(
        self, sheet: str | None, message: str = "already imported (same content)"
    ) -> FileResult:
        return self.result(sheet, None, None, "skipped", message)

    def reject(self, sheet: str | None, kind: str | None, message: str) -> FileResult:
        """Whole-file (or whole-sheet) rejection: only an import_log row is written."""
        self.con.execute("begin")
        try:
            loader.write_log(
                self.con,
                import_id=self._next_id(),
                file_name=self.file_name,
                file_path=self.label,
                sheet=sheet,
                content_hash=self.content_hash,
                kind=kind,
                counts=loader.Counts(0, 0, 0, 0),
                status="rejected",
                message=message,
            )
            self.con.execute("commit")
        except Exception:
            self.con.execute("rollback")
            raise
        return self.result(sheet, kind, None, "rejected", message)

    def _next_id(self) -> int:
        return self.con.execute("select nextval('import_id_seq')").fetchone()[0]

    def load_sheet(self, sheet: RawSheet, kind: str | None) -> FileResult:
        name = sheet.sheet
        if name is not None and _already_loaded(self.con, self.content_hash, name):
            return self.skipped(name)
        if _is_empty(sheet):
            if name is not None:  # an empty worksheet (Sheet2, Sheet3...) is not an export
                return self.skipped(name, "empty sheet")
            return self.reject(name, kind, "the file has no rows")
        names = [n for n in (name, Path(self.file_name).stem) if n]
        candidates, how = _candidates(kind, names, self.aliases)
        try:
            match = find_header(sheet.rows, candidates, self.aliases)
        except HeaderProblem as exc:
            return self.reject(
                name,
                candidates[0] if len(candidates) == 1 else None,
                self._header_message(str(exc), how),
            )
        named = max((i + 1 for i, h in enumerate(match.headers) if h), default=0)
        if named > loader.MAX_COLUMNS:
            return self.reject(name, match.kind, _too_wide(named))
        try:
            counts = self._load(sheet, match)
        except _TooWide as exc:
            return self.reject(name, match.kind, str(exc))
        except MemoryError:
            return self.reject(
                name, match.kind, "could not be loaded: not enough memory; nothing was changed"
            )
        except Exception as exc:  # any failure: nothing of this sheet stays (rolled back)
            problem = (
                str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
            )
            return self.reject(
                name, match.kind, f"could not be loaded, nothing was changed: {problem}"
            )
        note = "" if counts.rows else "no data rows below the header: nothing to load"
        return self.result(name, match.kind, counts, "loaded", note)

    def _header_message(self, problem: str, how: str) -> str:
        if how != "headers":
            return problem
        return (
            "cannot tell which kind of export this is: its name has no kind word "
            f"({name_words_hint(self.aliases)}) and its header names the required columns of "
            f"no single kind: {problem}. Rename the file or use --kind"
        )

    def _load(self, sheet: RawSheet, match: HeaderMatch) -> loader.Counts:
        con = self.con
        staged = loader.stage(sheet, match, timezone=self.timezone)
        if len(staged.names) > loader.MAX_COLUMNS + 1:  # + 1: folded surplus cells
            raise _TooWide(_too_wide(len(staged.names)))
        con.execute("begin")
        try:
            import_id = self._next_id()
            self.stage("checking")
            counts = loader.classify(con, match.kind, match, staged, self.aliases)
            self.stage("writing")
            where = {
                "import_id": import_id,
                "kind": match.kind,
                "file": self.label,
                "sheet": sheet.sheet,
                "staged": staged,
            }
            loader.write_rejects(con, **where)
            staged.release_cells()
            loader.upsert(con, **where)
            loader.write_log(
                con,
                import_id=import_id,
                file_name=self.file_name,
                file_path=self.label,
                sheet=sheet.sheet,
                content_hash=self.content_hash,
                kind=match.kind,
                counts=counts,
                status="loaded",
                message=None,
            )
            loader.drop_work_tables(con)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        return counts


# --------------------------------------------------------------------------- many files


def find_export_files(path: Path) -> Iterator[Path]:
    """Readable exports under a folder, recursively, in name order."""
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            p = Path(root) / name
            if name.startswith((".", "~$")) or p.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            yield p


def _expand(
    paths: Sequence[str | Path], display_names: Sequence[str] | None = None
) -> Iterator[tuple[Path, str, str | None]]:
    """(path, label, problem) for every file to import; label is the path as given, or the
    matching entry of ``display_names`` (e.g. an upload's original name, not its temp path)."""
    if display_names is not None and len(display_names) != len(paths):
        raise ValueError("display_names must name every path")
    for i, given in enumerate(paths):
        p = Path(given)
        shown = str(given) if display_names is None else display_names[i]
        if p.is_dir():
            found = False
            for f in find_export_files(p):
                found = True
                yield (
                    f,
                    str(f) if display_names is None else str(Path(shown) / f.relative_to(p)),
                    None,
                )
            if not found:  # "0 files, loaded 0" and success would hide a wrong folder
                kinds = " ".join(sorted(SUPPORTED_SUFFIXES))
                yield p, shown, f"no export files ({kinds}) in this folder or below it"
        elif p.is_file():
            if p.suffix.lower() not in SUPPORTED_SUFFIXES:
                yield (
                    p,
                    shown,
                    (f"not a supported export (use {', '.join(sorted(SUPPORTED_SUFFIXES))})"),
                )
            else:
                yield p, shown, None
        else:
            yield p, shown, "no such file or folder"


def _loaded_in_live_db(db_path: Path, content_hash: str) -> bool:
    """Whether the published database already holds this content (non-XLSX files)."""
    if not db_path.exists():
        return False
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach $p as live (read_only)", {"p": str(db_path)})
        con.execute("use live")
        return _already_loaded(con, content_hash, None)
    except duckdb.Error:
        return False
    finally:
        con.close()


class _NothingToPublish(Exception):
    """Raised inside the writer when every sheet was skipped: the live file stays as is."""


def _ingest_published(
    db_path: Path,
    path: Path,
    kind: str | None,
    label: str,
    on_stage: Callable[[str], None],
    before_publish: Callable[[duckdb.DuckDBPyConnection], None] | None,
    content_hash: str | None,
    importers: Mapping[str, KindImporter] | None = None,
) -> tuple[list[FileResult], bool]:
    """Import one file in its own published copy; (its results, whether it was published)."""
    results: list[FileResult] = []
    try:
        with writer(db_path, before_publish=before_publish) as con:
            results = ingest_into(
                con,
                path,
                kind,
                display_name=label,
                on_stage=on_stage,
                content_hash=content_hash,
                importers=importers,
            )
            if all(r.status == "skipped" for r in results):
                raise _NothingToPublish
    except _NothingToPublish:
        return results, False
    return results, True


def ingest_paths(
    paths: Sequence[str | Path],
    db: str | Path | None = None,
    kind: str | None = None,
    progress: bool = False,
    on_result: Callable[[FileResult], None] | None = None,
    display_names: Sequence[str] | None = None,
    before_publish: Callable[[duckdb.DuckDBPyConnection, bool], None] | None = None,
    importers: Mapping[str, KindImporter] | None = None,
) -> list[FileResult]:
    """Import files and folders into the database ``db`` (see module docstring).

    ``before_publish(con, last)`` runs on each file's copy before it is published; ``last``
    tells whether more files follow in this call (``dashboard.pipeline`` refreshes what is
    derived from the data there: cheap parts every time, slow ones with the last file).
    Call ``dashboard.pipeline.import_files`` rather than this: it passes that refresh.

    ``on_result`` is called with each result as soon as it is known (the CLI prints it).
    ``display_names`` (one per path) is what results, import_log, rejected_rows and
    ``_source_file`` record instead of the path, e.g. an uploaded file's original name.
    Raises ``UnknownKindOption`` for an unknown ``kind`` before touching anything.
    """
    from tqdm import tqdm

    from dashboard.paths import resolve_db_path

    aliases = load_aliases()
    if kind:
        kind = resolve_kind_option(kind, aliases)
    db_path = resolve_db_path(db)
    items = list(_expand(paths, display_names))
    total = sum(p.stat().st_size for p, _, problem in items if problem is None)
    results: list[FileResult] = []
    bar = tqdm(
        total=total, unit="B", unit_scale=True, disable=not progress, file=sys.stderr, leave=False
    )

    def emit(result: FileResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    # Each file is published on its own (atomic per file).
    try:
        for index, (path, label, problem) in enumerate(items):
            last = index == len(items) - 1
            bar.set_postfix_str(path.name, refresh=progress)

            def on_stage(step: str, name: str = path.name) -> None:
                bar.set_postfix_str(f"{name}: {step}", refresh=progress)

            if problem:
                emit(FileResult(label, None, None, 0, 0, 0, 0, "rejected", problem))
                continue
            is_xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
            digest = None if is_xlsx else file_hash(path)  # XLSX: skipped per sheet instead
            if digest is not None and _loaded_in_live_db(db_path, digest):
                emit(
                    FileResult(
                        label, None, None, 0, 0, 0, 0, "skipped", "already imported (same content)"
                    )
                )
            else:
                hook = (
                    None
                    if before_publish is None
                    else lambda con, last=last: before_publish(con, last)
                )
                file_results, _ = _ingest_published(
                    db_path, path, kind, label, on_stage, hook, digest, importers
                )
                for result in file_results:
                    emit(result)
            bar.update(path.stat().st_size)
    finally:
        bar.close()
    return results
