"""Runde: a sovereign desktop meeting client with an embedded SFU."""

__version__ = "0.1.0"
