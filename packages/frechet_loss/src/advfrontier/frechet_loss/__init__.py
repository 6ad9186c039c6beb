"""Representation Frechet loss: FD as a training loss for one-step generators."""
