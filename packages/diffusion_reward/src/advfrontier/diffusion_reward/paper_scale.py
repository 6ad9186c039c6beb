"""Paper scale: train the Conv1D-UNet EnergyFlow policy on RoboMimic / Meta-World demonstrations.

Recipe of the released code: AdamW (lr 1e-4, wd 1e-6), batch 256, 100k steps, 500 warm-up steps then cosine,
gradient clip 1.0, EMA 0.9999, VE schedule σ ∈ [0.01, 10]. Evaluation here is offline (held-out DSM loss and
how often the centred reward prefers the demonstrated chunk to another state's chunk); task success needs the
robosuite / Meta-World simulators and a downstream SAC loop, which are future work in this package.
"""

from __future__ import annotations

import copy
import time

import numpy as np
import torch

from advfrontier.diffusion_reward.config import DiffusionRewardConfig
from advfrontier.diffusion_reward.energyflow import centred_reward, dsm_loss, reference_actions
from advfrontier.diffusion_reward.optim import warmup_cosine
from advfrontier.diffusion_reward.real_data import load_demos, windows
from advfrontier.diffusion_reward.schedule import VESchedule
from advfrontier.diffusion_reward.unet import UNetEnergy
from advfrontier.shared.engine import capped


@torch.no_grad()
def ema_update(ema: torch.nn.Module, model: torch.nn.Module, decay: float) -> None:
    """ema ← decay·ema + (1 − decay)·model, over floating parameters and buffers."""
    for e, m in zip(ema.state_dict().values(), model.state_dict().values(), strict=True):
        if e.dtype.is_floating_point:
            e.mul_(decay).add_(m, alpha=1 - decay)
        else:
            e.copy_(m)


def run_paper_scale(cfg: DiffusionRewardConfig, seed: int) -> dict[str, float]:
    demos = load_demos(cfg.dataset, cfg.data_dir, cfg.data_file)
    obs, act, ep = windows(demos, cfg.obs_horizon, cfg.pred_horizon)
    if cfg.max_windows is not None:
        obs, act, ep = obs[: cfg.max_windows], act[: cfg.max_windows], ep[: cfg.max_windows]
    val = ep % 10 == 9  # every tenth episode is held out
    if not val.any() or val.all():
        val = np.arange(len(ep)) % 10 == 9
    mean, std = (
        act[~val].reshape(-1, act.shape[-1]).mean(0),
        act[~val].reshape(-1, act.shape[-1]).std(0) + 1e-6,
    )
    dev = torch.device(cfg.device)
    o = torch.as_tensor(obs, device=dev)
    a = torch.as_tensor((act - mean) / std, device=dev, dtype=torch.float32)
    tr, va = (
        torch.as_tensor(np.flatnonzero(~val), device=dev),
        torch.as_tensor(np.flatnonzero(val), device=dev),
    )
    sched = VESchedule(cfg.sigma_min, cfg.sigma_max, cfg.time_horizon)
    model = UNetEnergy(obs.shape[-1], act.shape[-1], cfg.obs_horizon, cfg.down_dims, cfg.kernel_size).to(dev)
    ema = copy.deepcopy(model)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    gen = torch.Generator(device=dev).manual_seed(seed)
    t0 = time.process_time()
    for step in range(capped(cfg.steps)):  # --max-steps
        for g in opt.param_groups:
            g["lr"] = warmup_cosine(step, cfg.warmup, cfg.steps, cfg.lr)
        i = tr[torch.randint(0, len(tr), (cfg.batch_size,), generator=gen, device=dev)]
        t = torch.rand(len(i), generator=gen, device=dev) * sched.T
        eps = torch.randn(a[i].shape, generator=gen, device=dev)
        loss = dsm_loss(model.score, sched, o[i], a[i], t, eps)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
        opt.step()
        ema_update(ema, model, cfg.ema_decay if step >= cfg.warmup else 0.0)
    train_cpu = time.process_time() - t0
    ema.eval()
    vgen = torch.Generator(device=dev).manual_seed(1234)
    t = torch.rand(len(va), generator=vgen, device=dev) * sched.T
    eps = torch.randn(a[va].shape, generator=vgen, device=dev)
    val_dsm = float(dsm_loss(ema.score, sched, o[va], a[va], t, eps).detach())
    refs = reference_actions(cfg.n_refs, tuple(a.shape[1:]), seed=0).to(dev)
    other = va[torch.randperm(len(va), generator=vgen, device=dev)]
    r_exp = centred_reward(ema.energy, o[va], a[va], refs, cfg.gamma)
    r_other = centred_reward(ema.energy, o[va], a[other], refs, cfg.gamma)
    prefers = float((r_exp > r_other).double().mean() * 100)
    return {
        "energyflow/val_dsm": val_dsm,
        "energyflow/reward_pref": prefers,
        "energyflow/train_cpu_s": train_cpu,
    }
