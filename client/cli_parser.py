"""The `runde` command line: its sub-commands and options (parsing only, nothing runs here)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from client import __version__
from client.link_source import add_link_arguments
from client.protocol.link import LinkForm


def _add_shared_options(parser: argparse.ArgumentParser, top_level: bool) -> None:
    """Options every form of ``runde`` takes, declared once.

    Given before or after the sub-command, they mean the same: a sub-command's parser only
    sets what was given to it (SUPPRESS), so ``runde --bind A host`` keeps ``A``.
    """

    def default(value: object) -> object:
        return value if top_level else argparse.SUPPRESS

    parser.add_argument(
        "--log-level",
        default=default("warning"),
        choices=["debug", "info", "warning", "error"],
    )
    parser.add_argument(
        "--bind",
        action="append",
        default=default([]),
        metavar="ADDR",
        help="gather ICE candidates only on this address (repeatable; 127.0.0.1 for loopback)",
    )
    parser.add_argument(
        "--ice-server",
        action="append",
        default=default([]),
        metavar="URL",
        help="STUN or TURN server (stun:, turn:, turns:); none by default",
    )
    parser.add_argument(
        "--turn-user", default=default(None), metavar="NAME", help="user name for TURN servers"
    )
    parser.add_argument(
        "--turn-password-env",
        default=default(None),
        metavar="VAR",
        help="environment variable holding the TURN password (never on the command line)",
    )


class _Append(argparse.Action):
    """Collects chat, hand and reaction options into one list, in command-line order."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        from client.headless.run import Chat, RaiseHand, React
        from client.protocol.modules import Reaction

        actions = list(getattr(namespace, self.dest, None) or [])
        text = values if isinstance(values, str) else ""
        if option_string == "--chat":
            actions.append(Chat(text))
        elif option_string == "--chat-to":
            name, separator, message = text.partition("=")
            if not separator or not name or not message:
                parser.error("--chat-to needs NAME=TEXT")
            actions.append(Chat(message, to_name=name))
        elif option_string == "--raise-hand":
            actions.append(RaiseHand())
        else:
            try:
                actions.append(React(Reaction(text)))
            except ValueError:
                parser.error(f"--react takes one of: {', '.join(r.value for r in Reaction)}")
        setattr(namespace, self.dest, actions)


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0.5 <= seconds <= 600:
        raise argparse.ArgumentTypeError("give between 0.5 and 600 seconds")
    return seconds


