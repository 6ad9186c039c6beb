"""Several processes (``torchrun --nproc_per_node=N``): data-parallel training without a wrapper.

Each rank takes a strided shard of every batch; after backward the gradients are averaged over ranks with
all-reduce, so every rank takes the same optimiser step (the semantics of DDP, without its hooks, which do
not mix well with the repeated forwards of an attack). Rank 0 alone writes checkpoints and results.
"""

from __future__ import annotations

import os

import torch
import torch.distributed as dist
from torch import nn


def world() -> tuple[int, int]:
    """(rank, world size); (0, 1) when not distributed."""
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def init_from_env(device: str) -> tuple[int, int]:
    """Join the process group that torchrun describes in the environment (no-op for one process)."""
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1 or not dist.is_available():
        return 0, 1
    if not dist.is_initialized():
        backend = "nccl" if device.startswith("cuda") else "gloo"
        dist.init_process_group(backend)
        if device.startswith("cuda"):
            torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
    return world()


def is_main() -> bool:
    return world()[0] == 0


def average_gradients(model: nn.Module) -> None:
    """All-reduce and average every parameter's gradient over ranks."""
    size = world()[1]
    if size == 1:
        return
    for p in model.parameters():
        if p.grad is None:
            p.grad = torch.zeros_like(p)
        dist.all_reduce(p.grad, op=dist.ReduceOp.SUM)
        p.grad /= size
