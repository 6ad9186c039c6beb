"""One distributed engine for every training loop: Lightning Fabric.

A process calls :func:`configure` once (the runner does, from ``--device`` and ``--precision``); loops
then call :func:`fabric` for the shared instance. One process: a single-device Fabric (CPU or one GPU),
numerically the plain loop. Under ``torchrun`` (or ``fabric run``), the environment names the world and
the strategy is DDP: gradients are averaged by DDP's own hooks, and rank 0 writes checkpoints/results.

Adversarial inner loops must not go through DDP (its hooks expect one backward per forward):
:func:`outer_only` hands the objective a module whose attack forwards (input requiring grad, or grad
disabled) run on the bare module, and whose outer-loss forwards run through the DDP wrapper.
"""

from __future__ import annotations

import os
from typing import Any

import torch
from torch import Tensor, nn

PRECISIONS = ("32-true", "bf16-mixed", "16-mixed")
_FABRIC: Any = None
_MAX_STEPS: int | None = None


def set_max_steps(steps: int | None) -> None:
    """Truncate every training loop to ``steps`` optimiser steps (``--max-steps``; None: no limit)."""
    global _MAX_STEPS
    if steps is not None and steps < 1:
        raise ValueError(f"--max-steps must be ≥ 1, got {steps}")
    _MAX_STEPS = steps


def max_steps() -> int | None:
    """The step budget loops must honour (None: the config's own length)."""
    return _MAX_STEPS


def budget_reached(steps_done: int) -> bool:
    """True when a ``--max-steps`` budget is set and a loop has done ``steps_done`` ≥ it steps."""
    return _MAX_STEPS is not None and steps_done >= _MAX_STEPS


def capped(steps: int) -> int:
    """``steps`` cut to the ``--max-steps`` budget, for loops written as ``range(steps)``."""
    return steps if _MAX_STEPS is None else min(steps, _MAX_STEPS)


def ensure(device: str = "cpu", precision: str = "32-true") -> Any:
    """The process's Fabric, configured now if this (e.g. spawned) process has none yet."""
    return _FABRIC if _FABRIC is not None else configure(device, precision)


def _distributed_env() -> tuple[int, int]:
    """(world size, local world size) that torchrun / fabric run describe; (1, 1) otherwise."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    return world, int(os.environ.get("LOCAL_WORLD_SIZE", str(world)))


def configure(device: str = "cpu", precision: str = "32-true") -> Any:
    """Create (once per process) and launch the shared Fabric for ``device`` and ``precision``."""
    global _FABRIC
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    from lightning.fabric import Fabric

    world, local = _distributed_env()
    accelerator = "cuda" if device.startswith("cuda") else "cpu"
    if world > 1:
        fab = Fabric(
            accelerator=accelerator,
            devices=local,
            num_nodes=max(1, world // local),
            strategy="ddp",
            precision=precision,  # type: ignore[arg-type]
        )
        fab.launch()  # joins the process group torchrun set up; spawns nothing
    else:
        index = device.split(":")[1] if ":" in device else None
        devices = [int(index)] if index is not None else 1
        fab = Fabric(accelerator=accelerator, devices=devices, precision=precision)  # type: ignore[arg-type]
    _FABRIC = fab
    return fab


def use(fab: Any) -> None:
    """Adopt an already launched Fabric (e.g. one that ``fabric.launch(fn)`` handed to ``fn``)."""
    global _FABRIC
    _FABRIC = fab


def fabric() -> Any:
    """The process's Fabric (a single-device CPU one if nothing was configured)."""
    if _FABRIC is None:
        configure("cpu")
    return _FABRIC


def world() -> tuple[int, int]:
    """(rank, world size); (0, 1) when not distributed."""
    if _FABRIC is None:
        return 0, 1
    return _FABRIC.global_rank, _FABRIC.world_size


def is_main() -> bool:
    return world()[0] == 0


class OuterOnly(nn.Module):
    """Routes forwards: attack steps on the bare module, the outer loss through the DDP wrapper."""

    def __init__(self, bare: nn.Module, wrapped: nn.Module) -> None:
        super().__init__()
        self.bare = bare
        self.wrapped = wrapped

    def forward(self, x: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if not torch.is_grad_enabled() or x.requires_grad:
            return self.bare(x, *args, **kwargs)
        return self.wrapped(x, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self.bare, name)


def outer_only(bare: nn.Module, wrapped: nn.Module) -> nn.Module:
    """The module to hand an objective.

    Always the router, also in one process: Fabric's wrapper refuses a backward that is not
    ``fabric.backward`` under mixed precision, and an attack's ``torch.autograd.grad`` is one.
    """
    return OuterOnly(bare, wrapped)
