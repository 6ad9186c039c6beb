"""UAT-MC: multimodal recommenders vs evasion-based promotion attacks."""
