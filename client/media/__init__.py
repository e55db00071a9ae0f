"""Capture, playout and conversions of audio and video."""
