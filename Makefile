# The course's commands. Each one creates .venv (python3 -m venv) on first use and installs what it needs;
# a stamp file in .venv makes later runs skip pip until a requirements file or pyproject.toml changes.
#
#   make course      open the course in JupyterLab (in your browser)
#   make present     show the stepper full-screen without code (Voila), for a lecture
#   make test        run tests/ and re-run every notebook, comparing outputs (nbval)
#   make check       the quick loop while editing helpers: the unit tests and ruff (under a minute)
#   make notebooks   re-execute every notebook in place and strip widget state
#   make lint        ruff check the code and the notebooks
#   make bench       run every script in benchmarks/
#   make site        build site/: the notebooks as static HTML pages with their stored outputs

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
COURSE_STAMP := $(VENV)/.installed-course
TEST_STAMP := $(VENV)/.installed-test

# Folders that may not exist yet (git keeps no empty folder) are left out rather than failing.
NOTEBOOK_DIR := $(wildcard notebooks)
LINT_PATHS := $(wildcard helpers tests benchmarks notebooks tools data)
# `make test` re-runs the notebooks under strict nbval; when one differs, it says how to bring it up to date.
NBVAL := $(if $(NOTEBOOK_DIR),$(PY) -m pytest $(NOTEBOOK_DIR) --nbval --nbval-current-env \
	--nbval-sanitize-with tests/sanitize.cfg -p no:cacheprovider -q -rfEs,true)
STALE_NOTEBOOKS := ==> FAILED: a notebook's stored outputs differ from a fresh run (it is stale, or a cell now \
	fails). Run 'make notebooks' to re-execute and clean every notebook, check 'git diff notebooks/', commit.
# Jupyter refuses to run as root without --allow-root (containers, CI); a normal user never gets it.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.DEFAULT_GOAL := help
.PHONY: help course present test check notebooks lint bench site

help:
	@echo "make course     open the course in JupyterLab"
	@echo "make present    show the stepper full-screen without code (Voila), for a lecture"
	@echo "make test       run tests/ and check every notebook with nbval"
	@echo "make check      the quick loop: unit tests (no browser, no notebooks) and ruff, under a minute"
	@echo "make notebooks  re-execute the notebooks in place and strip widget state"
	@echo "make lint       ruff check $(LINT_PATHS)"
	@echo "make bench      run every script in benchmarks/"
	@echo "make site       build site/ (static pages of the notebooks; open site/index.html)"

$(PY):
	@echo "==> creating the virtual environment $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)

$(COURSE_STAMP): requirements.txt pyproject.toml | $(PY)
	@echo "==> installing requirements.txt into $(VENV) (quietly; the first time takes about a minute)"
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(TEST_STAMP): requirements-test.txt requirements.txt pyproject.toml | $(PY)
	@echo "==> installing requirements-test.txt into $(VENV) (quietly; the first time takes about a minute)"
	$(PY) -m pip install --quiet -r requirements-test.txt
	@touch $@

course: $(COURSE_STAMP)
	@echo "==> starting JupyterLab on 127.0.0.1 with the notebooks/ folder open; stop it with Ctrl-C"
	@$(if $(ALLOW_ROOT),echo "==> note: running as root (--allow-root): the notebooks' terminal and code run with root's rights on this machine")
	$(BIN)/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/notebooks $(ALLOW_ROOT)

# Voila serves present/stepper.ipynb with the course's template (present/voila/templates/present: Voila's
# own, minus the icon style sheets it fetches from a CDN), so the lecture view works offline. present/voila.json
# refuses a foreign Host header (403, as JupyterLab) and stops kernels left idle with no page for 10 minutes.
present: $(COURSE_STAMP)
	@echo "==> starting Voila on 127.0.0.1: the stepper without code (F11 for full screen); stop it with Ctrl-C"
	JUPYTER_PATH="$(CURDIR)/present" $(BIN)/voila present/stepper.ipynb --template=present \
		--Voila.ip=127.0.0.1 --token --Voila.config_file_paths=present

test: $(TEST_STAMP)
	@echo "==> running the tests in tests/ (unit, widgets, notebook hygiene with ruff, browser in JupyterLab)"
	$(PY) -m pytest tests -p no:cacheprovider -q -rfEs
	@echo "==> re-running every notebook in notebooks/ and comparing its outputs with the stored ones (nbval)"
	$(NBVAL) || { echo "$(STALE_NOTEBOOKS)"; exit 1; }

# The unit tests of helpers (maths, display, exercises, the layers) and ruff: no browser, no nbval, none of
# the notebook tests that execute or edit notebooks. `make test` stays the full run.
UNIT_TESTS := $(wildcard tests/maths tests/display tests/exercises tests/test_layers.py)
check: $(TEST_STAMP)
	@echo "==> unit tests ($(UNIT_TESTS)) and ruff; the full run is 'make test'"
	$(PY) -m pytest $(UNIT_TESTS) -p no:cacheprovider -q
	$(BIN)/ruff check $(LINT_PATHS)

notebooks: $(TEST_STAMP)
	@echo "==> re-executing every notebook in notebooks/ in place"
	@for nb in notebooks/*.ipynb; do \
		[ -e "$$nb" ] || continue; \
		echo "    $$nb"; \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace --log-level=WARN \
			--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=600 \
			--ExecutePreprocessor.store_widget_state=False "$$nb" || exit 1; \
	done
	@echo "==> removing widget state and renumbering execution counts"
	$(PY) tools/clean_notebooks.py

lint: $(TEST_STAMP)
	@echo "==> ruff check $(LINT_PATHS)"
	$(BIN)/ruff check $(LINT_PATHS)

bench: $(COURSE_STAMP)
	@echo "==> running every script in benchmarks/"
	@n=0; for f in benchmarks/*.py; do \
		[ -e "$$f" ] || continue; \
		echo "--- $$f"; \
		$(PY) "$$f" || exit 1; \
		n=$$((n + 1)); \
	done; \
	echo "==> $$n benchmark(s) run"

# The static site: nbconvert's HTML of each notebook's stored outputs (nothing re-executed), MathJax from the
# npm package `mathjax` (fetched once with npm into .venv/site-cache/), the stepper mounted from its stored trace.
site: $(TEST_STAMP)
	@echo "==> building site/ from the notebooks' stored outputs"
	$(PY) tools/build_site.py --out site
