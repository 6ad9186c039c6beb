"""ResNet-18 and WRN-34-10 by name: sizes, the normalisation layer and the features/head split."""

import pytest
import torch

from advfrontier.raat.config import PAPER_SCALE_RESNET18, PAPER_SCALE_WRN34_10
from advfrontier.raat.models import make_model


@pytest.mark.parametrize(("name", "params_m"), [("resnet18", 11.17), ("wrn34_10", 46.16)])
def test_paper_models_have_their_published_sizes(name: str, params_m: float) -> None:
    model = make_model(name, "cifar10")
    assert sum(p.numel() for p in model.parameters()) / 1e6 == pytest.approx(params_m, abs=0.05)
    x = torch.rand(2, 3, 32, 32)
    model.eval()
    assert torch.allclose(model(x), model.head(model.features(x)))
    assert model(x).shape == (2, 10) and make_model(name, "cifar100").head.out_features == 100


def test_paper_presets_and_refusals() -> None:
    assert (PAPER_SCALE_RESNET18.model, PAPER_SCALE_WRN34_10.model) == ("resnet18", "wrn34_10")
    with pytest.raises(ValueError, match="3-channel"):
        make_model("resnet18", "digits")
