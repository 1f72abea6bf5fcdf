# LeNet Digits: `make run` starts the app, `make test` runs the whole suite headless.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test bench bench-quick clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade "pip>=24"

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(PY) -m lenet_app

test: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

clean:
	rm -rf build dist *.egg-info .pytest_cache
