"""Imports while people are looking (#7 item 3).

The hand-off (dashboard/db.py): ``kpi ingest`` works on a private copy and publishes it with
an atomic ``os.replace``; the app's ``Snapshot`` notices the new file and attaches it, while
a page render that started on the old version finishes on it (data_access pins one version
per run). These tests run ``kpi ingest`` in another process while readers keep reading:

* 20 threads of one process sharing one ``Snapshot`` (as the app does, a cursor each);
* 20 real websocket sessions of ``streamlit run app.py`` re-rendering the Overview.

Data: the tiny UI database (tests_ui_support). In the latest complete week (2026-11-02)
c1, c4 and c6 order, so active customers = 3. The import adds orders in that week for c2,
c3 and c5 (plus 200,000 padding orders of c2 so that the import takes a while): active
customers become 6 = |{c1, c4, c6, c2, c3, c5}|. The tiny database holds 3 + 3 + 4 + 4 + 3 +
2 = 19 orders (one per customer and week) before, 19 + 3 + 200,000 = 200,022 after.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pytest
from tests_ui_support import build_tiny_db, free_port, served_app

from dashboard import kpis
from dashboard.db import Snapshot, connect_readonly

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
WEEK = "2026-11-02"
PADDING = 200_000
ORDERS_BEFORE, ORDERS_AFTER = 19, 19 + 3 + PADDING
ACTIVE_BEFORE, ACTIVE_AFTER = 3, 6
SESSIONS = 20


def write_late_orders(path: Path) -> Path:
    lines = ["order_id,customer_id,project,region,ordered_at,amount"]
    for customer, project, region in (("c2", "Alpha", "East"), ("c3", "Beta", "East"),
                                      ("c5", "深圳湾", "华南")):  # fmt: skip
        lines.append(f"new-{customer},{customer},{project},{region},2026-11-03 10:00,50")
    lines += [f"pad-{i},c2,Alpha,East,2026-11-04 10:00,1" for i in range(PADDING)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start_ingest(file: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "ingest", str(file), "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


# `kpi ingest` with a pause right before it publishes: every row is written to the private
# copy, the live file is still the old one. It says "paused" by creating <db>.paused and goes
# on once <db>.go exists, so the test knows readers ran in the middle of the import.
PAUSING_INGEST = """
import sys, time
from pathlib import Path
from dashboard import derived
from dashboard.cli import main

file, target = sys.argv[1], Path(sys.argv[2])
refresh = derived.refresh_derived

def pause(con, **options):
    refresh(con, **options)
    target.with_name(target.name + ".paused").touch()
    while not target.with_name(target.name + ".go").exists():
        time.sleep(0.05)

derived.refresh_derived = pause  # the pipeline's last step before it publishes
sys.exit(main(["ingest", file, "--db", str(target)]))
"""


def start_paused_ingest(file: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", PAUSING_INGEST, str(file), str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.stdout.read()
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.05)


def active_customers(con) -> int:
    frame = kpis.compute(con, "retention", grain="week", date_from=WEEK, date_to=WEEK)
    return int(frame["active_customers"].iloc[0])


@pytest.fixture()
def late_orders(tmp_path: Path) -> Path:
    return write_late_orders(tmp_path / "orders_late.csv")


def test_the_kpi_api_before_and_after_the_import(tmp_path, late_orders):
    # The two states every reader below must see one of (values hand-checked in the docstring).
    db = build_tiny_db(tmp_path / "kpi.duckdb")
    con = connect_readonly(db)
    assert active_customers(con) == ACTIVE_BEFORE
    assert con.execute("select count(*) from orders").fetchone()[0] == ORDERS_BEFORE
    proc = start_ingest(late_orders, db)
    assert proc.wait(timeout=300) == 0, proc.stdout.read()
    assert active_customers(con) == ACTIVE_BEFORE  # an open snapshot stays as it was
    fresh = connect_readonly(db)
    assert active_customers(fresh) == ACTIVE_AFTER
    assert fresh.execute("select count(*) from orders").fetchone()[0] == ORDERS_AFTER


def test_twenty_reader_threads_see_old_or_new_never_a_mix(tmp_path, late_orders):
    """One shared Snapshot, 20 threads with their own cursor, an import in another process.

    Each observation pins a version and reads two numbers from it; a version must always
    give the same pair, and the pair is either all-old or all-new."""
    db = build_tiny_db(tmp_path / "kpi.duckdb")
    snap = Snapshot(db)
    first_version = snap.version
    seen: list[tuple[str, int, int]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    proc = start_ingest(late_orders, db)
    done = threading.Event()

    def reader() -> None:
        try:
            while True:
                finished = done.is_set()  # read once more after the import ended
                version = snap.version
                cur = snap.cursor(version)
                try:
                    orders = cur.execute("select count(*) from orders").fetchone()[0]
                    active = active_customers(cur)
                finally:
                    cur.close()
                with lock:
                    seen.append((version, orders, active))
                if finished:
                    return
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(SESSIONS)]
    for t in threads:
        t.start()
    try:
        assert proc.wait(timeout=300) == 0, proc.stdout.read()
    finally:
        done.set()
        for t in threads:
            t.join(timeout=120)
    assert not errors, errors
    assert {(o, a) for _, o, a in seen} <= {
        (ORDERS_BEFORE, ACTIVE_BEFORE),
        (ORDERS_AFTER, ACTIVE_AFTER),
    }
    by_version: dict[str, set[tuple[int, int]]] = {}
    for version, orders, active in seen:
        by_version.setdefault(version, set()).add((orders, active))
    assert all(len(pairs) == 1 for pairs in by_version.values()), by_version
    assert by_version[first_version] == {(ORDERS_BEFORE, ACTIVE_BEFORE)}
    assert snap.version != first_version  # the new file was noticed...
    assert by_version[snap.version] == {(ORDERS_AFTER, ACTIVE_AFTER)}  # ...and read
    assert len(seen) > SESSIONS  # every thread read at least twice (before/after the end)


# --------------------------------------------------------------------- the real server


@dataclass
class Render:
    """What one run of the Overview sent to a browser."""

    metrics: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    orders_freshness: tuple | None = None  # (rows, last import) of the freshness table
    import_running_throughout: bool = False

    @property
    def shown(self) -> tuple:
        """Everything the consistency checks compare: the 13 tiles and the orders freshness."""
        return (tuple(sorted(self.metrics.items())), self.orders_freshness)


class Session:
    """A browser session over Streamlit's websocket protocol (what the frontend sends).

    Our client sends no widget states, so a second run in the same session would reset the
    sidebar widgets to their defaults (a real browser re-sends them): each render below
    opens a new session, like a person opening or reloading the dashboard."""

    def __init__(self, port: int) -> None:
        from websockets.sync.client import connect

        self._connection = connect(
            f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None
        )
        self.ws = self._connection.__enter__()

    def render(self, query: str = "lang=en") -> Render:
        """The first (and only) run of this session."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        back = BackMsg()
        back.rerun_script.query_string = query
        back.rerun_script.page_script_hash = ""
        self.ws.send(back.SerializeToString())
        out = Render()
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(self.ws.recv(timeout=180))
            kind = msg.WhichOneof("type")
            if kind == "script_finished":
                return out
            if kind != "delta" or msg.delta.WhichOneof("type") != "new_element":
                continue
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "metric":
                out.metrics[element.metric.label] = element.metric.body
            elif which == "exception":
                out.errors.append(element.exception.message)
            elif which == "alert" and element.alert.format == element.alert.ERROR:
                out.errors.append(element.alert.body)
            elif which == "dataframe" and element.dataframe.arrow_data.data:
                table = pa.ipc.open_stream(element.dataframe.arrow_data.data).read_all()
                if {"Data", "Rows", "Last import"} <= set(table.column_names):
                    out.orders_freshness = next(
                        (r["Rows"], r["Last import"])
                        for r in table.to_pylist()
                        if r["Data"] == "Orders"
                    )

    def close(self) -> None:
        self._connection.__exit__(None, None, None)


