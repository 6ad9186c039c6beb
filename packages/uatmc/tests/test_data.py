"""MMRec format: round trip, the split rule, clear errors on missing files, planted structure."""

from __future__ import annotations

import numpy as np
import pytest

from advfrontier.shared.data import DataNotFoundError
from advfrontier.uatmc.data import load_mmrec, mmrec_split, synthetic_interactions, write_mmrec


def test_write_then_load_round_trips(tmp_path):
    inter, v, t, _ = synthetic_interactions(20, 15, 3, 8, 5, 0.1, 12, 1.0, True, seed=3)
    write_mmrec(tmp_path, "toy", inter, v, t)
    header = (tmp_path / "toy" / "toy.inter").read_text().splitlines()[0].split("\t")
    assert header == ["userID", "itemID", "rating", "timestamp", "x_label"]
    data = load_mmrec(tmp_path, "toy")
    for lab, got in ((0, data.train), (1, data.valid), (2, data.test)):
        np.testing.assert_array_equal(got, inter[inter[:, 2] == lab][:, :2])
    np.testing.assert_array_equal(data.v_feat, v)
    np.testing.assert_array_equal(data.t_feat, t)
    assert (data.n_users, data.n_items) == (20, 15)


def test_mmrec_split_rule():
    rng = np.random.default_rng(0)
    rows = mmrec_split([np.arange(5), np.arange(30)], rng)
    for u, n_val in ((0, 1), (1, 3)):
        labels = rows[rows[:, 0] == u][:, 2]
        assert (labels == 1).sum() == n_val and (labels == 2).sum() == n_val


@pytest.mark.parametrize("missing", ["toy.inter", "image_feat.npy", "text_feat.npy"])
def test_missing_file_names_it(tmp_path, missing):
    inter, v, t, _ = synthetic_interactions(10, 12, 3, 8, 5, 0.1, 8, 1.0, True, seed=0)
    write_mmrec(tmp_path, "toy", inter, v, t)
    (tmp_path / "toy" / missing).unlink()
    with pytest.raises(DataNotFoundError, match=missing.replace(".", r"\.")) as err:
        load_mmrec(tmp_path, "toy")
    assert "MMRec" in str(err.value)


def test_no_data_dir_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("ADVFRONTIER_DATA", raising=False)
    with pytest.raises(DataNotFoundError, match="--data-dir"):
        load_mmrec(None, "baby")


def test_two_groups_follow_their_modality():
    """Visual-group users pick items whose visual latent fits them; the text latent does not predict it."""
    n_users, n_items, k = 200, 120, 4
    inter, _, _, group = synthetic_interactions(n_users, n_items, k, 8, 5, 0.1, 10, 3.0, True, seed=1)
    rng = np.random.default_rng(1)  # same draws as the generator: z_v, z_t first
    z_v, z_t = rng.normal(size=(n_items, k)), rng.normal(size=(n_items, k))
    spread_v = np.mean(
        [z_v[inter[inter[:, 0] == u][:, 1]].mean(0).std() for u in range(n_users) if group[u] == 0]
    )
    spread_t = np.mean(
        [z_t[inter[inter[:, 0] == u][:, 1]].mean(0).std() for u in range(n_users) if group[u] == 0]
    )
    assert spread_v > 2 * spread_t  # a visual user's items share a visual direction, not a text one
