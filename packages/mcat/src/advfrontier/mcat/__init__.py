"""MCAT: manifold-constrained adversarial training for long-tailed robustness.

Xian, Yang, Yu, "Manifold-Constrained Adversarial Training for Long-Tailed Robustness via Geometric
Alignment", arXiv 2605.02183 (code: github.com/yneversky/MCAT). Threat model L∞ on inputs in [0, 1].
"""
