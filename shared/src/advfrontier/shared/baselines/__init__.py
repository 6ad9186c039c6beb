"""The shared baselines as a paper of their own: standard training, PGD-AT and TRADES."""
