"""MCAT: manifold-constrained adversarial training for long-tailed robustness."""
