"""Recovering the hidden reward in diffusion-based policies."""
