"""Spark Connect: the test starts a Spark Connect server on 127.0.0.1 (pyspark's own
``start-connect-server.sh --wait``, local mode), computes KPIs through
``--spark-remote sc://127.0.0.1:PORT`` and stops the server. Same rows as DuckDB."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from dashboard import cli, kpis
from dashboard.engines.lake import export_lake
from dashboard.settings import EngineSettings
from tests.spark_support import assert_same_rows, require_spark
from tests.test_spark_golden_fixtures import load


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    require_spark()
    if importlib.util.find_spec("grpc") is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("Spark Connect client missing in CI: pip install 'pyspark[connect]'")
        pytest.skip("Spark Connect client not installed (pip install 'pyspark[connect]')")
    import pyspark

    from dashboard.engines import spark as spark_engine

    # a Spark Connect client cannot start beside a classic local session in one process
    spark_engine.stop_sessions()
    home = Path(pyspark.__file__).parent
    logs = tmp_path_factory.mktemp("connect")
    port = _free_port()
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOG_DIR": str(logs),
           "SPARK_PID_DIR": str(logs), "SPARK_CONNECT_MODE": "0"}  # fmt: skip
    log = (logs / "server.log").open("w")
    server = subprocess.Popen(
        [
            str(home / "sbin" / "start-connect-server.sh"),
            "--wait",
            "--master",
            "local[1]",
            "--conf",
            f"spark.connect.grpc.binding.port={port}",
            "--conf",
            "spark.connect.grpc.binding.address=127.0.0.1",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.sql.shuffle.partitions=2",
            "--conf",
            "spark.driver.memory=512m",
        ],  # fmt: skip
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as one below
    )
    try:
        deadline = time.monotonic() + 240
        while True:
            if server.poll() is not None:
                pytest.fail(
                    f"Spark Connect server exited: {(logs / 'server.log').read_text()[-2000:]}"
                )
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline:
                pytest.fail("Spark Connect server did not start in 240 s")
            time.sleep(1)
        yield f"sc://127.0.0.1:{port}"
    finally:
        with spark_engine._lock:  # the client session of this server only
            client = spark_engine._sessions.pop(f"sc://127.0.0.1:{port}", None)
        if client is not None:
            with contextlib.suppress(Exception):
                client.stop()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)
        log.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    con = duckdb.connect("")
    load(con)
    lake = tmp_path_factory.mktemp("lake") / "lake"
    export_lake(con, lake)
    yield con, lake
    con.close()


@pytest.mark.parametrize(
    ("kpi", "kwargs"),
    [
        ("complaints", {"grain": "week", "by": "region"}),
        ("vip_coverage", {"grain": "month", "as_of": "2026-03-10", "projects": ["A", "C"]}),
    ],
)
def test_kpis_through_spark_connect(remote, world, kpi, kwargs):
    con, lake = world
    duck = kpis.compute(con, kpi, engine="duckdb", **kwargs)
    spark = kpis.compute(con, kpi, engine=EngineSettings("spark", str(lake), remote), **kwargs)
    assert_same_rows(duck, spark, f"{kpi} {kwargs} via {remote}")


def test_kpi_show_with_spark_remote(remote, world, tmp_path):
    con, lake = world
    db = tmp_path / "fixture.duckdb"
    con.execute(f"attach '{db}' as f")
    con.execute("copy from database memory to f")
    con.execute("detach f")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["show", "satisfaction", "--db", str(db), "--format", "csv"])
    assert code == 0
    remote_out = io.StringIO()
    with contextlib.redirect_stdout(remote_out):
        code = cli.main(
            ["show", "satisfaction", "--engine", "spark", "--lake", str(lake),
             "--spark-remote", remote, "--format", "csv"]
        )  # fmt: skip
    assert code == 0
    assert remote_out.getvalue().splitlines()[0] == out.getvalue().splitlines()[0]
    assert len(remote_out.getvalue().splitlines()) == len(out.getvalue().splitlines()) > 3
