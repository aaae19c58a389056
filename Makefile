# Default target: lint and test.
.PHONY: all lint format test run ci install

all: lint test

install:
	pip install -e ".[test]"

lint:
	ruff check .
	ruff format --check .

format:
	ruff format .
	ruff check --fix .

test:
	pytest

run:
	streamlit run app.py

ci:
	bash .ci/run
