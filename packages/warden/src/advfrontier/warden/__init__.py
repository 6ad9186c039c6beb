"""WARDEN: f-divergence DRO reweighting of adversarial examples for LLM adversarial training."""
