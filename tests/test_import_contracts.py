"""The import contracts of pyproject.toml hold (#13): the layers run one way and only the
UI imports Streamlit. `make lint` and .ci/run run the same `lint-imports`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_lint_imports_keeps_every_contract():
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.fail("lint-imports is not installed: pip install -c requirements.lock -e '.[test]'")
    proc = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout
    assert "Only the UI imports Streamlit KEPT" in proc.stdout


def test_every_module_of_the_package_is_in_a_layer_and_kept_from_streamlit():
    """A new module or package must be placed in the layers (and, unless it is the UI,
    kept from Streamlit), or the contracts would not see it."""
    import re
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    by_id = {c["id"]: c for c in contracts["tool"]["importlinter"]["contracts"]}
    layered = {
        name.strip()
        for layer in by_id["upper-layers"]["layers"]
        for name in re.split(r"[|:]", layer)
    }
    kept_from_streamlit = {
        m.removeprefix("dashboard.") for m in by_id["streamlit-in-ui-only"]["source_modules"]
    }
    package = ROOT / "dashboard"
    modules = {
        p.stem if p.is_file() else p.name
        for p in package.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    }
    assert modules - layered == set()
    assert modules - kept_from_streamlit == {"ui"}
