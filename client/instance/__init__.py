"""One Runde per user: a second start hands its link to the running app and ends."""
