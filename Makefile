# LeNet Digits: `make run` starts the app, `make test` runs the whole suite headless.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Which torch the first `make run` / `make test` installs (packaging/torch_build.py): auto = the
# CPU build from TORCH_CPU_INDEX on Linux without an NVIDIA GPU (the default build, with one line
# saying why, when that index does not answer); cpu = that build or an error; default = PyPI's.
TORCH_BUILD ?= auto
TORCH_CPU_INDEX ?= https://download.pytorch.org/whl/cpu

.PHONY: run test soak bench bench-quick bench-gpu clean translations

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade "pip>=24"

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) packaging/torch_build.py install --build '$(TORCH_BUILD)' --index-url '$(TORCH_CPU_INDEX)'
	$(PY) -m pip install -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(PY) -m lenet_app

test: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

# The monkey test for 20 minutes (SOAK_SECONDS) with its report: actions per kind, message
# boxes, exceptions, jobs and threads left, resident memory at the start, after warm-up and at
# the end. LENET_APP_MONKEY_SEED=N picks another random sequence.
SOAK_SECONDS ?= 1200
soak: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen LENET_APP_MONKEY_SECONDS=$(SOAK_SECONDS) \
	    LENET_APP_TEST_WATCHDOG_S=$$(( $(SOAK_SECONDS) + 300 )) \
	    $(PY) -m pytest -q -s -p no:cacheprovider --timeout=$$(( $(SOAK_SECONDS) + 360 )) \
	    tests/reliability/test_monkey.py

# Benchmarks (not timed tests): every published figure into benchmarks/RESULTS.md.
bench: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.run

bench-quick: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.run --quick --out benchmarks/RESULTS-quick.md

# On a CUDA machine: the time to 99% on the GPU (benchmarks/RESULTS-gpu.md) and the tests marked
# cuda, in 5 minutes at most; elsewhere it says there is nothing to measure (exit 2). Where
# nothing can be installed but a python3 already holds a CUDA torch, name it: PY=python3 skips
# the venv; CUDA_TESTS="tests/test_mnist.py tests/test_training.py" leaves out the GUI's tests
# (they need PySide6). benchmarks/gpu.py's docstring has the lent GPU machine's command.
CUDA_TESTS ?=
bench-gpu: $(if $(filter command line,$(origin PY)),,$(VENV)/.installed)
	timeout 300 sh -c '$(PY) -m benchmarks.gpu; bench=$$?; \
	    QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -m cuda $(CUDA_TESTS) && exit $$bench'

# The GUI's translations (resources/i18n): pyside6-lupdate collects every tr() text into the .ts
# (translations kept), pyside6-lrelease compiles the .qm the app loads; both are committed.
translations: $(VENV)/.installed
	$(PY) packaging/i18n.py update
	$(PY) packaging/i18n.py release

clean:
	rm -rf build dist *.egg-info .pytest_cache

# --- Packaging: frozen app, desktop integration (README "Install" and "Packaging") ---------
# make dist                 PyInstaller one-folder app in dist/lenet-app/ + its archive
# make dist CPU_ONLY=1      the same with a CPU-only torch (built in .venv-cpu), no CUDA: ~1/5 the size
# make dist-check           build, then smoke-test the bundle's executables (CPU_ONLY=1 works too)
# make install-desktop      add the app (the bundle if built, else .venv's) to the desktop menu
# make uninstall-desktop    take it out again
CPU_ONLY ?= 0
TORCH_CPU ?= torch
VENV_CPU ?= .venv-cpu
ifeq ($(CPU_ONLY),1)
DIST_VENV := $(VENV_CPU)
DIST_SUFFIX := --suffix cpu
else
DIST_VENV := $(VENV)
DIST_SUFFIX :=
endif
PYINSTALLER_FLAGS ?= --noconfirm --clean --log-level WARN

.PHONY: dist dist-cpu dist-build dist-check install-desktop uninstall-desktop

$(VENV)/.dist-installed: $(VENV)/.installed
	$(PY) -m pip install "pyinstaller>=6"   # the `dist` extra
	touch $@

# A CPU build of torch: pip's highest version from TORCH_CPU_INDEX (PyTorch's CPU wheels, a
# local version +cpu, which beats PyPI's CUDA build of the same release) or as TORCH_CPU pins.
$(VENV_CPU)/.dist-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV_CPU)
	$(VENV_CPU)/bin/python -m pip install --upgrade "pip>=24"
	$(VENV_CPU)/bin/python -m pip install $(if $(TORCH_CPU_INDEX),--extra-index-url $(TORCH_CPU_INDEX)) "$(TORCH_CPU)"
	@$(VENV_CPU)/bin/python -c "import sys, torch; sys.exit(torch.version.cuda and \
	    f'pip installed torch {torch.__version__}, a CUDA build: is $(TORCH_CPU_INDEX) reachable? '\
	    'Pin a CPU build with TORCH_CPU=torch==X.Y.Z+cpu (or a wheel file), then: rm -rf $(VENV_CPU)')"
	$(VENV_CPU)/bin/python -m pip install "pyinstaller>=6" \
	    $$($(VENV_CPU)/bin/python packaging/bundle.py deps --without torch torchvision)
	touch $@

dist-build: $(DIST_VENV)/.dist-installed
	LENET_APP_CPU_ONLY=$(CPU_ONLY) $(DIST_VENV)/bin/python -m PyInstaller $(PYINSTALLER_FLAGS) \
	    --distpath dist --workpath build/pyinstaller packaging/lenet-app.spec
	$(DIST_VENV)/bin/python packaging/bundle.py size

dist: dist-build
	$(DIST_VENV)/bin/python packaging/bundle.py archive $(DIST_SUFFIX)

dist-cpu:
	$(MAKE) dist CPU_ONLY=1

dist-check: dist-build
	$(DIST_VENV)/bin/python packaging/bundle.py check

install-desktop:
	@if [ -x dist/lenet-app/lenet-app ]; then exe=dist/lenet-app/lenet-app; \
	else $(MAKE) -s --no-print-directory $(VENV)/.installed && exe=$(VENV)/bin/lenet-app; fi; \
	packaging/linux/install-desktop.sh install --exec "$$exe"

uninstall-desktop:
	packaging/linux/install-desktop.sh uninstall
