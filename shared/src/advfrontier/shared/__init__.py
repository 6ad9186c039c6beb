"""advfrontier.shared: attacks, data, baseline trainers, results format and the CLI.

Every paper package builds on this one; this package never imports a paper (papers register
through the ``advfrontier.papers`` entry-point group, see :mod:`advfrontier.shared.registry`).
"""

from advfrontier.shared.threat import ThreatModel

__all__ = ["ThreatModel"]
__version__ = "0.1.0"
