"""Training losses. The paper's equations were not retrievable: the numbers below refer to the objective
L = L_agit + λ_T·L_spk + λ_r·L_rec (+ λ_adv·L_adv for grl, + β·L_KL for beta_vae) stated in
../shared/papers/mpib.md ("An implementable version", inferred), numbered (1)–(5) in the package README.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def agitation_loss(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    # Eq. (1): L_agit = mean (g(z_S) − y)²
    return F.mse_loss(pred, target)


def speaker_loss(logits: torch.Tensor, speaker: torch.Tensor) -> torch.Tensor:
    # Eq. (2): L_spk = CE(softmax(W z_T), speaker)
    return F.cross_entropy(logits, speaker)


def recon_target(x_std: torch.Tensor) -> torch.Tensor:
    """Per-clip mean and std over frames of the standardised features, (B, 2F): what the decoder rebuilds."""
    return torch.cat([x_std.mean(1), x_std.std(1, unbiased=False)], dim=1)


def reconstruction_loss(recon: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    # Eq. (3): L_rec = mean ‖dec(z_T, z_S) − stats(x)‖²
    return F.mse_loss(recon, target)


def adversary_loss(adv_logits: torch.Tensor, speaker: torch.Tensor) -> torch.Tensor:
    # Eq. (4): L_adv = CE(D(GRL_λ(z_S)), speaker); the reversal makes the encoder maximise it
    return F.cross_entropy(adv_logits, speaker)


def kl_loss(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    # Eq. (5): L_KL = mean_batch Σ_d ½(μ² + σ² − log σ² − 1)
    return 0.5 * (mu.pow(2) + logvar.exp() - logvar - 1).sum(1).mean()
