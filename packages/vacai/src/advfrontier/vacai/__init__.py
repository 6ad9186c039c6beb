"""VACAI-Bowl + TOPPing: dependency parsing on unseen low-resource varieties."""
