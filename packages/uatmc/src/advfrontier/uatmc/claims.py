"""The within-model mechanism claim: UAT-MC removes the promotions that only the two modalities reach
together, beyond what it removes from the single-modality attacks' combined reach.

On one trained model the PGD promotion attack is run three times on each target: δ_v alone, δ_t alone and
both together (the paper's attack). A pair (anchor user, target) is promoted when the target enters the
user's top K only after the attack. prom_vt is the share of pairs the joint attack promotes; prom_union
the share promoted by δ_v alone or by δ_t alone (the sum of the single-modality promotions less their
overlap). A defence that hardened each modality on its own would lower prom_vt by what it removes from
prom_union; UAT-MC's coordinated perturbations are meant to remove more: the pairs the modalities reach
only together. Per seed, with b the model before the defence and a the model after it (a fine-tuned from
b on the same data):

    x = [prom_vt(b) − prom_vt(a)] − [prom_union(b) − prom_union(a)] = joint_excess(b) − joint_excess(a),

joint_excess = prom_vt − prom_union; the claim reads E[x] > margin (paired t over seeds).
"""

from __future__ import annotations

from dataclasses import dataclass

from advfrontier.shared.claims import Claim, PerSeed

PARTS: tuple[str, ...] = ("prom_vt", "prom_union")


def joint_drop_beyond_sum(m: dict[str, float] | object, before: str, after: str) -> float:
    """Drop of the joint promotions from ``before`` to ``after`` minus the drop of the single ones' union."""
    drop = {p: m[f"{before}/{p}"] - m[f"{after}/{p}"] for p in PARTS}  # type: ignore[index]
    return drop["prom_vt"] - drop["prom_union"]


@dataclass(frozen=True)
class JointDropBeyondSum(Claim):
    """``after`` lowers the joint attack's promotions by more than the single-modality attacks' combined
    reach (per-seed x as in the module docstring, paired t, larger supports)."""

    before: str = "none"
    after: str = "uat_mc"
    margin: float = 0.0

    def metrics(self) -> tuple[str, ...]:
        return tuple(f"{k}/{p}" for k in (self.before, self.after) for p in PARTS)

    def statement(self) -> str:
        extra = f" + {self.margin:g}" if self.margin else ""
        return f"Δprom_vt > Δprom_union{extra} (Δ = {self.before} − {self.after}, PGD, % of pairs)"

    def bound(self) -> float:
        return self.margin

    def sample(self, per_seed: PerSeed) -> list[float]:
        return [joint_drop_beyond_sum(m, self.before, self.after) for m in per_seed]

    def example(self, supporting: bool, n: int = 5) -> list[dict[str, float]]:
        out = []
        x = self.margin + (5.0 if supporting else -5.0)
        for i in range(n):  # the union drops by 2 (± 0.1); the joint promotions by 2 + x
            m = {f"{self.before}/prom_vt": 30.0 + i, f"{self.before}/prom_union": 20.0 + i}
            m[f"{self.after}/prom_vt"] = 30.0 + i - 2.0 - x
            m[f"{self.after}/prom_union"] = 18.0 + i + 0.1 * (-1) ** i
            out.append(m)
        return out
