"""Spark Connect: the test starts a Spark Connect server on 127.0.0.1 (pyspark's own
``start-connect-server.sh --wait``, local mode), computes KPIs through
``--spark-remote sc://127.0.0.1:PORT`` and stops the server. Same rows as DuckDB."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from dashboard.engines.lake import export_lake
from tests.spark_support import require_spark
from tests.test_spark_golden_demo import assert_same_csv
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
    root = tmp_path_factory.mktemp("connect-data")
    export_lake(con, root / "lake")
    db = root / "fixture.duckdb"
    con.execute(f"attach '{db}' as f")
    con.execute("copy from database memory to f")
    con.execute("detach f")
    con.close()
    return db, root / "lake"


def _kpi(*args: str) -> str:
    # a process of its own: pyspark allows no Spark Connect client beside the classic local
    # session the other Spark tests keep in this one
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *args],
        capture_output=True, text=True, timeout=600, cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.parametrize(
    "flags",
    [
        ["complaints", "--grain", "week", "--by", "region"],
        ["vip_coverage", "--grain", "month", "--as-of", "2026-03-10", "--project", "A"],
        ["satisfaction"],
    ],
)
def test_kpi_show_through_spark_connect(remote, world, flags):
    db, lake = world
    on_duckdb = _kpi("show", *flags, "--db", str(db), "--format", "csv")
    on_cluster = _kpi("show", *flags, "--engine", "spark", "--lake", str(lake),
                      "--spark-remote", remote, "--format", "csv")  # fmt: skip
    assert on_duckdb.count("\n") >= 2  # a header and rows
    assert_same_csv(on_duckdb, on_cluster)
