"""`make deps-check`: what newer versions of the dependencies exist (run it weekly).

1. Within the bounds of pyproject.toml: resolves the dependencies again with `uv pip compile
   --upgrade` and lists every pin of requirements.lock that would move (`make lock
   LOCK_ARGS=--upgrade` takes them; run the tests after).
2. Beyond the bounds: for each direct dependency with an upper bound, the newest release on
   the package index (`pip index versions`, one look-up per package) and whether the bound
   excludes it - a new major needs a code change and a test run before the bound moves.

Read-only: it never changes the lock file or the environment. Exit code 0 either way (it
is a report, not a gate).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
# Keep in step with the Makefile's LOCK_FLAGS.
LOCK_FLAGS = [
    "--extra",
    "test",
    "--python-version",
    "3.11",
    "--python-platform",
    "x86_64-unknown-linux-gnu",
]


def pins(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==([^\s;#]+)", line)
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


def within_bounds() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "upgraded.lock"
        done = subprocess.run(
            [sys.executable, "-m", "uv", "pip", "compile", "pyproject.toml", *LOCK_FLAGS,
             "--upgrade", "--quiet", "-o", str(out)],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            print(f"uv pip compile failed (is uv installed? pip install uv):\n{done.stderr}")
            return
        new = pins(out.read_text(encoding="utf-8"))
    old = pins(LOCK.read_text(encoding="utf-8"))
    moves = [(n, old.get(n, "-"), v) for n, v in sorted(new.items()) if old.get(n) != v]
    print("Within the bounds of pyproject.toml (make lock LOCK_ARGS=--upgrade):")
    for name, was, now in moves:
        print(f"  {name:28} {was:>14} -> {now}")
    if not moves:
        print("  requirements.lock is up to date")


def newest(name: str) -> Version | None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", name],
        capture_output=True, text=True,
    )  # fmt: skip
    match = re.search(r"Available versions: (.*)", done.stdout)
    if not match:
        return None
    versions = []
    for text in match.group(1).split(","):
        try:
            versions.append(Version(text.strip()))
        except InvalidVersion:
            continue
    stable = [v for v in versions if not v.is_prerelease]
    return max(stable or versions, default=None)


def beyond_bounds() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    print("Beyond the upper bounds (a new major: change the code, test, then move the bound):")
    for line in project["dependencies"]:
        req = Requirement(line)
        if not any(s.operator in ("<", "<=", "~=", "==") for s in req.specifier):
            continue
        latest = newest(req.name)
        if latest is None:
            print(f"  {req.name:28} (no answer from the package index)")
            continue
        verdict = "allowed" if req.specifier.contains(latest) else "EXCLUDED by the bound"
        print(f"  {req.name:28} {str(req.specifier):>16}  newest {latest}: {verdict}")


if __name__ == "__main__":
    within_bounds()
    print()
    beyond_bounds()
