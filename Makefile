# Second Look: the only two commands anyone needs are `make run` and `make test`.
# Everything they need (system packages, virtualenv, database, demo school) is set up here.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
HOST   ?= 127.0.0.1
PORT   ?= 5000
FACE_RECOGNITION := face_recognition==1.3.0

.PHONY: run test screenshots setup setup-test system-deps browser-deps clean bench

run: setup
	$(BIN)/secondlook init-db
	$(BIN)/secondlook demo-seed
	$(BIN)/secondlook serve --host $(HOST) --port $(PORT)

test: setup-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Browser tests write screenshots to build/screenshots/ (ignored); this refreshes the tracked
# copies in docs/screenshots/ that the README and docs show.
screenshots: setup-test
	SECONDLOOK_REFRESH_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

setup: system-deps $(VENV)/.installed

setup-test: setup browser-deps $(VENV)/.installed-test

# libmagic backs python-magic's content sniffing.
system-deps:
	@if ! ldconfig -p | grep -q 'libmagic.so.1'; then \
	  echo "Installing libmagic (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libmagic1 >/dev/null; \
	fi

# Debian's Chromium for the browser tests (Playwright's own browser download is not used).
browser-deps:
	@if ! [ -x /usr/bin/chromium ]; then \
	  echo "Installing Chromium (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi
	@if ! [ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]; then \
	  echo "Installing an emoji font for the screenshots (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-color-emoji >/dev/null; \
	fi

$(VENV)/.installed: setup.cfg pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip setuptools wheel
	$(PIP) install -e .
	$(PIP) install --no-deps $(FACE_RECOGNITION)
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed setup.cfg package.json
	$(PIP) install -e '.[test]'
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

bench: setup-test
	$(BIN)/python bench/check_text.py

clean:
	rm -rf $(VENV) instance/*.sqlite* .pytest_cache
