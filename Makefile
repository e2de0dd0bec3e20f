# Set-up is part of every target, and every step is idempotent.
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app workflow
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run worker test bench lint setup assets db demo

run: setup db demo
	$(FLASK) run --host 127.0.0.1 --port 5000

# A background worker: needs JOB_BROKER_URL (for example redis://127.0.0.1:6379/0), and the
# same DATABASE_URL and storage settings as the web app. Without a broker, `make run` runs
# the same jobs in its own process and no worker is needed.
worker: setup db
	$(PY) -m dramatiq workflow.jobs.worker --processes $${WORKER_PROCESSES:-1} --threads $${WORKER_THREADS:-2}

test: setup
	bash .ci/services
	$(PY) -m pytest $(PYTEST_ARGS)

# Seeds PostgreSQL at 1,000, 10,000 and 100,000 actions, serves the app with gunicorn on
# loopback, measures the key pages, renders documents and runs the load test (about 10
# minutes). Prints one table, writes bench/results.json, fails if a budget is missed.
bench: setup $(VENV)/.bench-installed
	bash .ci/services
	$(PY) bench/run.py $(BENCH_ARGS)

$(VENV)/.bench-installed: requirements-bench.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $@

lint: setup
	$(VENV)/bin/ruff check .

setup: $(VENV)/.installed assets

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

assets: workflow/static/dist/app.css

workflow/static/dist/app.css: package.json package-lock.json $(wildcard workflow/assets/*)
	npm ci --no-audit --no-fund --loglevel=error
	npm run build --silent
	touch $@

db: setup
	mkdir -p instance
	$(FLASK) db upgrade

demo: db
	@echo "Demo sign-ins (role, email, password):"
	@$(FLASK) demo
