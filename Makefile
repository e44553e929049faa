# Two commands for a fresh Debian 12 machine: `make run` (main job) and `make test` (test suite).
# Both do all set-up themselves: Debian's Meep (python3-meep-openmpi), a --system-site-packages
# virtual environment with numpy<2 (Debian's Meep is built against numpy 1.x), and this project.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES := python3-meep-openmpi python3-mpi4py python3-venv openmpi-bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export OMP_NUM_THREADS ?= 1

.PHONY: setup system-deps run demo test test-slow test-cluster test-all benchmark bench-screens clean

system-deps:
	@if ! /usr/bin/python3 -c "import meep, mpi4py; meep.Simulation" >/dev/null 2>&1; then \
	  echo ">> installing Debian's Meep ($(APT_PACKAGES))"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi

$(STAMP): pyproject.toml | system-deps
	@if [ ! -x $(PY) ]; then /usr/bin/python3 -m venv --system-site-packages $(VENV); fi
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "numpy<2" -e ".[test]"
	$(PY) -c "import sims; sims.require_meep(); print('Meep', sims.meep_version(), 'OK')"
	@touch $(STAMP)

setup: system-deps $(STAMP)

# The main job: optimise a bullseye for a room-temperature CsPbBr3 nanocrystal (cylindrical
# screens with error bars, on a 5 nm fabrication grid around the preset) with one worker per
# core sharing a journal-file study (feasible: the exciton line inside the half-maximum band
# of the LDOS peak, --on-resonance half-max; each trial's lengths scaled onto the line, the
# default --tune auto), promote the best design to the full fidelity
# (its large grids on 2 MPI ranks), then write the report (with the published anchors).
# Re-running continues the same study (nothing is recomputed).
MAIN_TRIALS ?= 10
MAIN_WORKERS ?= 2
MAIN_PROMOTE ?= 1
MAIN_OUT := runs/main
MAIN_STUDY := bullseye-cspbbr3-halfmax
MAIN_STORAGE := $(MAIN_OUT)/study.journal
run: setup
	$(PY) -m optimize optimize bullseye_sin_520 --emitter CsPbBr3 --edge-nm 10 \
	  --temperature-k 295 --params disk_radius_um,period_um,trench_width_um \
	  --bound 'disk_radius_um=[0.22,0.30]' --bound 'period_um=[0.27,0.34]' \
	  --bound 'trench_width_um=[0.08,0.14]' --grid-step-nm 5 --objective brightness \
	  --on-resonance half-max --n-trials 0 --study $(MAIN_STUDY) --storage $(MAIN_STORAGE) \
	  --out $(MAIN_OUT) --resume --quiet >/dev/null
	@echo ">> $(MAIN_WORKERS) workers, $(MAIN_TRIALS) trials (extra workers log to $(MAIN_OUT)/worker-N.log)"
	set -e; trap 'kill $$(jobs -p) 2>/dev/null || true' EXIT; pids=; \
	for i in $$(seq 2 $(MAIN_WORKERS)); do \
	  $(PY) -m optimize worker --study $(MAIN_STUDY) --storage $(MAIN_STORAGE) \
	    --n-trials $(MAIN_TRIALS) --out $(MAIN_OUT) --worker-index $$i --quiet \
	    >$(MAIN_OUT)/worker-$$i.log 2>&1 & pids="$$pids $$!"; \
	done; \
	$(PY) -m optimize worker --study $(MAIN_STUDY) --storage $(MAIN_STORAGE) \
	  --n-trials $(MAIN_TRIALS) --out $(MAIN_OUT) --worker-index 1; \
	for p in $$pids; do wait $$p; done
	$(PY) -m optimize promote --study $(MAIN_STUDY) --storage $(MAIN_STORAGE) \
	  --out $(MAIN_OUT) --promote $(MAIN_PROMOTE) --promote-ranks 2

demo: setup
	$(PY) -m sims demo --out runs/demo

test: setup
	$(PY) -m pytest

test-slow: setup
	$(PY) -m pytest -m slow

# Real cluster components: a local PostgreSQL server (Debian's postgresql, fresh password), the
# journal file storage, worker processes of the real CLI on coarse Meep trials, SIGKILL tests,
# and a single-node Slurm (Debian's slurm-wlm, daemons in /tmp/pnc-slurm-test) running the job
# script of `pnc-optimize slurm` with a fake worker.
test-cluster: setup
	$(PY) -m pip install -q -e ".[test,postgres]"
	eval "$$(bash tests/cluster_tests/start_postgres.sh)" && \
	  eval "$$(bash tests/cluster_tests/start_slurm.sh)" && \
	  $(PY) -m pytest -m cluster -s -p no:cacheprovider tests/cluster_tests

test-all: setup
	$(PY) -m pytest -m "slow or not slow"

benchmark: setup
	$(PY) benchmarks/bench_core.py

# Screen fidelity: accuracy against converged grids, the resonance pick under perturbations,
# wall time against the commit before this work (side by side), equal-accuracy speed-up against
# the baseline's grid series (reuses its stored runs if present; ~40 min without), MPI ranks.
bench-screens: setup
	$(PY) benchmarks/screen_accuracy.py
	$(PY) benchmarks/pick_stability.py
	$(PY) benchmarks/screen_speed.py
	$(PY) benchmarks/screen_equal_accuracy.py --reuse-baseline
	$(PY) benchmarks/screen_overhead.py
	$(PY) benchmarks/mpi_scaling.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