def _picture_height(text: str) -> int:
    if not text.isdigit() or not 16 <= int(text) <= 8192:
        raise argparse.ArgumentTypeError(f"{text!r} is not a picture height from 16 to 8192 rows")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="runde", description="Runde meetings")
    parser.add_argument("--version", action="version", version=f"runde {__version__}")
    parser.add_argument(
        "--no-prejoin", action="store_true", help="with --link: join without the pre-join view"
    )
    parser.add_argument(
        "--link", metavar="LINK", help="open this meeting link in the app (must come last)"
    )
    _add_shared_options(parser, top_level=True)
    parser.add_argument(
        "--listen",
        default="0.0.0.0",
        metavar="ADDR",
        help="where meetings hosted from the app accept participants",
    )
    commands = parser.add_subparsers(dest="command")

    host = commands.add_parser("host", help="host a meeting through the embedded SFU")
    host.add_argument("--headless", action="store_true", help="run without a window")
    host.add_argument("--port", type=int, default=0, help="signaling port (default: any free)")
    host.add_argument(
        "--listen",
        default=None,
        metavar="ADDR",
        help="signaling listen address (default: the --bind address, else all)",
    )
    host.add_argument(
        "--advertise",
        default=None,
        metavar="HOST",
        help="host name or address to put into the link",
    )
    host.add_argument("--link-form", choices=[f.value for f in LinkForm], default="https")
    host.add_argument(
        "--allow-multiple-presenters",
        action="store_true",
        help="let several participants share their screen at once (default: one at a time)",
    )
    host.add_argument(
        "--waiting-room",
        action="store_true",
        help="newcomers wait until a moderator lets them in (moderators never wait)",
    )
    host.add_argument(
        "--heartbeat",
        type=_positive_seconds,
        default=10.0,
        metavar="SECONDS",
        help="ping a silent participant after this long; drop it when no answer comes "
        "within half of it again (default 10)",
    )
    _add_shared_options(host, top_level=False)

    moderate = commands.add_parser(
        "moderate", help="carry out one moderator's action with a moderator link"
    )
    add_link_arguments(moderate, "the moderator link (it carries m=)")
    moderate.add_argument(
        "action", metavar="ACTION", help="admit, mute-all, lock, end … (see the README)"
    )
    moderate.add_argument("name", nargs="?", default=None, help="the participant it is about")
    _add_shared_options(moderate, top_level=False)

    join = commands.add_parser("join", help="join a meeting by its link")
    add_link_arguments(join, "the meeting link (https://… or runde://…)")
    join.add_argument(
        "--no-reconnect",
        action="store_true",
        help="exit (code 5) when the connection to the host is lost instead of reconnecting",
    )
    join.add_argument("--headless", action="store_true", help="run without a window")
    join.add_argument("--name", default="Runde", help="display name")
    join.add_argument(
        "--video",
        default="testsrc",
        help="testsrc[:WxH[@FPS]] | none | FILE (a video, or a picture sent as a still camera) "
        "| /dev/videoN",
    )
    join.add_argument("--audio", default="sine", help="sine[:HZ] | none | FILE | alsa:DEVICE")
    join.add_argument(
        "--duration",
        type=float,
        default=None,
        metavar="SECONDS",
        help="leave after this many seconds (default: until interrupted)",
    )
    join.add_argument(
        "--stats-json",
        type=Path,
        default=None,
        metavar="PATH",
        help="write received-frame statistics here on exit",
    )
    join.add_argument(
        "--max-height",
        type=_picture_height,
        default=None,
        metavar="ROWS",
        help="receive every camera at most this tall (the host picks the nearest smaller "
        "quality of cameras sent in several)",
    )
    join.add_argument(
        "--video-codec",
        choices=["VP8", "H264"],
        default="VP8",
        type=str.upper,
        help="the codec to send video in (receivers get what each sender sends)",
    )
    join.add_argument(
        "--stats-every",
        type=float,
        default=None,
        metavar="SECONDS",
        help="also rewrite the statistics file this often while in the meeting",
    )
    join.add_argument(
        "--share-screen",
        metavar="DISPLAY",
        default=None,
        help="share this whole X display (e.g. :99) as a second video stream",
    )
    join.add_argument(
        "--share-fps",
        type=int,
        default=10,
        choices=range(5, 16),
        metavar="5-15",
        help="pictures a second of the shared screen (default 10)",
    )
    join.add_argument(
        "--screen-snapshot",
        type=Path,
        default=None,
        metavar="PATH",
        help="on exit, save the last received shared-screen picture here as PNG",
    )
    join.add_argument(
        "--background",
        default=None,
        metavar="EFFECT",
        help="behind the person on the camera: none, blur, blur-strong, "
        "picture:office-wall|grey|blue, or a picture FILE (default: none)",
    )
    join.add_argument(
        "--video-snapshot",
        type=Path,
        default=None,
        metavar="DIR",
        help="on exit, save each remote's last received camera picture as DIR/NAME.png",
    )
    join.add_argument(
        "--chat",
        action=_Append,
        dest="actions",
        metavar="TEXT",
        help="send TEXT to everyone once joined (repeatable; sent in order)",
    )
    join.add_argument(
        "--chat-to",
        action=_Append,
        dest="actions",
        metavar="NAME=TEXT",
        help="send TEXT privately to the participant called NAME",
    )
    join.add_argument(
        "--raise-hand", action=_Append, nargs=0, dest="actions", help="raise the hand once joined"
    )
    join.add_argument(
        "--react",
        action=_Append,
        dest="actions",
        metavar="REACTION",
        help="send a reaction: thumbs_up, thumbs_down, heart, joy, smiling_face_with_tear, "
        "open_mouth, tada, clap",
    )
    join.set_defaults(actions=[])
    _add_shared_options(join, top_level=False)
    return parser
