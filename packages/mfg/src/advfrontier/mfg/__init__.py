"""Deep policy iteration for high-dimensional mean-field games with adversarial test functions."""
