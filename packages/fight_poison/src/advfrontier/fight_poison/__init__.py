"""Fight Poison with Poison: few-shot machine-generated-text detection with adversarial training."""
