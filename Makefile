# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := facilitator/server/static/vendor/socket.io.min.js
PYTEST_ARGS ?=

.PHONY: install demo test test-fast lint check pytest browser postgres nginx bench bench-full soak lock clean

install: $(STAMP) $(VENDOR)

# The Python packages come at the versions in constraints.txt: a fresh clone gets what the tests
# last passed with. `make lock` moves them forward (README.md, "Dependencies").
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,bench]'
	touch $@

# The newest versions pyproject.toml's ranges allow, resolved in a scratch venv and written to
# constraints.txt; then `make clean test` to see whether the tests still pass with them.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e '.[test,bench]'
	{ echo "# The versions the tests last passed with: \`make install\` installs with \`pip -c constraints.txt\`."; \
	  echo "# Regenerate with \`make lock\` (see README.md, \"Dependencies\"); never edit by hand."; \
	  echo "# Python $$(.lock-venv/bin/python -c 'import sys; print(*sys.version_info[:2], sep=".")')."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e'; } > constraints.txt
	rm -rf .lock-venv

# The phone page's socket.io client comes from npm (pinned in package-lock.json), never a CDN.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR): node_modules/.installed
	mkdir -p $(dir $@)
	cp node_modules/socket.io-client/dist/socket.io.min.js $@

# Browser tests drive Debian's Chromium; a CJK font makes Chinese screenshots readable.
browser:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi 'wenquanyi\|wqy'; then \
		echo "installing chromium and fonts-wqy-microhei"; \
		$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) \
			apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	fi

# The store's tests run against a real PostgreSQL too: Debian's server binaries, which the tests
# start as a throwaway cluster in a temp dir (tests/pg_kit.py); no service is installed or started.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "installing postgresql"; \
		$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) \
			apt-get install -y -qq --no-install-recommends postgresql >/dev/null; \
	fi

# docs/scale.md's reverse-proxy setup is tested through a real nginx (tests/e2e/test_nginx.py),
# started by the test in a temp dir; the package's own service is not used.
nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
		echo "installing nginx-light"; \
		$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) \
			apt-get install -y -qq --no-install-recommends nginx-light >/dev/null; \
	fi

demo: install
	$(BIN)/facilitator demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

pytest: install browser postgres nginx
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint pytest

# The inner loop: everything but the slow, end-to-end and browser tests (markers in pyproject.toml).
test-fast: install postgres
	$(BIN)/pytest -q -m "not slow and not e2e and not browser" $(PYTEST_ARGS)

# Load runs: facilitator beside the Node socket.io peer (bench/load/peer.js), run back to back;
# bench/README.md explains the tables. bench-full: medians of 3 runs, about 20 minutes.
bench: install
	$(BIN)/python bench/engine.py --quick
	$(BIN)/python bench/load/driver.py --n 100 1000 --modes uniform --servers facilitator peer

bench-full: install
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/load/driver.py --n 1000 3000 5000 --modes uniform \
		--servers facilitator console peer --repeat 3 --json bench/load/results.json

# The full-size crash test (docs/reliability.md): 500 phones, 8 SIGKILLs mid-vote; `make test`
# runs the same test with 150 phones and 3 kills. The figures land in artifacts/reliability/.
soak: install
	FACILITATOR_SOAK_PHONES=500 FACILITATOR_SOAK_KILLS=8 FACILITATOR_FUZZ_EXAMPLES=5000 \
		$(BIN)/pytest -p no:cacheprovider tests/reliability/test_crash_recovery.py \
		tests/reliability/test_fuzz.py tests/reliability/test_fuzz_wire.py $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .lock-venv node_modules .mypy_cache .ruff_cache .pytest_cache
