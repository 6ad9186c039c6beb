"""The two augmented views of RAAT: random crop with zero padding (a random shift) and horizontal flip.

CIFAR/Tiny-ImageNet: pad 4 + flip (torchvision RandomCrop(32, padding=4) + RandomHorizontalFlip, as the
released code). Digits 8×8: pad 1, no flip (a digit mirrored is another glyph), i.e. a random shift of
at most one pixel in each direction with zeros shifted in.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor


@dataclass(frozen=True)
class Augment:
    """Random crop after zero padding, then an optional random horizontal flip; per example."""

    pad: int = 4
    """Zero padding before the random crop back to the input size (max shift in pixels)."""
    flip: bool = True
    """Flip each image horizontally with probability 1/2."""

    def __post_init__(self) -> None:
        if self.pad < 0:
            raise ValueError(f"pad must be >= 0, got {self.pad}")

    def __call__(self, x: Tensor, generator: torch.Generator | None = None) -> Tensor:
        """A random view of the batch ``x`` (N, C, H, W); draws from ``generator`` or torch's global RNG."""
        n, _, h, w = x.shape
        out = x
        if self.pad > 0:
            p = self.pad
            padded = torch.nn.functional.pad(x, (p, p, p, p))
            dy = torch.randint(0, 2 * p + 1, (n,), generator=generator).to(x.device)
            dx = torch.randint(0, 2 * p + 1, (n,), generator=generator).to(x.device)
            rows = (dy[:, None] + torch.arange(h, device=x.device))[:, :, None]  # (N, H, 1)
            cols = (dx[:, None] + torch.arange(w, device=x.device))[:, None, :]  # (N, 1, W)
            idx = torch.arange(n, device=x.device)[:, None, None]
            out = padded.permute(0, 2, 3, 1)[idx, rows, cols].permute(0, 3, 1, 2)
        if self.flip:
            mask = (torch.rand(n, generator=generator) < 0.5).to(x.device)
            out = torch.where(mask[:, None, None, None], out.flip(-1), out)
        return out.contiguous()
