"""The client side of a meeting: session state, signaling and peer connections. No Qt."""
