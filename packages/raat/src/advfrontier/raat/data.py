"""Data of every scale through the shared readers: bundled digits, or CIFAR-10/100 / Tiny-ImageNet from
a local directory (``--data-dir`` or ``$ADVFRONTIER_DATA``); nothing is downloaded.

Paper-scale layouts (the shared readers raise DataNotFoundError naming any missing file):
``<dir>/cifar-10-batches-py/{data_batch_1..5, test_batch}``, ``<dir>/cifar-100-python/{train, test}``,
``<dir>/tiny-imagenet-200/`` as extracted from the official zip.
"""

from __future__ import annotations

from advfrontier.raat.config import RaatConfig
from advfrontier.shared.data.catalog import load_image_dataset
from advfrontier.shared.data.splits import Split, Splits


def load_data(cfg: RaatConfig) -> tuple[Splits, Split]:
    """The splits (test split fixed by split seed 0, independent of the training seed) and the eval set."""
    data = load_image_dataset(cfg.dataset, cfg.data_dir, split_seed=0, val_size=cfg.val_size)
    if cfg.train_size is not None:
        train = data.train.subset(range(min(cfg.train_size, len(data.train))))
        data = Splits(train, data.val, data.test, data.num_classes)
    test = data.test
    if cfg.eval_size is not None:
        test = test.subset(range(min(cfg.eval_size, len(test))))
    return data, test
