# The two commands of the README: `make start` and `make test`. Everything else is a step.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# Debian packages the handbook build and the tests need: Chromium (browser tests and PDF
# print), poppler-utils (pdftotext/pdftoppm in tests), fonts for Bengali and Hindi.
DEB_PACKAGES := chromium fonts-noto-core poppler-utils

.PHONY: start test handbook tracker-demo system-deps lint check-content clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	test -f /usr/share/fonts/truetype/noto/NotoSansBengali-Regular.ttf || missing="$$missing fonts-noto-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_PACKAGES) >/dev/null; \
	  else \
	    echo "Please install these Debian packages (as root): sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

# mkdocs build starts by rendering every page into build/staging/docs (our plugin calls the
# renderer that `facilitator render` runs), then builds the site from that folder.
handbook: $(INSTALLED)
	$(BIN)/facilitator check
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet
	$(BIN)/facilitator print
	$(BIN)/facilitator bundle
	@echo
	@echo "Handbook built in build/handbook/ (PDFs in build/print/, zips in build/bundle/)."
	@echo "To read it offline, open this file in a browser:"
	@echo "  file://$(CURDIR)/build/handbook/index.html"

tracker-demo: $(INSTALLED)
	$(BIN)/tracker init-db
	$(BIN)/tracker demo

start: system-deps handbook tracker-demo
	@echo
	@echo "Handbook: file://$(CURDIR)/build/handbook/index.html"
	@echo "Tracker:  http://127.0.0.1:5000  (demo logins are printed above)"
	$(BIN)/tracker serve

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check-content: $(INSTALLED)
	$(BIN)/facilitator check
	$(BIN)/facilitator translations --strict

test: system-deps $(INSTALLED) lint check-content
	$(BIN)/pytest -q -n auto --maxprocesses=4

clean:
	rm -rf build
