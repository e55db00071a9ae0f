"""Entry point of the frozen app: the same as the `runde` command."""

from client.cli import main

raise SystemExit(main())
