"""Data: bundled digits by default; readers for real data sets from a local directory only.

Nothing here downloads. Real readers look in ``data_dir`` (or ``$ADVFRONTIER_DATA``) and raise
:class:`DataNotFoundError` naming the missing file, where to get it and where to put it.
"""

from advfrontier.shared.data.catalog import DATASETS, load_image_dataset
from advfrontier.shared.data.cifar import read_cifar10, read_cifar100
from advfrontier.shared.data.digits import load_digits_splits
from advfrontier.shared.data.errors import DataNotFoundError, resolve_data_dir
from advfrontier.shared.data.idx import read_idx, read_mnist
from advfrontier.shared.data.longtail import long_tail_counts, long_tail_indices
from advfrontier.shared.data.packaged import mnist
from advfrontier.shared.data.splits import Split, Splits, split_indices
from advfrontier.shared.data.tinyimagenet import read_tiny_imagenet

__all__ = [
    "DATASETS",
    "DataNotFoundError",
    "Split",
    "Splits",
    "load_digits_splits",
    "load_image_dataset",
    "long_tail_counts",
    "long_tail_indices",
    "mnist",
    "read_cifar10",
    "read_cifar100",
    "read_idx",
    "read_mnist",
    "read_tiny_imagenet",
    "resolve_data_dir",
    "split_indices",
]
