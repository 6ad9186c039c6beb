# A thin layer over the `advfrontier` CLI. Every target syncs the locked environment first.
SLUGS := warden raat uatmc vacai localalign mcat fight_poison mpib qae mfg diffusion_reward frechet_loss
# uv from PATH, else a private copy in .tools/bin (installed by scripts/bootstrap_uv.py with the Python
# standard library alone: works where pip is refused by PEP 668 or missing, and needs no root).
UV ?= $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --frozen
SCALE ?= mini
PYTEST_ARGS ?=
JOBS ?= 2

.PHONY: setup test unit lint tables diff-results bench reproduce-all reproduce-baselines $(addprefix reproduce-,$(SLUGS))

setup:
	@[ -x "$(UV)" ] || command -v "$(UV)" >/dev/null || python3 scripts/bootstrap_uv.py $(CURDIR)/.tools/bin
	$(UV) sync --frozen

test: setup unit diff-results

unit: setup
	$(RUN) pytest -n $(JOBS) $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]  # 5: no tests collected

lint: setup
	$(RUN) ruff check .
	$(RUN) ruff format --check .

reproduce-baselines: setup
	$(RUN) advfrontier reproduce baselines --scale $(SCALE)

$(addprefix reproduce-,$(SLUGS)): reproduce-%: setup
	@test -f packages/$*/src/advfrontier/$*/paper.py || { echo "paper '$*' has no package yet (packages/$*)"; exit 1; }
	$(RUN) advfrontier reproduce $* --scale $(SCALE)

reproduce-all: setup
	$(RUN) advfrontier reproduce baselines --scale $(SCALE)
	@for s in $(SLUGS); do \
	  if [ -f packages/$$s/src/advfrontier/$$s/paper.py ]; then $(RUN) advfrontier reproduce $$s --scale $(SCALE) || exit 1; \
	  else echo "skipping $$s: no package yet"; fi; done

tables: setup
	$(RUN) advfrontier tables

diff-results: setup
	$(RUN) advfrontier check --scale smoke

# make bench (CPU: batch 32, 2 timed steps) or make bench DEVICE=cuda (batch 128, 20 timed steps)
DEVICE ?= cpu
BENCH_ARGS ?= $(if $(filter cpu,$(DEVICE)),--batch 32 --steps 2,--batch 128 --steps 20 --jobs 4)
bench: setup
	$(RUN) python benchmarks/bench_pgd.py
	$(RUN) python benchmarks/bench_at.py --device $(DEVICE) $(BENCH_ARGS)
