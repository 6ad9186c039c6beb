"""Eisner's O(n³) decoder: the best projective tree with exactly one child of the root.

DialectBench decodes greedily (argmax head per word), which may give cycles or several roots; the
CoNLL 2018 scorer rejects such files, so we decode into well-formed trees (a deviation, README).
"""

from __future__ import annotations

import numpy as np

_NEG = -1e18


def eisner(scores: np.ndarray) -> list[int]:
    """Heads (1-based, 0 = root) of the best single-rooted projective tree.

    ``scores[h, m]`` is the score of the arc h → m over positions 0..n (0 is the root).
    """
    n = scores.shape[0] - 1
    if scores.shape != (n + 1, n + 1) or n < 1:
        raise ValueError(f"scores must be (n+1, n+1) with n >= 1, got {scores.shape}")
    s = np.asarray(scores, dtype=np.float64)
    # complete / incomplete spans over words 1..n; [i, j] with i <= j; L: head j, R: head i
    cl = np.full((n + 2, n + 2), _NEG)
    cr = np.full((n + 2, n + 2), _NEG)
    il = np.full((n + 2, n + 2), _NEG)
    ir = np.full((n + 2, n + 2), _NEG)
    bcl = np.zeros((n + 2, n + 2), dtype=np.int64)
    bcr = np.zeros((n + 2, n + 2), dtype=np.int64)
    bi = np.zeros((n + 2, n + 2), dtype=np.int64)
    for i in range(1, n + 1):
        cl[i, i] = cr[i, i] = 0.0
    for k in range(1, n):
        for i in range(1, n - k + 1):
            j = i + k
            split = cr[i, i:j] + cl[i + 1 : j + 1, j]
            r = int(np.argmax(split))
            bi[i, j] = i + r
            il[i, j] = split[r] + s[j, i]
            ir[i, j] = split[r] + s[i, j]
            left = cl[i, i:j] + il[i:j, j]
            r = int(np.argmax(left))
            bcl[i, j], cl[i, j] = i + r, left[r]
            right = ir[i, i + 1 : j + 1] + cr[i + 1 : j + 1, j]
            r = int(np.argmax(right))
            bcr[i, j], cr[i, j] = i + 1 + r, right[r]
    roots = [s[0, r] + cl[1, r] + cr[r, n] for r in range(1, n + 1)]
    root = 1 + int(np.argmax(roots))
    heads = [0] * (n + 1)
    heads[root] = 0

    def complete(i: int, j: int, left: bool) -> None:
        if i == j:
            return
        if left:  # head j covers i..j: C[i, r, L] + I[r, j, L]
            r = int(bcl[i, j])
            complete(i, r, True)
            incomplete(r, j, True)
        else:  # head i covers i..j: I[i, r, R] + C[r, j, R]
            r = int(bcr[i, j])
            incomplete(i, r, False)
            complete(r, j, False)

    def incomplete(i: int, j: int, left: bool) -> None:
        if left:
            heads[i] = j
        else:
            heads[j] = i
        r = int(bi[i, j])
        complete(i, r, False)
        complete(r + 1, j, True)

    complete(1, root, True)
    complete(root, n, False)
    return heads[1:]


def tree_score(scores: np.ndarray, heads: list[int]) -> float:
    """Sum of the arc scores of a tree given by its heads."""
    return float(sum(scores[h, m + 1] for m, h in enumerate(heads)))
