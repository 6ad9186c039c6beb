"""VAÇAÍ-Bowl [reconstruction, inferred from the abstract]: a shared encoder feeds two parallel branches.

* invariant branch  h_inv = B_inv(h): a variety discriminator D reads its features through a
  gradient-reversal layer (Ganin & Lempitsky, 2015), so the branch learns what does not identify the
  variety;
* specific branch   h_spec = B_spec(h): a variety classifier C reads its features directly, so
  the branch keeps what does identify it (word order, function words);
* D and C read every word's vector ("token" level, the default: the parser reads word vectors, so a
  variety cue hidden only from a sentence mean could survive in single words) or each sentence's mean
  over its words ("sentence" level). The abstract does not say which the paper uses;
* a difference term ‖H_invᵀ H_spec‖²_F (Bousmalis et al., 2016) keeps the two apart;
* the biaffine parser reads [h_inv ; h_spec].

Total loss (Eq. V):  L = L_arc + L_rel + λ_adv·L_adv + λ_spec·L_spec + λ_orth·L_orth.
The paper's exact scheme is not public; every term's weight is a config field and can be set to 0.
Baselines share this module: "plain" (one branch, no auxiliary loss) and "invariant" (one branch,
gradient reversal only: pure invariant alignment).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn
from torch.nn import functional as F

from advfrontier.vacai.biaffine import BiaffineParser, arc_loss, rel_loss
from advfrontier.vacai.conllu_io import Sentence

HEADS: tuple[str, ...] = ("plain", "invariant", "vacai")
"""Model variants: no adversary / gradient reversal only / invariant + specific branches."""


class GradReverse(torch.autograd.Function):
    """Identity forward; multiplies the gradient by −λ backward."""

    @staticmethod
    def forward(ctx: torch.autograd.function.FunctionCtx, x: torch.Tensor, lam: float) -> torch.Tensor:
        ctx.lam = lam
        return x.view_as(x)

    @staticmethod
    def backward(ctx: torch.autograd.function.FunctionCtx, grad: torch.Tensor) -> tuple[torch.Tensor, None]:
        return -ctx.lam * grad, None


def grad_reverse(x: torch.Tensor, lam: float) -> torch.Tensor:
    """Gradient-reversal layer GRL_λ."""
    return GradReverse.apply(x, lam)


def dann_schedule(progress: float) -> float:
    """Ganin et al.'s ramp 2/(1 + exp(−10 p)) − 1 of the reversal strength over training progress p."""
    return 2.0 / (1.0 + math.exp(-10.0 * progress)) - 1.0


