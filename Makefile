# apertur-client — every target works on a fresh clone (Python >= 3.11 and Node 20 on PATH).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
NODE_BIN := $(CURDIR)/tools/node_modules/.bin
export PATH := $(BIN):$(PATH)
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true

.PHONY: install node chromium test test-fast wheel-smoke lint docs regenerate check-generated demo screenshots bench bench-store chaos crash mutate flake-guard contract clean

## install: create .venv and install the project editable with every extra (quick when done)
install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

## node: the pinned Node tools (Redocly, Spectral, Prism) in tools/node_modules
node: tools/node_modules/.installed
tools/node_modules/.installed: tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

## chromium: Debian's Chromium for the browser tests (apt-get; never a browser download)
CHROMIUM := /usr/bin/chromium
chromium: $(CHROMIUM)
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	@test -x $(CHROMIUM) || { echo "chromium was not installed at $(CHROMIUM)"; exit 1; }

## test: the whole suite (unit, end-to-end over loopback, browser, contract, the docs site's
##   strict build in tests/docs), then the wheel smoke tests
test: install node chromium
	$(BIN)/pytest -q
	$(MAKE) --no-print-directory wheel-smoke

## test-fast: the suite without the wheel build
test-fast: install
	$(BIN)/pytest -q -x

## wheel-smoke: build wheel + sdist; install the wheel with extras (import, call, run both
##   console scripts) and without extras (the scripts name the missing extra, exit 2)
wheel-smoke: install
	rm -rf dist build/smoke-venv build/bare-venv
	$(BIN)/python -m build -q --outdir dist . >/dev/null
	$(BIN)/python -m venv build/bare-venv
	build/bare-venv/bin/python -m pip install -q "$$(ls dist/*.whl)"
	cd build && $(BIN)/python $(CURDIR)/tests/smoke_bare_wheel.py bare-venv/bin
	$(BIN)/python -m venv build/smoke-venv
	build/smoke-venv/bin/python -m pip install -q "$$(ls dist/*.whl)[local,cli]"
	cd build && smoke-venv/bin/python $(CURDIR)/tests/smoke_wheel.py

## lint: ruff, mypy --strict on hand-written code, and the spec linters
lint: install node
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/openapi-spec-validator openapi.yaml
	$(NODE_BIN)/redocly lint openapi.yaml --config codegen/redocly.yaml
	$(NODE_BIN)/spectral lint openapi.yaml --ruleset codegen/spectral.yaml --fail-severity=warn

## docs: the documentation site in site/ (MkDocs Material + mkdocstrings; strict: a warning fails)
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

## regenerate: rebuild generated/apertur_api and docs/operations.md from openapi.yaml (never edit them by hand)
regenerate: install
	$(BIN)/openapi-python-client generate --path openapi.yaml --config codegen/config.yaml \
	  --custom-template-path codegen/templates --meta none \
	  --output-path generated/apertur_api --overwrite --fail-on-warning
	$(BIN)/python codegen/operations_doc.py

## check-generated: regenerate, then fail on any diff or untracked file under generated/ or in docs/operations.md
check-generated: regenerate
	@git diff --exit-code --stat -- generated/ docs/operations.md || { echo "generated/ or docs/operations.md drifted from openapi.yaml: run 'make regenerate' and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- generated/ docs/operations.md)" || { git status --porcelain -- generated/ docs/operations.md; echo "untracked generated files: run 'make regenerate' and commit"; exit 1; }

## demo: the main job against the local server, then the upload page's link and QR code
##   (DEMO_ARGS='--host 0.0.0.0' lets a phone on the same network open it)
demo: install
	$(BIN)/python -m apertur_cli.demo $(DEMO_ARGS)

## screenshots: refresh docs/screenshots (the upload page in Chromium, light and dark, phone size)
screenshots: install chromium
	$(BIN)/python tests/browser/screenshots.py

## bench: benchmarks against the official SDK and raw httpx (writes benchmarks/RESULTS.md), then bench-store
bench: install
	$(BIN)/python -m benchmarks.run
	$(MAKE) --no-print-directory bench-store

## bench-store: a local-server upload's cost with 100 vs 5,000 images stored (writes benchmarks/STORE_SCALING.md)
bench-store: install
	$(BIN)/python -m benchmarks.store_scaling

## chaos: the full fault-injection suite
chaos: install
	APERTUR_CHAOS=full $(BIN)/pytest -q -m chaos tests/chaos

## crash: kill -9 the local server 10 times during 500 uploads and acks each, then check the store
crash: install
	APERTUR_CRASH=full $(BIN)/pytest -q -s -m crash tests/reliability/test_crash.py

## mutate: mutation testing (mutmut) of the core modules, report in tests/mutation/REPORT.md (not in CI:
##   41 min on 2 cores shared with other work, 36 CPU min). MODULES="retry webhooks" runs only those
##   groups (see tests/mutation/mutation.py); RESUME=1 finishes an interrupted run; CHANGED=1 runs only
##   the groups whose modules or tests changed since their recorded results; MUTATE_JOBS=N sets the
##   workers (default 2, polling 4).
mutate: install
	$(BIN)/python tests/mutation/mutation.py $(MODULES) $(if $(RESUME),--resume) $(if $(CHANGED),--changed)

## flake-guard: the events, polling, `poll --follow` and `listen` tests 20 times in a row under two CPU burners
flake-guard: install
	$(BIN)/python tests/flake_guard.py $(FLAKE_GUARD_ARGS)

clean:
	rm -rf dist build site .mypy_cache .ruff_cache .pytest_cache demo-output mutants
