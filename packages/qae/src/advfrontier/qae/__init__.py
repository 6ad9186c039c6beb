"""QAE++: quantum-autoencoder purification for quantum classifiers.

Reproduces Andrews, Sanjaya and Mishra, "Defending Quantum Classifiers against Adversarial Perturbations
through Quantum Autoencoders", arXiv:2604.28176 (2026). A quantum autoencoder trained on clean data only
purifies an input state by encode, reset of the trash qubits, decode; a confidence metric built from the
encoding (trash) fidelity and the classifier's logit difference flags inputs it cannot purify.

Threat model: L∞ perturbations of the [0, 1] image, before the amplitude encoding (the encoding is a layer
of the model), white-box on the classifier (and, as an extra check, on the whole defended pipeline).
"""
