"""UAT-MC: untargeted adversarial training with multimodal coordination against promotion attacks.

Xian, Yang, Yu, "Band Together: Untargeted Adversarial Training with Multimodal Coordination against
Evasion-based Promotion Attacks", IJCAI 2026 (arXiv 2605.06238). Backbones VBPR and MMGCN after MMRec.
"""
