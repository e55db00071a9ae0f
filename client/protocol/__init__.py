"""Signaling messages shared by the SFU and the client: one versioned schema."""

PROTOCOL_VERSION = 2
