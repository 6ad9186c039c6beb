"""EnergyFlow: recovering the hidden reward in diffusion-based policies.

Ji et al., "Recovering Hidden Reward in Diffusion-Based Policies", ICML 2026 (arXiv 2605.00623).
A diffusion policy whose score is the action-gradient of a scalar energy, S = −∇_a E(a, s, t); under a
max-entropy expert π_E ∝ exp(Q*/α) the energy at small noise is −Q*/α + c(s), so its centred negative is
a reward (the soft advantage up to a state offset) that needs no adversarial training.
"""
