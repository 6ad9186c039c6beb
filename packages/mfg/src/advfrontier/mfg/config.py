"""Configs of the three scales: the dimensions swept, the networks, the particles and the iterations."""

from __future__ import annotations

from dataclasses import dataclass

from advfrontier.mfg.networks import BOUND_GRADS
from advfrontier.shared.config import RunConfig

METHODS: tuple[str, ...] = ("adv", "fixed", "sq")
"""adv: adversarial test functions (the paper); fixed: random test functions never trained;
sq: plain squared-residual regression E[𝓜²]."""


@dataclass(frozen=True)
class MFGConfig(RunConfig):
    """Deep policy iteration on the LQ-1-type mean-field game, swept over dimensions."""

    dims: tuple[int, ...] = (2, 10)
    """State dimensions d; the adversarial method runs at every one."""
    compare_dim: int = 10
    """The dimension at which the non-adversarial variants run too (must be in dims)."""
    baselines: tuple[str, ...] = ("fixed", "sq")
    """Non-adversarial variants run at compare_dim."""
    steps: int = 20
    """Time steps N of the grid (h = T/N)."""
    particles: int = 4096
    """Particles M approximating the occupation measure."""
    batch_div: int = 10
    """Minibatch size M / batch_div (for the particle move and each loss batch)."""
    iters: int = 300
    """Iterations I of policy iteration."""
    descent: int = 2
    """Descent steps J on (θ, α) per iteration."""
    ascent: int = 1
    """Ascent steps K on η per iteration, after the J descents, each on its own fresh estimate."""
    optimizer: str = "rmsprop"
    """rmsprop (the paper), adam or sgd."""
    antithetic: bool = False
    """Antithetic noise ±ζ in the residual of policy evaluation (variance reduction; not in the paper)."""
    width: int | None = 64
    """Hidden width of v and u; None: max(104, d + 8) [inferred from 104 at d = 1, 1008 at d = 1000]."""
    layers: int = 4
    """Linear layers of v and u."""
    r: int = 128
    """Number of test functions."""
    c_scale: float = 10.0
    """Frequency scale c of the test functions."""
    layout: str = "linspace"
    """Λ = linspace(1, c, r) (DF-MartNet) or arith: Λ_i = 1 + (i − 1) c (the paper's notes)."""
    lr0: float = 3.0
    """δ0 = lr0 · d^{-1/2}."""
    lr_v: float = 1e-3
    """δ1 = δ0 · lr_v · 0.01^{i/I} for the value v."""
    lr_u: float = 1e-3
    """δ2 = δ0 · lr_u · 0.01^{i/I} for the policy u (the paper: δ2 = δ1)."""
    lr_rho: float = 1e-2
    """δ3 = δ0 · lr_rho · 0.01^{i/I} for the test functions."""
    lr_decay: float = 0.01
    """Total learning-rate decay over the run (0.01^{i/I})."""
    bound: float = 5.0
    """Control clip |u_j| ≤ bound."""
    bound_grad: str = "clip"
    """clip: the clip's own gradient (zero past the bound, the paper); straight: passed straight through."""
    shift: float = 5.0
    """Initial particles Z_0 + shift·t·1_d + σ B_t (deliberately far from the equilibrium)."""
    T: float = 1.0
    """Horizon."""
    c0: float = 0.0
    """Drift pull towards the mean."""
    c1: float = 0.0
    """Drift pull from the mean towards the target."""
    c3: float = 1.0
    """Running |z − m̄|² weight (divided by d)."""
    c4: float = 0.0
    """Running |z − z*|² weight (divided by d)."""
    c5: float = 1.0
    """Terminal |z − z*|² weight (divided by d)."""
    sigma: float = 0.5
    """Noise c_σ (divided by √d)."""
    target: float = 0.0
    """z* = target·1_d."""
    m0: float = 1.0
    """Centre of Z_0 = s·1_d."""
    spread: float = 1.0
    """s ~ U[m0 − spread, m0 + spread]."""
    n_test: int = 1000
    """Fixed test points drawn from the reference equilibrium."""
    time_iters: int = 0
    """If > 0: also time this many iterations at every d with the paper's width rule max(104, d + 8)
    (the time-vs-d claim); 0: the training runs themselves are timed (already at the paper's widths)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.dims or min(self.dims) < 1:
            raise ValueError(f"dims must be non-empty and >= 1, got {self.dims}")
        if self.compare_dim not in self.dims:
            raise ValueError(f"compare_dim {self.compare_dim} must be one of dims {self.dims}")
        unknown = set(self.baselines) - set(METHODS[1:])
        if unknown:
            raise ValueError(f"unknown baseline(s) {sorted(unknown)}; expected some of {METHODS[1:]}")
        if self.steps < 1 or self.iters < 1 or self.descent < 1 or self.ascent < 0:
            raise ValueError("steps, iters, descent must be >= 1 and ascent >= 0")
        if self.layout not in ("linspace", "arith"):
            raise ValueError(f"layout must be linspace or arith, got {self.layout!r}")
        if self.bound_grad not in BOUND_GRADS:
            raise ValueError(f"bound_grad must be one of {BOUND_GRADS}, got {self.bound_grad!r}")
        if self.optimizer not in ("rmsprop", "adam", "sgd"):
            raise ValueError(f"optimizer must be rmsprop, adam or sgd, got {self.optimizer!r}")
        if self.particles // self.batch_div < 2:
            raise ValueError("particles / batch_div must be >= 2 (two disjoint minibatches)")
        if 2 * (self.particles // self.batch_div) > self.particles:
            raise ValueError("batch_div must be >= 2 so that two disjoint minibatches fit")

    def width_for(self, d: int) -> int:
        """Hidden width at dimension d."""
        return self.width if self.width is not None else max(104, d + 8)


SMOKE = MFGConfig(
    scale="smoke", seeds=1, dims=(1, 10), particles=2048, iters=150, width=32, r=64, time_iters=2
)
MINI = MFGConfig(
    scale="mini", seeds=5, dims=(1, 10, 100, 1000), particles=2048, iters=400, width=64, r=128, time_iters=3
)
"""Halved in particles and iterations in this revision (was 4096, 800) to fit the shared machine."""
REAL = MFGConfig(
    scale="real",
    seeds=3,
    dims=(1, 1000),
    compare_dim=1,
    steps=50,
    particles=16384,
    batch_div=20,
    iters=1500,
    width=128,
    layers=6,
    r=256,
    bound_grad="straight",
    time_iters=4,
)
"""The paper's LQ-1 benchmark at its d values up to 1000 (Table 1: d = 1 and 1000), with as much of its budget
as fits an hour on 2 CPU cores for 3 seeds: depth 6 and minibatches M/20 as the paper; h = T/50 (paper T/100),
M = 16,384 particles (paper 1.024M), 1500 iterations (paper 9000), width 128 (paper 104 … 1008), r = 256
(paper 1200); the fixed and squared-residual contrasts at d = 1. The control clip passes its gradient straight
through (``bound_grad``), chosen on a reference-free criterion over selection seeds 100–103
(scripts/real_select.log): with the clip's own gradient 1 run of 4 stuck at the bound at d = 1 (as all 3 seeds
of the first real card did). Measured in the first real card (one thread): 0.14 / 0.66 CPU-s per iteration at
d = 1 / 1000, 41 min for 3 seeds on 2 cores (d = 10 and 100 would add ≈ 0.34 s per iteration, so they are
left to the mini)."""
PAPER_SCALE = MFGConfig(
    scale="paper",
    seeds=5,
    device="cuda",
    dims=(1, 1000, 10000),
    compare_dim=1,
    steps=100,
    particles=1_024_000,
    batch_div=20,
    iters=9000,
    width=None,
    layers=6,
    r=1200,
    c_scale=10.0,
)
