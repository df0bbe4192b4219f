# skelnb: every target creates .venv when it is missing and installs into it.
# torch is pinned and installed first: an unpinned torch pulls gigabytes of CUDA wheels.
PYTHON ?= python3
VENV   ?= .venv
TORCH  ?= torch==2.13.0
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.skelnb-installed
POSE   := $(VENV)/.skelnb-pose-installed
export PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: install demo test lab bench docs clean-venv

$(STAMP): settings.ini setup.py skelnb/labextension/package.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q "$(TORCH)"
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/python tools/build_js.py --install
	@touch $(STAMP)

install: $(STAMP)

# the optional pose-tracking extra (movement, sleap-io: about 1.4 GB with their dependencies); the tests cover it
$(POSE): $(STAMP)
	$(BIN)/pip install -q -e '.[dev,pose]'
	@touch $(POSE)

demo: $(STAMP)   ## pre-train + fine-tune on the embedded synthetic data, write demo_out/report.html
	$(BIN)/skelnb_demo --out demo_out

test: $(POSE)   ## library in sync with nbs/, README in sync, nbdev_test, other tests; ends with "N passed, N failed"
	$(BIN)/python tools/run_tests.py

bench: $(STAMP)
	$(BIN)/skelnb_bench --quick

docs: $(STAMP)
	$(BIN)/python tools/make_docs.py

lab: $(STAMP)    ## JupyterLab on 127.0.0.1 with skelnb installed in development mode
	$(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --port=8888 --notebook-dir=nbs $(if $(filter 0,$(shell id -u)),--allow-root,)

clean-venv:
	rm -rf $(VENV)
