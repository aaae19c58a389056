"""Shared fixtures: a fresh in-memory DuckDB per test, with the contract tables."""

from __future__ import annotations

import duckdb
import pytest

from dashboard.schema import create_schema


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect("")
    create_schema(connection)
    yield connection
    connection.close()
