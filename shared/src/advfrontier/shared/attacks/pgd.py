"""Projected gradient descent (Madry et al., 2018, "Towards Deep Learning Models Resistant to
Adversarial Attacks") under L∞ or L2, with random start, restarts, targeted or untargeted, on the
CE or CW-margin loss. Inputs in [0, 1]; every iterate is projected onto the ε-ball ∩ [0, 1]^d.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from advfrontier.shared.attacks.checks import check_budget
from advfrontier.shared.attacks.losses import LossName, get_loss
from advfrontier.shared.attacks.modes import model_mode
from advfrontier.shared.threat import ThreatModel

_TINY = 1e-12


def _per_example_norm(t: Tensor) -> Tensor:
    return t.flatten(1).norm(dim=1).clamp_min(_TINY).view(-1, *([1] * (t.dim() - 1)))


def project(delta: Tensor, x: Tensor, threat: ThreatModel) -> Tensor:
    """Project ``delta`` onto {d : ||d|| <= ε, x + d in [0,1]}."""
    eps = threat.eps
    if threat.norm == "Linf":
        delta = delta.clamp(-eps, eps)
    else:
        delta = delta * torch.clamp(eps / _per_example_norm(delta), max=1.0)
    # clipping to the domain only shrinks each coordinate, so the norm bound still holds
    return (x + delta).clamp(0, 1) - x


def random_start(x: Tensor, threat: ThreatModel, generator: torch.Generator | None = None) -> Tensor:
    """Uniform in the L∞ ball, or uniform direction with radius ε·U(0,1) in the L2 ball."""
    eps = threat.eps
    # drawn where the generator lives (the data's device by default): no host-to-device copy per call
    dev = generator.device if generator is not None else x.device
    if threat.norm == "Linf":
        u = torch.rand(x.shape, generator=generator, dtype=x.dtype, device=dev).to(x.device)
        return project((2 * u - 1) * eps, x, threat)
    g = torch.randn(x.shape, generator=generator, dtype=x.dtype, device=dev).to(x.device)
    r = torch.rand((x.shape[0],), generator=generator, dtype=x.dtype, device=dev).to(x.device)
    return project(g / _per_example_norm(g) * eps * r.view(-1, *([1] * (x.dim() - 1))), x, threat)


def _rows(mask: Tensor, like: Tensor) -> Tensor:
    """A per-example mask shaped to broadcast over ``like``'s trailing dimensions."""
    return mask.view(-1, *([1] * (like.dim() - 1)))


def ascent_step(delta: Tensor, grad: Tensor, alpha: float, norm: str) -> Tensor:
    if norm == "Linf":
        return delta + alpha * grad.sign()
    return delta + alpha * grad / _per_example_norm(grad)


def pgd(
    model: nn.Module,
    x: Tensor,
    y: Tensor,
    threat: ThreatModel,
    steps: int = 10,
    step_size: float | str | None = None,
    *,
    rand_init: bool = True,
    restarts: int = 1,
    loss: LossName = "ce",
    kappa: float = 50.0,
    targeted: bool = False,
    train_mode: bool = False,
    keep_best: bool = True,
    generator: torch.Generator | None = None,
) -> Tensor:
    """Return x_adv with ||x_adv − x|| ≤ ε and x_adv ∈ [0,1].

    ``y`` holds the true labels (untargeted: push away) or target labels (``targeted``: pull toward).
    ``step_size`` defaults to 2.5·ε/steps; a string like ``"2/255"`` is read exactly.
    ``keep_best`` returns, per example, the first iterate that fools the model (or the last iterate),
    which is what an evaluation wants; training (Madry AT) uses the last iterate (``keep_best=False``).
    Over ``restarts`` the first fooling restart wins per example.
    """
    if steps < 0 or restarts < 1:
        raise ValueError(f"need steps >= 0 and restarts >= 1, got steps={steps}, restarts={restarts}")
    if isinstance(step_size, str):
        step_size = threat.fraction(step_size)
    alpha = 2.5 * threat.eps / max(steps, 1) if step_size is None else float(step_size)
    loss_fn = get_loss(loss, kappa)
    sign = -1.0 if targeted else 1.0
    x = x.detach()
    best = x.clone()
    fooled = torch.zeros(len(x), dtype=torch.bool, device=x.device)

    def success(logits: Tensor) -> Tensor:
        pred = logits.argmax(1)
        return pred == y if targeted else pred != y

    with model_mode(model, train=train_mode), torch.enable_grad():
        for _ in range(restarts):
            delta = random_start(x, threat, generator) if rand_init else torch.zeros_like(x)
            for _ in range(steps):
                delta.requires_grad_(True)
                logits = model(x + delta)
                if keep_best:  # torch.where, not mask writes: no device sync per step
                    hit = success(logits.detach()) & ~fooled
                    best = torch.where(_rows(hit, x), (x + delta).detach(), best)
                    fooled = fooled | hit
                (grad,) = torch.autograd.grad(sign * loss_fn(logits, y).sum(), delta)
                delta = project(ascent_step(delta.detach(), grad, alpha, threat.norm), x, threat)
            x_last = (x + delta).detach()
            if not keep_best:
                best = x_last
                continue
            with torch.no_grad():
                hit = success(model(x_last)) & ~fooled
            # fooled now, or never fooled (these keep the last iterate of the latest restart)
            best = torch.where(_rows(hit | ~fooled, x), x_last, best)
            fooled = fooled | hit
    check_budget(best, x, threat)
    return best
