"""REACT: Duan, Zhou, Li, "Fight Poison with Poison: Enhancing Robustness in Few-shot Machine-Generated Text
Detection with Adversarial Training", arXiv:2605.02374.

A few-shot MGT detector is trained against a retrieval-guided rewriter (the "poison"), a surrogate
detector that learns the target's decisions, and a pair-based contrastive loss. See README.md.
"""
