import torch

from advfrontier.raat.partition import partition, reconstruct, reduced_input
from advfrontier.shared.models.small_cnn import SmallCNN


def _scalar_batch(values: list[float]) -> torch.Tensor:
    return torch.tensor(values).view(-1, 1, 1, 1)


def test_partition_matches_its_definition_on_a_sign_model(sign_model) -> None:
    # label 1 everywhere; prediction is 1 iff the input is > 0
    x = _scalar_batch([-1.0, 1.0, 0.1, 1.0, 0.1])
    delta = _scalar_batch([0.5, -2.0, -2.0, 0.5, -0.05])
    y = torch.ones(5, dtype=torch.long)
    p = partition(sign_model, x, x + delta, y, r=0.1)
    # 0: wrong on x -> M; 1: adv wrong, x+0.1δ = 0.8 right -> N; 2: x+0.1δ = -0.1 wrong -> Bd;
    # 3: adv right -> N; 4: adv 0.05 right -> N
    assert p.misclassified.tolist() == [True, False, False, False, False]
    assert p.boundary.tolist() == [False, False, True, False, False]
    assert p.other.tolist() == [False, True, False, True, True]
    # with r = 1 the reduced input is x_adv: Bd = correct on x and wrong on x_adv
    p1 = partition(sign_model, x, x + delta, y, r=1.0)
    assert p1.boundary.tolist() == [False, True, True, False, False]


def test_masks_are_disjoint_and_cover_the_batch() -> None:
    model = SmallCNN()
    x = torch.rand(64, 1, 8, 8)
    x_adv = (x + 0.1 * torch.randn_like(x).sign()).clamp(0, 1)
    y = torch.randint(0, 10, (64,))
    p = partition(model, x, x_adv, y, r=0.3)
    total = p.misclassified.int() + p.boundary.int() + p.other.int()
    assert torch.equal(total, torch.ones(64, dtype=torch.int))
    assert abs(sum(p.fractions().values()) - 1.0) < 1e-9


def test_partition_uses_eval_mode_and_restores_the_mode() -> None:
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Dropout(0.9), torch.nn.Linear(64, 10))
    model.train()
    x = torch.rand(32, 1, 8, 8)
    y = model.eval()(x).argmax(1)
    model.train()
    p = partition(model, x, x, y, r=0.1)  # in eval mode dropout is off, so every label is "right"
    assert not bool(p.misclassified.any())
    assert model.training and model[1].training


def test_reconstruct_uses_reduced_perturbation_on_boundary_only() -> None:
    x = torch.rand(6, 1, 8, 8) * 0.8 + 0.1
    x_adv = (x + 0.1 * torch.randn_like(x).sign()).clamp(0, 1)
    boundary = torch.tensor([True, False, True, False, False, True])
    out = reconstruct(x, x_adv, boundary, r=0.25)
    assert torch.allclose(out[boundary], x[boundary] + 0.25 * (x_adv - x)[boundary])
    assert torch.equal(out[~boundary], x_adv[~boundary])
    red = reduced_input(x, x_adv, 0.25)
    assert float((red - x).abs().max()) <= 0.25 * 0.1 + 1e-6
    assert red.min() >= 0 and red.max() <= 1
