"""The synthetic varieties are well-formed trees whose parameters really show in the data."""

from __future__ import annotations

from advfrontier.vacai.synth import RULES, SOURCES, draw_targets, generate, spell

TARGETS = draw_targets(0) + draw_targets(1)


def test_trees_are_single_rooted_and_acyclic() -> None:
    for v in SOURCES + TARGETS:
        for s in generate(v, 50, 1):
            assert s.heads.count(0) == 1 and s.deprels[s.heads.index(0)] == "root"
            for m in range(1, len(s) + 1):
                seen, x = set(), m
                while x != 0:
                    assert x not in seen
                    seen.add(x)
                    x = s.heads[x - 1]


def test_word_order_parameters_show_in_every_sentence() -> None:
    for v in SOURCES + TARGETS:
        for s in generate(v, 80, 2):
            verb = s.deprels.index("root")
            for i, d in enumerate(s.deprels):
                if d == "obj":
                    assert (i < verb) == v.obj_first
                if d == "nsubj":
                    assert (i < verb) == v.subj_first
                if d == "amod":
                    assert (i > s.heads[i] - 1) == v.adj_post
                if d == "case":
                    assert (i > s.heads[i] - 1) == v.postposition


def test_targets_are_held_out_drawn_per_seed_and_spelling_rules_apply() -> None:
    assert not {v.name for v in TARGETS} & {v.name for v in SOURCES}
    assert draw_targets(3) == draw_targets(3) and draw_targets(3) != draw_targets(4)
    source_rules = {k for v in SOURCES for k in v.rules}
    for v in (t for seed in range(10) for t in draw_targets(seed)):  # one spelling rule no source has
        assert set(v.rules) - source_rules and set(v.rules) - source_rules <= {6, 7}
    v = SOURCES[3]
    for old, _ in (RULES[k] for k in v.rules):
        if old not in "".join(new for _, new in (RULES[k] for k in v.rules)):
            assert old not in spell("kosetaieus", v)
    forms = {f for s in generate(v, 100, 0) for f in s.forms}
    assert not any("o" in f for f in forms)  # S3 rewrites every o to u
    assert v.particle in forms
