"""facilitator: run live community deliberation sessions from a terminal, with phones."""

__version__ = "0.1.0"
