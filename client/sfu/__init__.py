"""The embedded SFU: signaling server, rooms and RTP forwarding. Never imports Qt."""