def masked_mean(h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over the words (root excluded) of each sentence: ``[B, N, D] -> [B, D]``."""
    words = mask.clone()
    words[:, 0] = False
    w = words.unsqueeze(-1).to(h.dtype)
    return (h * w).sum(1) / w.sum(1).clamp_min(1.0)


def variety_view(
    h: torch.Tensor, mask: torch.Tensor, varieties: torch.Tensor, level: str
) -> tuple[torch.Tensor, torch.Tensor]:
    """What D and C read and the variety label of each row: every word (root and padding excluded)
    with its sentence's variety ("token"), or one mean vector per sentence ("sentence")."""
    if level == "sentence":
        return masked_mean(h, mask), varieties
    words = mask.clone()
    words[:, 0] = False
    return h[words], varieties.unsqueeze(1).expand_as(words)[words]


def adversarial_loss(
    x_inv: torch.Tensor, varieties: torch.Tensor, disc: nn.Module, lam: float
) -> torch.Tensor:
    """Eq. (V1) [inferred]: CE(D(GRL_λ(x_inv)), variety) over the rows of :func:`variety_view`; D
    minimises it, the encoder maximises it."""
    return F.cross_entropy(disc(grad_reverse(x_inv, lam)), varieties)


def specific_loss(x_spec: torch.Tensor, varieties: torch.Tensor, clf: nn.Module) -> torch.Tensor:
    """Eq. (V2) [inferred]: CE(C(x_spec), variety); both C and the encoder minimise it."""
    return F.cross_entropy(clf(x_spec), varieties)


def difference_loss(h_inv: torch.Tensor, h_spec: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Eq. (V3) [inferred, Bousmalis et al. 2016]: ‖Ĥ_invᵀ Ĥ_spec‖²_F / N over the N words of the batch,
    rows L2-normalised; it is 0 iff every invariant feature column is orthogonal, across the words, to
    every specific feature column."""
    a = F.normalize(h_inv[mask], dim=-1)
    b = F.normalize(h_spec[mask], dim=-1)
    return (a.T @ b).pow(2).sum() / a.shape[0]


class VarietyParser(nn.Module):
    """Encoder → branch(es) → biaffine parser, with the auxiliary heads of the chosen variant."""

    def __init__(
        self,
        encoder: nn.Module,
        variant: str,
        n_rels: int,
        n_varieties: int,
        branch_dim: int,
        arc_dim: int,
        rel_dim: int,
        dropout: float,
        adv_level: str = "token",
    ) -> None:
        super().__init__()
        if variant not in HEADS:
            raise ValueError(f"variant must be one of {HEADS}, got {variant!r}")
        if variant != "plain" and n_varieties < 2:
            raise ValueError(
                f"the {variant!r} model needs at least 2 source varieties, got {n_varieties}: its variety "
                "losses would be constant 0 and it would silently be the plain parser"
            )
        if adv_level not in ("token", "sentence"):
            raise ValueError(f"adv_level must be 'token' or 'sentence', got {adv_level!r}")
        self.encoder, self.variant, self.adv_level = encoder, variant, adv_level
        self.hparams = {
            "variant": variant,
            "n_rels": n_rels,
            "n_varieties": n_varieties,
            "branch_dim": branch_dim,
            "arc_dim": arc_dim,
            "rel_dim": rel_dim,
            "dropout": dropout,
            "adv_level": adv_level,
        }
        d = encoder.out_dim

        def branch(out: int) -> nn.Module:
            return nn.Sequential(nn.Linear(d, out), nn.LeakyReLU(0.1), nn.Dropout(dropout))

        def classifier() -> nn.Module:
            return nn.Sequential(
                nn.Linear(branch_dim, branch_dim), nn.ReLU(), nn.Linear(branch_dim, n_varieties)
            )

        # same parser input width (2·branch_dim) for every variant, so capacity is matched
        if variant == "vacai":
            self.inv, self.spec = branch(branch_dim), branch(branch_dim)
            self.disc, self.clf = classifier(), classifier()
        else:
            self.inv = branch(2 * branch_dim)
            if variant == "invariant":
                self.disc = nn.Sequential(
                    nn.Linear(2 * branch_dim, branch_dim), nn.ReLU(), nn.Linear(branch_dim, n_varieties)
                )
        self.parser = BiaffineParser(2 * branch_dim, n_rels, arc_dim, rel_dim, dropout)

    def features(self, batch: Sequence[Sentence]) -> dict[str, torch.Tensor]:
        h, mask = self.encoder(batch)
        out = {"mask": mask, "h_inv": self.inv(h)}
        if self.variant == "vacai":
            out["h_spec"] = self.spec(h)
            out["h"] = torch.cat([out["h_inv"], out["h_spec"]], dim=-1)
        else:
            out["h"] = out["h_inv"]
        return out

    def forward(self, batch: Sequence[Sentence]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Arc scores, relation scores and the mask."""
        f = self.features(batch)
        arc, rel = self.parser(f["h"])
        return arc, rel, f["mask"]

    def loss(
        self,
        batch: Sequence[Sentence],
        heads: torch.Tensor,
        rels: torch.Tensor,
        varieties: torch.Tensor,
        lam_adv: float,
        lam_spec: float,
        lam_orth: float,
        grl: float,
    ) -> tuple[torch.Tensor, dict[str, float]]:
        """Eq. (V): the parsing loss plus the variant's auxiliary terms; also returns each term."""
        f = self.features(batch)
        arc, rel = self.parser(f["h"])
        mask = f["mask"]
        terms = {"arc": arc_loss(arc, heads, mask), "rel": rel_loss(rel, heads, rels, mask)}
        total = terms["arc"] + terms["rel"]
        if self.variant in ("invariant", "vacai") and lam_adv > 0:
            x, y = variety_view(f["h_inv"], mask, varieties, self.adv_level)
            terms["adv"] = adversarial_loss(x, y, self.disc, grl)
            total = total + lam_adv * terms["adv"]
        if self.variant == "vacai":
            if lam_spec > 0:
                x, y = variety_view(f["h_spec"], mask, varieties, self.adv_level)
                terms["spec"] = specific_loss(x, y, self.clf)
                total = total + lam_spec * terms["spec"]
            if lam_orth > 0:
                words = mask.clone()
                words[:, 0] = False
                terms["orth"] = difference_loss(f["h_inv"], f["h_spec"], words)
                total = total + lam_orth * terms["orth"]
        return total, {k: float(v.detach()) for k, v in terms.items()}
