"""MP-IB: mixed-precision information bottleneck, FP16 trait / INT4 state heads.

Joydeep Chandra, "Mixed-Precision Information Bottlenecks for On-Device Trait-State Disentanglement in
Bipolar Agitation Detection", arXiv:2605.03039. No code was released; what is implemented here follows the
abstract and an inferred design (see the package README's deviations table).
"""
