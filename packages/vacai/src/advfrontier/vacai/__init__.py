"""VAÇAÍ-Bowl + TOPPing: dependency parsing of unseen low-resource varieties.

Jinju Kim, Jung, Roh, Ko, Mortensen. "Harnessing Linguistic Dissimilarity for Language Generalization on
Unseen Low-Resource Varieties." CoNLL 2026, pp. 284–300 (arXiv:2605.04500). Only the abstract is public:
VAÇAÍ-Bowl (``vacai_bowl``) and TOPPing (``topping``) are reconstructions; see the package README.
"""
