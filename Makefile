# The two commands README gives: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PORT   ?= 8000
WORKERS ?= 2

.PHONY: run test fuzz install system-deps validate bench lighthouse clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/activate

# axe-core for the accessibility tests, at the version package-lock.json pins. Serving needs no
# Node.js: without npm, `make run` goes on (`make test` installs npm first, in system-deps).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm is missing: axe-core (for tests/test_axe.py) is not installed"; fi

install: $(BIN)/activate node_modules/axe-core/axe.min.js

run: install
	$(BIN)/gunicorn --config gunicorn.conf.py --preload --workers $(WORKERS) --bind 127.0.0.1:$(PORT) 'leaderboard:create_app()'

# Debian packages the tests need: Chromium for the browser tests, a CJK font for chart images,
# LibreOffice (Calc, Impress) to open the workbooks and decks as an office suite does,
# Node.js and npm for axe-core.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	dpkg-query -W -f='$${Status}' libreoffice-impress-nogui 2>/dev/null | grep -q "ok installed" \
	  || dpkg-query -W -f='$${Status}' libreoffice-impress 2>/dev/null | grep -q "ok installed" \
	  || missing="$$missing libreoffice-impress-nogui"; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "The tests need Debian packages:$$missing — run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

test: system-deps install
	$(BIN)/ruff check leaderboard tests bench
	$(BIN)/mypy
	$(BIN)/pytest

# The property-based tests with fresh random examples, FUZZ_EXAMPLES (default 1000) per test.
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q -p no:cacheprovider tests/test_security.py tests/test_api_schema.py -k "fuzz or openapi"

# The performance benchmark (docs/performance.md): needs Debian's wrk; installs Datasette.
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || \
	  { echo "bench needs wrk: sudo apt-get install wrk"; exit 1; }
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scale.py

# Lighthouse (npm, not kept in package.json: only this measurement needs it) on the largest
# grid page as a phone loads it; figures in docs/performance.md.
lighthouse: install
	npm install --no-save --no-audit --no-fund --silent lighthouse@12.8.2
	$(BIN)/python bench/lighthouse.py

validate: install
	$(BIN)/leaderboard validate

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache *.egg-info

# The interface's messages: extract them from the code and templates, bring the Chinese catalogue
# up to date (new messages in it untranslated: tests/test_i18n.py fails until they are), compile.
TRANSLATIONS = leaderboard/translations
translations: $(BIN)/activate
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext --no-location --sort-output -o $(TRANSLATIONS)/messages.pot .
	test -f $(TRANSLATIONS)/zh/LC_MESSAGES/messages.po \
	  || $(BIN)/pybabel init -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l zh
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l zh
	$(BIN)/pybabel compile -d $(TRANSLATIONS) -l zh
