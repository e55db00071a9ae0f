"""The exit codes of the ``runde`` command, one list for every sub-command."""

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_JOIN_FAILED = 3
EXIT_SOURCE_FAILED = 4
EXIT_CONNECTION_LOST = 5
EXIT_POLICY = 6  # refused by the administrator policy, or the policy cannot be read
EXIT_REMOVED = 7  # a moderator removed this participant from the meeting
EXIT_REFUSED = 8  # `runde moderate`: the host refused the action, or nobody has that name
