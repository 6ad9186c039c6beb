"""MP-IB: mixed-precision information bottleneck, FP16 trait / INT4 state heads."""
