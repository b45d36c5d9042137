# Second Look: the only two commands anyone needs are `make run` and `make test`.
# Everything they need (system packages, virtualenv, database, demo school) is set up here.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
HOST   ?= 127.0.0.1
PORT   ?= 5000
FACE_RECOGNITION := face_recognition==1.3.0
# Python dependencies are installed from lock files with hashes (pip --require-hashes), made by
# `make lock` (pip-tools' pip-compile) from setup.cfg: requirements/run.txt, test.txt (run + the
# test and postgres extras), build.txt (pip, setuptools, wheel) and nodeps.txt (face_recognition,
# installed without its dependencies, see DESIGN.md).
LOCK   := requirements
LOCKED := $(LOCK)/build.txt $(LOCK)/run.txt $(LOCK)/nodeps.txt
LOCK_VENV := .venv-lock
PIP_TOOLS := pip-tools==7.7.0
COMPILE = $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
          --no-emit-find-links --no-emit-index-url --no-emit-trusted-host

.PHONY: run test screenshots setup setup-test system-deps browser-deps clean bench lock

run: setup
	$(BIN)/secondlook init-db
	$(BIN)/secondlook demo-seed --base-url http://$(HOST):$(PORT)
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

$(VENV)/.installed: setup.cfg pyproject.toml $(LOCKED)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes -r $(LOCK)/build.txt
	$(PIP) install --require-hashes -r $(LOCK)/run.txt
	$(PIP) install --no-deps --require-hashes -r $(LOCK)/nodeps.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed $(LOCK)/test.txt package.json
	$(PIP) install --require-hashes -r $(LOCK)/test.txt
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

# Regenerate the lock files after changing a dependency in setup.cfg or pyproject.toml (commit them).
lock:
	@test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/python -m pip -q install $(PIP_TOOLS); }
	$(COMPILE) --output-file $(LOCK)/run.txt setup.cfg
	$(COMPILE) --extra test --extra postgres --constraint $(LOCK)/run.txt --output-file $(LOCK)/test.txt setup.cfg
	$(COMPILE) --output-file $(LOCK)/build.txt $(LOCK)/build.in
	$(LOCK_VENV)/bin/python scripts/lock_nodeps.py $(FACE_RECOGNITION) > $(LOCK)/nodeps.txt

bench: setup-test
	$(BIN)/python bench/check_text.py

clean:
	rm -rf $(VENV) $(LOCK_VENV) instance/*.sqlite* .pytest_cache