def open_and_render(port: int) -> Render:
    session = Session(port)
    try:
        return session.render()
    finally:
        session.close()


@pytest.fixture()
def served_db(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    db = build_tiny_db(tmp_path / "kpi.duckdb")
    port = free_port()
    with served_app({"KPI_DB": str(db)}, tmp_path / "streamlit.log", port=port, timeout=120):
        yield db, port


def test_twenty_app_sessions_during_an_import(served_db, late_orders):
    """20 clients keep opening the Overview of a running `streamlit run app.py` while
    `kpi ingest` runs in another process (held just before it publishes, so that renders
    certainly happen in the middle of the import)."""
    db, port = served_db
    paused, go = db.with_name(db.name + ".paused"), db.with_name(db.name + ".go")
    before = open_and_render(port)
    assert before.metrics["Active customers"] == str(ACTIVE_BEFORE)
    assert before.orders_freshness[0] == ORDERS_BEFORE
    assert not before.errors

    proc = start_paused_ingest(late_orders, db)
    renders: list[list[tuple[str, Render]]] = [[] for _ in range(SESSIONS)]
    problems: list[BaseException] = []

    def phase() -> str:
        if proc.poll() is not None:
            return "after"
        if paused.exists() and not go.exists():
            return "paused"
        return "running"

    def browse(i: int) -> None:
        try:
            while True:
                started = phase()
                render = open_and_render(port)
                # "paused" only when the whole render ran while the import was held.
                renders[i].append((started if phase() == started else "running", render))
                if started == "after":
                    return
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            problems.append(exc)

    threads = [threading.Thread(target=browse, args=(i,)) for i in range(SESSIONS)]
    for t in threads:
        t.start()
    try:
        wait_for(paused, proc)
        # Let every client finish a render that started while the import was held.
        deadline = time.monotonic() + 300
        while not all(any(p == "paused" for p, _ in rs) for rs in renders):
            assert not problems and time.monotonic() < deadline, problems
            time.sleep(0.1)
        go.touch()
        assert proc.wait(timeout=300) == 0, proc.stdout.read()
    finally:
        go.touch()
        for t in threads:
            t.join(timeout=600)
    assert not problems, problems
    final = open_and_render(port)

    # The new data shows: hand-checked active customers and orders, the freshness moved.
    assert final.metrics["Active customers"] == str(ACTIVE_AFTER)
    assert active_customers(connect_readonly(db)) == ACTIVE_AFTER  # the KPI API agrees
    rows_after, imported_after = final.orders_freshness
    assert rows_after == ORDERS_AFTER
    assert imported_after > before.orders_freshness[1]

    every = [r for rs in renders for _, r in rs]
    # The app kept answering: every render finished with all 13 tiles and no error.
    assert all(len(r.metrics) == 13 and not r.errors for r in every), [
        (len(r.metrics), r.errors) for r in every if r.errors or len(r.metrics) != 13
    ]
    # In the middle of the import every client sees the old data, complete.
    during = [r for rs in renders for p, r in rs if p == "paused"]
    assert len(during) >= SESSIONS
    assert all(r.shown == before.shown for r in during)
    # Never half-imported: each page is entirely the old state or entirely the new one.
    odd = [r.shown for r in every if r.shown not in (before.shown, final.shown)]
    assert not odd, (before.shown, final.shown, odd[:3])
    # Every client ends on the new data.
    assert all(rs[-1][1].shown == final.shown for rs in renders)
