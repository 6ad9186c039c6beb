"""Models that take inputs in [0, 1]: normalisation is their first layer."""

from advfrontier.shared.models.factory import MODELS, make_model
from advfrontier.shared.models.normalize import Normalize
from advfrontier.shared.models.preact_resnet import PreActResNet18
from advfrontier.shared.models.small_cnn import SmallCNN

__all__ = ["MODELS", "Normalize", "PreActResNet18", "SmallCNN", "make_model"]
