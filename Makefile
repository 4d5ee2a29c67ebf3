# collab_sim — the two quick-start commands and their helpers.
# `make run` and `make test` create .venv (Python >= 3.12, chosen by .python-version
# through pyenv when present) and install the project into it when missing or stale.

PYTHON ?= $(shell command -v pyenv >/dev/null 2>&1 && pyenv which python 2>/dev/null || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint install clean calibrate effects bench bench-compare policy-report app

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), f"Python >= 3.12 needed, found {sys.version.split()[0]}"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/collab-sim $(ARGS)

# The full suite (what .ci/run calls), and the inner loop: test-fast leaves out the
# browser, launcher, guide and slow tests (markers in pyproject.toml). Both list the 15
# slowest tests.
FAST := not browser and not launcher and not guide and not slow

test: $(STAMP)
	$(BIN)/python -m pytest --durations=15 $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest --durations=15 -m "$(FAST)" $(PYTEST_ARGS)

calibrate: $(STAMP)
	$(BIN)/collab-sim-calibrate $(ARGS)

# What each bottleneck and remedy does to approvals, months to approval and patient
# reach: 100 paired replicates per lever (about a minute on 2 cores); writes
# results/effects.csv and the table in docs/ODD.md section 1.6.
effects: $(STAMP)
	$(BIN)/collab-sim-effects $(ARGS)

# The performance budget: prints each budget line and whether it holds; writes
# bench.json (compare two with `make bench-compare OLD=a.json NEW=b.json`).
bench: $(STAMP)
	$(BIN)/collab-sim-bench --json bench.json $(ARGS)

bench-compare: $(STAMP)
	$(BIN)/collab-sim-bench-compare $(OLD) $(NEW)

# The canonical scenario comparison the README shows: a fresh policy_comparison sweep
# (every scenario, 30 replicates) and its report, copied into results/policy_comparison.
POLICY_SWEEP := multirun/policy_comparison
policy-report: $(STAMP)
	rm -rf $(POLICY_SWEEP)
	$(BIN)/collab-sim -m experiment=policy_comparison hydra.sweep.dir=$(POLICY_SWEEP) $(ARGS)
	$(BIN)/collab-sim-report $(POLICY_SWEEP) --out results/policy_comparison

# The educator app (Mesa SolaraViz) at http://127.0.0.1:8765, on this machine only (its
# own Host and Origin only, at most APP_SESSIONS browser tabs at once); another port:
# make app APP_PORT=8800. Closed tabs are dropped after a minute and their memory freed.
app: $(STAMP)
	SOLARA_TELEMETRY_MIXPANEL_ENABLE=False SOLARA_KERNEL_CULL_TIMEOUT=60s \
	$(BIN)/python -m collab_sim.app.server --host 127.0.0.1 --port $(or $(APP_PORT),8765) \
		--max-sessions $(or $(APP_SESSIONS),10)

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache .ruff_cache
