"""LocalAlign: prompt-injection defence with near-target adversarial examples."""
