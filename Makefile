# Default target: lint and test.
.PHONY: all lint format test run ci install lock deps-check

all: lint test

install:
	pip install -c requirements.lock -e ".[test]"

lint:
	ruff check .
	ruff format --check .
	lint-imports  # the import contracts of pyproject.toml (#13)
	sqlfluff lint queries --processes 1  # SQL style of queries/ (.sqlfluff, #13)

format:
	ruff format .
	ruff check --fix .

test:
	pytest

run:
	streamlit run app.py

ci:
	bash .ci/run

# requirements.lock pins every package (transitive ones too) for Python 3.11 on Linux; CI
# installs from it (.ci/run). Regenerate after changing dependencies in pyproject.toml:
# existing pins are kept where they still fit, new packages get their newest allowed
# version. `make lock LOCK_ARGS=--upgrade` moves every pin to the newest allowed. Needs uv
# (pip install uv).
LOCK_FLAGS = --extra test --python-version 3.11 --python-platform x86_64-unknown-linux-gnu --annotation-style line
lock:
	python -m uv pip compile pyproject.toml $(LOCK_FLAGS) $(LOCK_ARGS) -o requirements.lock

# What newer versions exist, within and beyond the bounds (read-only; run it weekly).
deps-check:
	python .ci/deps_check.py
