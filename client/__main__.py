"""`python -m client` is the same as the `runde` command."""

from client.cli import main

raise SystemExit(main())
