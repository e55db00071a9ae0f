"""Where a sub-command's meeting link comes from: the command line, a file, or standard input.

A link on the command line is readable by every local user in ``/proc/PID/cmdline`` (and
``ps``) while the command runs; its secret admits anyone. ``--link-file`` keeps it off argv.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

# A link is a few hundred characters; a file much larger than this is not a link file.
MAX_LINK_FILE_BYTES = 16 * 1024


class LinkSourceError(ValueError):
    """The link could not be read; the text is one sentence naming the problem."""


def add_link_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    """The positional link and ``--link-file``, declared the same way for every sub-command."""
    parser.add_argument(
        "link", nargs="?", default=None, help=f"{what} (or give it with --link-file)"
    )
    parser.add_argument(
        "--link-file",
        metavar="PATH|-",
        default=None,
        help=f"read {what} from this file, or from standard input with '-' "
        "(keeps its secret out of the process list)",
    )


def link_text(args: argparse.Namespace) -> str:
    """The link from the command line or from ``--link-file``; raises LinkSourceError."""
    if args.link_file is None:
        if args.link is None:
            raise LinkSourceError("give the meeting link, or --link-file PATH (- for stdin)")
        return str(args.link)
    if args.link is not None:
        if args.command != "moderate" or args.name is not None:
            raise LinkSourceError(
                "give the meeting link either on the command line or with --link-file, not both"
            )
        # `runde moderate --link-file F mute Anna`: the positionals move up by one.
        args.action, args.name = args.link, args.action
    return read_link_file(args.link_file)


def read_link_file(name: str, stdin: TextIO | None = None) -> str:
    """The link in file ``name`` (``-``: standard input), surrounding whitespace removed."""
    where = "standard input" if name == "-" else f"the link file {name}"
    try:
        if name == "-":
            text = (stdin or sys.stdin).read(MAX_LINK_FILE_BYTES + 1)
        else:
            with Path(name).open(encoding="utf-8") as file:
                text = file.read(MAX_LINK_FILE_BYTES + 1)
    except FileNotFoundError:
        raise LinkSourceError(f"cannot read the meeting link: {where} does not exist") from None
    except IsADirectoryError:
        raise LinkSourceError(f"cannot read the meeting link: {where} is a directory") from None
    except UnicodeDecodeError:
        raise LinkSourceError(f"{where} is not text; it should hold one meeting link") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise LinkSourceError(f"cannot read the meeting link from {where}: {reason}") from None
    if len(text) > MAX_LINK_FILE_BYTES:
        raise LinkSourceError(f"{where} is too large to hold one meeting link")
    link = text.strip()
    if not link:
        raise LinkSourceError(f"{where} is empty; it should hold one meeting link")
    return link
