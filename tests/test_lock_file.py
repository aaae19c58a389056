"""Reproducible installs (#19): requirements.lock pins every dependency of pyproject.toml
at a version its bounds allow, the majors the code relies on are bounded, and CI runs
exactly the README's test command, which installs from the lock."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
BOUNDED = ("duckdb", "streamlit", "sqlglot", "pandas", "pyarrow")


def locked() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==([^\s;#]+)", line)
        if match:
            pins[canonicalize_name(match.group(1))] = Version(match.group(2))
    return pins


def requirements() -> list[Requirement]:
    return [
        Requirement(r) for r in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]
    ]


@pytest.mark.parametrize("requirement", requirements(), ids=lambda r: r.name)
def test_every_dependency_is_pinned_within_its_bounds(requirement):
    # fails after a dependency is added or re-bounded without `make lock`
    pins = locked()
    name = canonicalize_name(requirement.name)
    assert name in pins, f"{name} is not in requirements.lock: run `make lock`"
    assert requirement.specifier.contains(pins[name]), (name, str(pins[name]))


@pytest.mark.parametrize("name", BOUNDED)
def test_the_majors_the_code_relies_on_have_an_upper_bound(name):
    requirement = next(r for r in requirements() if canonicalize_name(r.name) == name)
    assert any(s.operator in ("<", "<=") for s in requirement.specifier), str(requirement)
    # the bound admits the locked version but not the next major
    pinned = locked()[name]
    assert requirement.specifier.contains(pinned)
    assert not requirement.specifier.contains(Version(f"{pinned.major + 1}.0"))


def test_every_pin_is_exact_and_listed_once():
    lines = [
        line
        for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    names = [canonicalize_name(line.split("==")[0]) for line in lines]
    assert all("==" in line for line in lines)
    assert len(names) == len(set(names))


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [
        line.strip() for line in block.splitlines() if line.strip() and not line.startswith("#")
    ]


def test_ci_runs_exactly_the_readmes_test_command_from_the_lock():
    commands = _readme_commands()
    assert len(commands) == 2  # the Quick start's two commands
    test = next(c for c in commands if c.endswith("pytest"))
    install = next(c for c in commands if c.endswith("streamlit run app.py"))
    assert "-c requirements.lock" in install and "-c requirements.lock" in test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in [line.strip() for line in ci]
