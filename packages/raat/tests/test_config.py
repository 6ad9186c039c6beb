import pytest

from advfrontier.raat.config import MINI, PAPER_SCALE, REAL, SMOKE, RaatConfig, sweep_r
from advfrontier.raat.paper import PAPER, objective
from advfrontier.raat.raat import Raat
from advfrontier.shared.threat import ThreatModel


def test_paper_scale_carries_the_released_hyperparameters() -> None:
    c = PAPER_SCALE
    assert (c.dataset, c.model, str(c.threat_model), c.step_size) == (
        "cifar10", "preact_resnet18", "Linf 8/255", "2/255",
    )  # fmt: skip
    assert (c.attack_steps, c.r, c.dicar_weight, c.temperature, c.mix_alpha, c.mart_beta) == (
        10, 0.1, 1.0, 0.5, 0.75, 6.0,
    )  # fmt: skip
    t = c.train
    assert (t.epochs, t.batch_size, t.lr, t.momentum, t.weight_decay, t.milestones, t.gamma) == (
        110, 128, 0.1, 0.9, 5e-4, (100, 105), 0.1,
    )  # fmt: skip
    assert (c.crop_pad, c.flip, c.val_size, c.eval_pgd_steps, c.eval_cw_steps) == (4, True, 0, 20, 20)


def test_methods_map_to_their_objectives() -> None:
    assert sweep_r("raat_r0.5") == 0.5 and sweep_r("raat") is None
    sweep = objective("raat_r0.1", MINI)
    assert isinstance(sweep, Raat) and sweep.r == 0.1 and sweep.base == "pgd"
    assert objective("raat", MINI).r == MINI.r == 0.5  # the r tuned on validation
    pp = objective("raat_pp", MINI)
    assert isinstance(pp, Raat) and pp.base == "mart" and pp.r == MINI.r
    assert objective("pgd_at", MINI).augment.pad == MINI.crop_pad  # baselines see one augmented view


def test_every_scale_trains_all_methods_with_one_budget() -> None:
    assert set(PAPER.configs) == {"smoke", "mini", "real", "paper"}
    assert MINI.seeds >= 3 and SMOKE.seeds == 1
    assert {"standard", "pgd_at", "trades", "mart", "raat", "raat_pp", "raat_r0.1", "raat_r1.0"} <= set(
        MINI.methods
    )


def test_bad_configs_are_refused_with_a_message() -> None:
    with pytest.raises(ValueError, match="unknown method"):
        RaatConfig(methods=("raat", "awp"))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        RaatConfig(methods=("raat_r1.5",))
    with pytest.raises(ValueError, match="unknown data set"):
        RaatConfig(dataset="imagenet")
    for bad in ("0", "-1/40", "fast"):
        with pytest.raises(ValueError, match="eval_step_size"):
            RaatConfig(eval_step_size=bad)


def test_the_real_evaluation_can_cross_the_ball_and_other_scales_keep_the_training_step() -> None:
    eps, step = REAL.threat_model.eps, ThreatModel.fraction
    assert REAL.eval_pgd_steps * step(REAL.eval_step) >= 2 * eps  # from a random start to the far face
    assert REAL.eval_pgd_steps * step(REAL.step_size) < 2 * eps  # what the training step could not
    assert step(REAL.eval_step) == pytest.approx(eps / 4)
    for c in (SMOKE, MINI, PAPER_SCALE):
        assert c.eval_step == c.step_size


def test_the_cli_selects_the_architecture_and_refuses_an_unknown_one(tmp_path, capsys) -> None:
    from advfrontier.raat.paper import PAPER
    from advfrontier.shared import cli
    from advfrontier.shared.runner import make_config

    assert make_config(PAPER, "paper", tmp_path, model="wrn34_10").model == "wrn34_10"
    assert make_config(PAPER, "paper", tmp_path, model=None).model == "preact_resnet18"
    code = cli.main(["reproduce", "raat", "--scale", "smoke", "--model", "nosuch", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "unknown model 'nosuch'" in err and "Traceback" not in err
