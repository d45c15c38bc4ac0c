# The two commands README gives: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PORT   ?= 8000
WORKERS ?= 2

.PHONY: run test install validate lint clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/activate

install: $(BIN)/activate

run: install
	$(BIN)/gunicorn --preload --workers $(WORKERS) --bind 127.0.0.1:$(PORT) 'leaderboard:create_app()'

test: install
	$(BIN)/ruff check leaderboard tests
	$(BIN)/pytest

validate: install
	$(BIN)/leaderboard validate

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
