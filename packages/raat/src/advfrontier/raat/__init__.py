"""Robust Alignment / DICAR: clean accuracy vs robustness in vision adversarial training."""
