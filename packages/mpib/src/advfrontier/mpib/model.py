"""The trait-state model: encoder, trait head, state head, agitation regressor, speaker classifier, decoder.

One class covers MP-IB and the baselines, which differ only in the heads' precision (FP16/INT4 vs FP32), a
gradient-reversal speaker adversary on the state code (grl) and Gaussian codes with a KL term (beta_vae).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from advfrontier.mpib.encoder import Encoder
from advfrontier.mpib.heads import QuantStateHead, TraitHead


class _GradReverse(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: torch.Tensor, lam: float) -> torch.Tensor:
        ctx.lam = lam
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> tuple[torch.Tensor, None]:
        return -ctx.lam * grad, None


def grad_reverse(x: torch.Tensor, lam: float) -> torch.Tensor:
    """Identity forward, gradient multiplied by −λ backward (Ganin & Lempitsky, 2015)."""
    return _GradReverse.apply(x, lam)


@dataclass(frozen=True)
class Variant:
    """What distinguishes a method: precision of each head, adversary, VAE codes."""

    trait_fp16: bool
    state_bits: int | None
    adversary: bool = False
    vae: bool = False
    quant_weights: bool = True
    """Quantise the state head's weights too (else only its code)."""


VARIANTS: dict[str, Variant] = {
    "mpib": Variant(trait_fp16=True, state_bits=4),
    "mpib_code_only": Variant(trait_fp16=True, state_bits=4, quant_weights=False),
    "fp32": Variant(trait_fp16=False, state_bits=None),
    "grl": Variant(trait_fp16=False, state_bits=None, adversary=True),
    "beta_vae": Variant(trait_fp16=False, state_bits=None, vae=True),
}


class TraitStateModel(nn.Module):
    def __init__(
        self,
        n_features: int,
        n_speakers: int,
        variant: Variant,
        hidden: int,
        windows: tuple[int, ...],
        trait_dim: int,
        state_dim: int,
        adv_lambda: float = 1.0,
        quantiser: str = "maxabs",
    ) -> None:
        super().__init__()
        self.variant = variant
        mult = 2 if variant.vae else 1
        self.encoder = Encoder(n_features, hidden, windows)
        self.trait = TraitHead(hidden, trait_dim, variant.trait_fp16, mult)
        self.state = QuantStateHead(
            hidden, state_dim, variant.state_bits, mult, variant.quant_weights, quantiser
        )
        self.regressor = nn.Linear(state_dim, 1)
        self.speaker = nn.Linear(trait_dim, n_speakers)
        self.decoder = nn.Sequential(
            nn.Linear(trait_dim + state_dim, hidden), nn.GELU(), nn.Linear(hidden, 2 * n_features)
        )
        self.adversary = (
            nn.Sequential(nn.Linear(state_dim, hidden), nn.GELU(), nn.Linear(hidden, n_speakers))
            if variant.adversary
            else None
        )
        self.adv_lambda = adv_lambda
        self.trait_dim, self.state_dim = trait_dim, state_dim

    def set_state_bits(self, bits: int) -> None:
        """Dynamic precision scheduling: change the state head's width (MP-IB only)."""
        if self.variant.state_bits is not None:
            self.state.bits = bits

    def codes(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Deterministic codes (z_T, z_S) of a batch: what is probed for leakage (μ for the VAE)."""
        e = self.encoder(x)
        zt, zs = self.trait(e), self.state(e)
        if self.variant.vae:
            zt, zs = zt[:, : self.trait_dim], zs[:, : self.state_dim]
        return zt, zs

    def predict(self, x: torch.Tensor) -> torch.Tensor:
        """Agitation score of each clip (the on-device path: encoder → state head → regressor)."""
        return self.regressor(self.codes(x)[1]).squeeze(-1)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        e = self.encoder(x)
        zt, zs = self.trait(e), self.state(e)
        out: dict[str, torch.Tensor] = {}
        if self.variant.vae:
            mu_t, lv_t = zt.chunk(2, dim=1)
            mu_s, lv_s = zs.chunk(2, dim=1)
            out["mu"] = torch.cat([mu_t, mu_s], dim=1)
            out["logvar"] = torch.cat([lv_t, lv_s], dim=1)
            if self.training:
                zt = mu_t + torch.randn_like(mu_t) * (0.5 * lv_t).exp()
                zs = mu_s + torch.randn_like(mu_s) * (0.5 * lv_s).exp()
            else:
                zt, zs = mu_t, mu_s
        out["z_trait"], out["z_state"] = zt, zs
        out["agitation"] = self.regressor(zs).squeeze(-1)
        out["speaker_logits"] = self.speaker(zt)
        out["recon"] = self.decoder(torch.cat([zt, zs], dim=1))
        if self.adversary is not None:
            out["adv_logits"] = self.adversary(grad_reverse(zs, self.adv_lambda))
        return out
