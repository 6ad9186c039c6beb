"""QAE++: quantum-autoencoder purification for quantum classifiers."""
