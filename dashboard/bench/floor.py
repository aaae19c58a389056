"""The ingest floor: what the bare libraries need to move the same export files into DuckDB
with no checks at all (#14), measured in the same run as the real ingest so the two can be
compared as a ratio on this machine at this moment.

Per file, the cheapest faithful path a hand-written script would take:

* CSV/TSV/TXT: decode the bytes (UTF-8, else GB18030 with Python's codec: DuckDB reads only
  UTF-8/UTF-16/Latin-1 without an extension), write them as UTF-8, then DuckDB
  ``read_csv(all_varchar=true, header=false)`` into a table;
* XLSX: python-calamine reads every sheet's cells, handed to DuckDB as an Arrow table of text;
* Parquet: DuckDB ``create table ... as select * from read_parquet(...)``.

No header search, no value parsing, no rejects, no upsert, no atomic publish: every one of
those is what the product adds on top, and the ratio says what that costs.

``python -m dashboard.bench.floor PLAN.json`` runs it in a child process (like the ingest
stage, so both start from a cold interpreter) and prints one JSON object.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import duckdb

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _load_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str, scratch: Path) -> int:
    text = _decode(path.read_bytes())
    utf8 = scratch / (path.stem + ".utf8.csv")
    utf8.write_text(text, encoding="utf-8")
    con.execute(
        f"create table {table} as select * from read_csv($p, all_varchar = true, "
        "header = false, null_padding = true, ignore_errors = true)",
        {"p": str(utf8)},
    )
    utf8.unlink()
    return con.execute(f"select count(*) from {table}").fetchone()[0]


def _load_xlsx(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> int:
    import pyarrow as pa
    from python_calamine import CalamineWorkbook

    rows = 0
    workbook = CalamineWorkbook.from_path(str(path))
    for i, name in enumerate(workbook.sheet_names):
        cells = workbook.get_sheet_by_name(name).to_python()
        if not cells:
            continue
        width = max(len(r) for r in cells)
        columns = [
            pa.array(["" if j >= len(r) or r[j] is None else str(r[j]) for r in cells])
            for j in range(width)
        ]
        arrow = pa.table(columns, names=[f"c{j}" for j in range(width)])
        con.register("_sheet", arrow)
        con.execute(f"create table {table}_{i} as select * from _sheet")
        con.unregister("_sheet")
        rows += arrow.num_rows
    return rows


def _load_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> int:
    con.execute(f"create table {table} as select * from read_parquet($p)", {"p": str(path)})
    return con.execute(f"select count(*) from {table}").fetchone()[0]


def measure(db: Path, files_by_kind: dict[str, list[str]]) -> dict[str, object]:
    """Seconds per kind (and in total) to move the files into a fresh DuckDB file ``db``."""
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    per_kind: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="kpi-floor-") as tmp:
        scratch = Path(tmp)
        con = duckdb.connect(str(db))
        try:
            n = 0
            for kind, files in files_by_kind.items():
                start = time.perf_counter()
                cpu = time.process_time()
                rows = 0
                for f in map(Path, files):
                    n += 1
                    table = f"t{n}"
                    suffix = f.suffix.lower()
                    if suffix in CSV_SUFFIXES:
                        rows += _load_csv(con, f, table, scratch)
                    elif suffix in XLSX_SUFFIXES:
                        rows += _load_xlsx(con, f, table)
                    elif suffix == ".parquet":
                        rows += _load_parquet(con, f, table)
                con.execute("checkpoint")  # the real ingest's data is on disk too
                per_kind[kind] = {
                    "seconds": time.perf_counter() - start,
                    # CPU seconds of every thread: steadier than the wall clock on a shared
                    # machine (the ingest stage reports the same)
                    "cpu_seconds": time.process_time() - cpu,
                    "rows": rows,
                }
        finally:
            con.close()
    db.unlink(missing_ok=True)
    return {
        "kinds": per_kind,
        "total_seconds": sum(k["seconds"] for k in per_kind.values()),
    }


def main() -> int:
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    print(json.dumps(measure(Path(plan["db"]), plan["files_by_kind"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
