"""Configs of the three scales: the point-mass miniature (smoke, mini) and RoboMimic / Meta-World (paper)."""

from __future__ import annotations

from dataclasses import dataclass, field

from advfrontier.diffusion_reward.task import Task
from advfrontier.shared.config import RunConfig

DATASETS: tuple[str, ...] = ("pointmass", "gym", "robomimic", "metaworld")


@dataclass(frozen=True)
class DiffusionRewardConfig(RunConfig):
    """EnergyFlow vs a vector-score diffusion policy, AIRL and BC on one set of expert demonstrations."""

    dataset: str = "pointmass"
    """pointmass (generated here, known Q*), gym (a gymnasium task with an SB3 SAC expert; real.py),
    robomimic or metaworld (read from data_dir; see real_data.py)."""
    task: Task = field(default_factory=Task)
    """The miniature's navigation task (reward, expert temperature, horizon)."""
    demo_episodes: int = 150
    """Expert episodes in the demonstrations (each of task.horizon steps)."""
    sigma_min: float = 0.01
    """VE schedule σ_min."""
    sigma_max: float = 10.0
    """VE schedule σ_max."""
    time_horizon: float = 1.0
    """VE schedule horizon T."""
    gamma: float = 1e-3
    """Time at which the ODE stops and the reward is read, E(a, s, γ)."""
    ode_steps: int = 20
    """Euler steps K of the probability-flow ODE."""
    n_refs: int = 16
    """Reference actions a'_m ~ N(0, I) of the centred reward."""
    precondition: bool = True
    """Scale network outputs by 1/σ(t) and inputs by 1/√(1+σ²) (our deviation; the code has none)."""
    hidden: int = 128
    """Width of the miniature's MLPs (energy, score, policy, discriminator)."""
    depth: int = 3
    """Hidden layers of the miniature's MLPs."""
    steps: int = 3000
    """Gradient steps of each diffusion model (EnergyFlow and the vector-score contrast) and of BC."""
    airl_iters: int = 3000
    """AIRL iterations, each one discriminator and one generator step."""
    batch_size: int = 256
    lr: float = 1e-3
    weight_decay: float = 1e-6
    warmup: int = 100
    """Linear warm-up steps before the cosine decay."""
    grad_clip: float = 1.0
    ema_decay: float = 0.0
    """EMA of the weights (0: none); the paper uses 0.9999 over 100k steps."""
    eval_states: int = 128
    """Held-out states (from fresh expert rollouts) for the reward correlations and the action gap."""
    eval_actions: int = 64
    """Actions per held-out state: half from a tempered expert (3α), half uniform in the box."""
    eval_episodes: int = 32
    """Episodes (fixed starts shared by all methods) for the returns."""
    plan_horizon: int = 3
    """CEM lookahead h."""
    plan_population: int = 64
    plan_elites: int = 8
    plan_iters: int = 3
    # real scale only (dataset "gym")
    env_id: str = "Pendulum-v1"
    """Real scale: the gymnasium task (multi-step, discount 0.99, no termination)."""
    episode_steps: int | None = None
    """Real scale: episode length (None: the task's own, 200 for Pendulum-v1; tests shorten it)."""
    expert_steps: int = 10_000
    """Real scale: SB3 SAC environment steps of the expert."""
    sac_steps: int = 10_000
    """Real scale: SB3 SAC environment steps of each fresh policy (true, centred, raw, AIRL reward) and of
    AIRL's generator."""
    sac_lr: float = 1e-3
    """Real scale: SAC learning rate (rl-zoo's Pendulum setting)."""
    sac_net: tuple[int, ...] = (256, 256)
    """Real scale: SAC actor / critic hidden widths."""
    airl_round_steps: int = 1000
    """Real scale: generator steps per AIRL round (imitation's gen_train_timesteps)."""
    airl_disc_updates: int = 16
    """Real scale: discriminator updates per AIRL round."""
    val_episodes: int = 0
    """Real scale: expert episodes (own start seeds) held out to choose each model's training length."""
    val_every: int = 0
    """Real scale: validation checkpoint every N steps of EnergyFlow, the vector-score policy and BC; the
    best checkpoint is kept (0: no selection, the last step)."""
    # paper scale only
    data_file: str = ""
    """Paper scale: demonstrations file under data_dir (see real_data.py for the layout)."""
    obs_horizon: int = 2
    """Paper scale: observation frames the policy sees."""
    pred_horizon: int = 16
    """Paper scale: predicted action chunk length."""
    down_dims: tuple[int, ...] = (64, 128, 256)
    """Paper scale: Conv1D UNet channel widths."""
    kernel_size: int = 5
    """Paper scale: Conv1D kernel."""
    max_windows: int | None = None
    """Paper scale: use only the first N training windows (None: all)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.dataset not in DATASETS:
            raise ValueError(f"dataset must be one of {DATASETS}, got {self.dataset!r}")
        if not 0 < self.gamma < self.time_horizon:
            raise ValueError(f"need 0 < gamma < time_horizon, got {self.gamma}")
        if self.plan_elites > self.plan_population:
            raise ValueError("plan_elites must be <= plan_population")
        if self.eval_actions < 4 or self.eval_actions % 2:
            raise ValueError("eval_actions must be an even number >= 4")
        if self.val_every < 0 or self.val_episodes < 0 or (self.val_every > 0) != (self.val_episodes > 0):
            raise ValueError("val_every and val_episodes must both be > 0 (selection) or both 0")
        if self.dataset in ("robomimic", "metaworld") and not self.data_file:
            raise ValueError(f"dataset {self.dataset!r} needs data_file (a file under data_dir)")


SMOKE = DiffusionRewardConfig(
    scale="smoke",
    seeds=1,
    demo_episodes=60,
    hidden=64,
    steps=400,
    airl_iters=400,
    batch_size=128,
    eval_states=32,
    eval_actions=32,
    eval_episodes=8,
    plan_population=32,
    plan_elites=4,
    plan_iters=2,
)
MINI = DiffusionRewardConfig(scale="mini", seeds=3)
REAL = DiffusionRewardConfig(
    scale="real",
    seeds=3,
    dataset="gym",
    demo_episodes=20,
    steps=30_000,
    val_episodes=4,
    val_every=1000,
    eval_episodes=8,
    expert_steps=6000,
    sac_steps=5000,
    sac_net=(64, 64),
    airl_round_steps=500,
)
"""Pendulum-v1 with budgets that fit 2 cores: SAC expert 6k steps, 20 demonstration episodes (4 000 pairs),
EnergyFlow / vector-score / BC up to 30 000 steps each, each keeping its best checkpoint (every 1 000 steps)
on 4 held-out expert episodes (EnergyFlow: the reward-preference score; vector score: DSM loss; BC: NLL),
AIRL 5k generator steps, and 4 fresh SAC policies of 5k steps each (true, centred, raw, AIRL reward).
At 1 500 DSM steps (an earlier card) the energy preferred the expert's action to a random one in only 58 % of
held-out states; a diagnostic on one seed gave 60 / 66 / 73 % at 1.5k / 6k / 20k steps (10 episodes) and
75 % at 20k (40 episodes)."""
PAPER_SCALE = DiffusionRewardConfig(
    scale="paper",
    seeds=3,
    dataset="robomimic",
    data_file="robomimic/square/ph/low_dim_v141.hdf5",
    device="cuda",
    precondition=False,
    steps=100_000,
    batch_size=256,
    lr=1e-4,
    weight_decay=1e-6,
    warmup=500,
    grad_clip=1.0,
    ema_decay=0.9999,
)
