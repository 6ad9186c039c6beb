import pytest
import torch

from advfrontier.raat.augment import Augment


def _shift(x: torch.Tensor, dy: int, dx: int) -> torch.Tensor:
    """x moved by (dy, dx) with zeros shifted in (reference implementation)."""
    out = torch.zeros_like(x)
    h, w = x.shape[-2:]
    ys, yd = slice(max(0, -dy), min(h, h - dy)), slice(max(0, dy), min(h, h + dy))
    xs, xd = slice(max(0, -dx), min(w, w - dx)), slice(max(0, dx), min(w, w + dx))
    out[..., yd, xd] = x[..., ys, xs]
    return out


@pytest.mark.parametrize("pad", [1, 2])
def test_each_view_is_a_zero_filled_shift_within_pad(pad: int) -> None:
    x = torch.rand(40, 2, 8, 8) + 0.1  # no zeros inside, so a shift is identifiable
    view = Augment(pad=pad, flip=False)(x)
    shifts = [(dy, dx) for dy in range(-pad, pad + 1) for dx in range(-pad, pad + 1)]
    seen = set()
    for i in range(len(x)):
        hits = [s for s in shifts if torch.equal(view[i], _shift(x[i], *s))]
        assert len(hits) == 1, f"example {i} is not a shift of at most {pad} pixels"
        seen.add(hits[0])
    assert len(seen) > 1, "all examples got the same shift"


def test_flip_only_mirrors_and_no_pad_no_flip_is_identity() -> None:
    x = torch.rand(64, 3, 4, 4)
    assert torch.equal(Augment(pad=0, flip=False)(x), x)
    view = Augment(pad=0, flip=True)(x)
    flipped = torch.tensor([torch.equal(v, a.flip(-1)) for v, a in zip(view, x, strict=True)])
    same = torch.tensor([torch.equal(v, a) for v, a in zip(view, x, strict=True)])
    assert bool((flipped | same).all()) and 10 < int(flipped.sum()) < 54


def test_two_views_are_independent_and_in_range() -> None:
    x = torch.rand(32, 1, 8, 8)
    aug = Augment(pad=1, flip=False)
    a, b = aug(x), aug(x)
    assert not torch.equal(a, b)
    assert a.min() >= 0 and a.max() <= 1


def test_negative_pad_is_refused() -> None:
    with pytest.raises(ValueError, match="pad"):
        Augment(pad=-1)
