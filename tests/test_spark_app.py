"""``[engine]`` switches the app: the Overview computed on Spark (over the lake of the UI
test database) shows the same tiles as on DuckDB, and the sidebar says which engine
answered. Also: settings routing reaches ``kpis.compute`` (the report and notifications
call it too)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests_ui_support import build_tiny_db

from dashboard.db import connect_readonly
from dashboard.engines.lake import export_lake
from dashboard.settings import SettingsError, parse_settings
from tests.spark_support import start_session

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="module")
def spark():
    return start_session()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("spark-app")
    db = build_tiny_db(root / "tiny.duckdb")
    con = connect_readonly(db, locked=False)
    try:
        export_lake(con, root / "lake")
    finally:
        con.close()
    return root, db


def _overview(monkeypatch, db: Path, settings: Path) -> AppTest:
    monkeypatch.setenv("KPI_DB", str(db))
    monkeypatch.setenv("KPI_SETTINGS", str(settings))
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["lang"] = "en"
    return at.run()


def _caption(at: AppTest) -> str:
    return " ".join(c.value for c in at.sidebar.caption if "Computed by" in c.value)


def test_the_app_on_spark_shows_duckdbs_tiles(spark, tiny, monkeypatch):
    root, db = tiny
    duck_toml = root / "duckdb.toml"
    duck_toml.write_text('[engine]\nname = "duckdb"\n')
    spark_toml = root / "spark.toml"
    spark_toml.write_text(f'[engine]\nname = "spark"\nlake = "{root / "lake"}"\n')

    on_duckdb = _overview(monkeypatch, db, duck_toml)
    assert not on_duckdb.exception and not on_duckdb.error
    assert "Computed by DuckDB" in _caption(on_duckdb)
    on_spark = _overview(monkeypatch, db, spark_toml)
    assert not on_spark.exception and not on_spark.error, [e.value for e in on_spark.error]
    assert "Spark (local)" in _caption(on_spark)

    tiles = [(m.label, m.value, m.delta) for m in on_duckdb.metric]
    assert len(tiles) >= 10
    assert [(m.label, m.value, m.delta) for m in on_spark.metric] == tiles


def test_engine_settings_are_checked():
    assert parse_settings({}).engine.name == "duckdb"
    engine = parse_settings(
        {"engine": {"name": "spark", "lake": "/l", "spark_remote": "sc://h:15002"}}
    ).engine
    assert (engine.name, engine.lake, engine.spark_remote) == ("spark", "/l", "sc://h:15002")
    with pytest.raises(SettingsError, match="engine.lake"):
        parse_settings({"engine": {"name": "spark"}})
    with pytest.raises(SettingsError, match="engine.name"):
        parse_settings({"engine": {"name": "polars"}})
    with pytest.raises(SettingsError, match="engine.spark_remote"):
        parse_settings({"engine": {"name": "spark", "lake": "/l", "spark_remote": "http://h"}})
    with pytest.raises(SettingsError, match="engine.cluster"):
        parse_settings({"engine": {"cluster": "x"}})
