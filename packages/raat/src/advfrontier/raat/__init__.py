"""RAAT: Robust Alignment Adversarial Training with DICAR (and RAAT++ on MART).

Yanyun Wang et al., "Robust Alignment: Harmonizing Clean Accuracy and Adversarial Robustness in
Adversarial Training", arXiv 2604.26496 (CVPR 2026 Findings); released code: github.com/FlaAI/RAAT.
Threat model: L∞ ball of radius ε around inputs in [0, 1] (normalisation is a layer of the model).
"""
