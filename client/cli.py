"""The `runde` command: sub-commands for hosting and joining, headless or with the desktop UI."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from client import __version__
from client.exit_codes import EXIT_JOIN_FAILED, EXIT_OK, EXIT_POLICY, EXIT_USAGE
from client.link_source import LinkSourceError, add_link_arguments, link_text
from client.protocol.link import LinkError, LinkForm, parse_link

# Media and WebRTC load lazily: a second start that only hands its link to the running app
# must not pay for importing them.
if TYPE_CHECKING:
    from PySide6.QtCore import QLockFile

    from client.instance.location import InstanceLocation
    from client.netconfig import NetworkSettings
    from client.policy import Policy

logger = logging.getLogger(__name__)


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
        "--video", default="testsrc", help="testsrc[:WxH[@FPS]] | none | FILE | /dev/videoN"
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


def _network_settings(args: argparse.Namespace) -> NetworkSettings:
    import os

    from client.netconfig import IceServerSetting, NetworkSettings

    password = os.environ.get(args.turn_password_env) if args.turn_password_env else None
    servers = tuple(
        IceServerSetting(
            url=url,
            username=args.turn_user if url.startswith("turn") else None,
            credential=password if url.startswith("turn") else None,
        )
        for url in args.ice_server
    )
    return NetworkSettings(bind_addresses=tuple(args.bind), ice_servers=servers)


def _run_media_loop(main: Coroutine[Any, Any, int]) -> int:
    """asyncio.run, on the loop that reads UDP in batches (client/call/udp_loop.py)."""
    import asyncio

    from client.call.udp_loop import BatchReadingEventLoop

    with asyncio.Runner(loop_factory=BatchReadingEventLoop) as runner:
        return runner.run(main)


def _fail(code: int, text: str) -> int:
    print(f"runde: {text}", file=sys.stderr)
    return code


async def _host(args: argparse.Namespace, network: NetworkSettings) -> int:
    import asyncio

    from client.headless import run_host
    from client.headless.run import install_stop_signals
    from client.sfu.server import ServerSettings

    listen = args.listen or (network.bind_addresses[0] if network.bind_addresses else "0.0.0.0")
    settings = ServerSettings(
        listen_host=listen,
        port=args.port,
        advertised_host=args.advertise,
        network=network,
        allow_multiple_presenters=args.allow_multiple_presenters,
        heartbeat_seconds=args.heartbeat,
    )
    stop = asyncio.Event()
    install_stop_signals(stop)
    try:
        await run_host(
            settings, LinkForm(args.link_form), stop, sys.stdout, waiting_room=args.waiting_room
        )
    except OSError as exc:
        return _fail(EXIT_USAGE, f"cannot listen on {listen}:{args.port}: {exc.strerror or exc}")
    return EXIT_OK


async def _join(
    args: argparse.Namespace, network: NetworkSettings, started_at: float, policy: Policy
) -> int:
    from client.headless import ShareSettings
    from client.headless.run import JoinOptions, join_headless

    try:
        link = parse_link(link_text(args))
    except LinkSourceError as exc:
        return _fail(EXIT_USAGE, str(exc))
    except LinkError as exc:
        return _fail(EXIT_USAGE, f"bad meeting link: {exc}")
    refusal = policy.link_refusal(link.host) or (
        policy.screen_sharing_refusal() if args.share_screen else None
    )
    if refusal is not None:
        return _fail(EXIT_POLICY, refusal)
    options = JoinOptions(
        link=link,
        name=args.name,
        video=args.video,
        audio=args.audio,
        video_codec=args.video_codec,
        duration=args.duration,
        stats_json=args.stats_json,
        stats_every=args.stats_every,
        share=ShareSettings(args.share_screen, args.share_fps) if args.share_screen else None,
        screen_snapshot=args.screen_snapshot,
        actions=tuple(args.actions),
        reconnect=not args.no_reconnect,
    )
    return await join_headless(options, network, started_at)


def _moderate(args: argparse.Namespace, network: NetworkSettings) -> int:
    from client.headless.moderate import ACTIONS, moderate
    from client.policy import load_policy

    try:
        text = link_text(args)
    except LinkSourceError as exc:
        return _fail(EXIT_USAGE, str(exc))
    if args.action not in ACTIONS:
        return _fail(EXIT_USAGE, f"unknown action {args.action!r}; one of: {', '.join(ACTIONS)}")
    try:
        link = parse_link(text)
    except LinkError as exc:
        return _fail(EXIT_USAGE, f"bad meeting link: {exc}")
    policy = load_policy()
    refusal = policy.problem_sentence or policy.link_refusal(link.host)
    if refusal is not None:
        return _fail(EXIT_POLICY, refusal)
    form = LinkForm.RUNDE if text.startswith("runde:") else LinkForm.HTTPS
    return _run_media_loop(moderate(link, form, args.action, args.name, policy.network(network)))


def check_link_argument(argv: Sequence[str]) -> str | None:
    """The OS link handler puts the link last, after ``--link``; anything else is refused.

    Checked on the raw arguments before argparse, so a crafted link cannot smuggle options
    in (``runde --link "x" --evil``).
    """
    if "--link" not in argv:
        return None
    position = list(argv).index("--link")
    if position != len(argv) - 2 or argv[-1].startswith("-"):
        return "--link must be the last option and be followed by exactly one link"
    return None


def _run_gui(args: argparse.Namespace) -> int:
    """Start the app, or hand the link to the Runde this user already runs."""
    from client.instance.handoff import claim, hand_over
    from client.instance.location import LocationError, instance_location
    from client.instance.messages import HandoffError, OpenRequest

    if args.link is not None:
        try:
            parse_link(args.link)
        except LinkError as exc:
            return _fail(EXIT_USAGE, f"bad meeting link: {exc}")
    instance: tuple[InstanceLocation, QLockFile] | None = None
    try:
        location = instance_location()
        lock = claim(location)
    except LocationError as exc:
        print(f"runde: running without single-instance link handoff: {exc}", file=sys.stderr)
    else:
        if lock is None:
            request = OpenRequest(link=args.link, prejoin=not args.no_prejoin)
            try:
                reply = hand_over(location, request)
            except HandoffError as exc:
                return _fail(EXIT_JOIN_FAILED, f"Runde is already running but: {exc}")
            if not reply.ok:
                return _fail(EXIT_USAGE, f"the running Runde refused the link: {reply.error}")
            return EXIT_OK
        instance = (location, lock)
    network = _checked_network_settings(args)
    if network is None:
        return EXIT_USAGE
    from client.app import GuiOptions, run
    from client.policy import load_policy

    policy = load_policy()

    return run(
        GuiOptions(
            network=policy.network(network),
            link=args.link,
            prejoin=not args.no_prejoin,
            listen_host=args.listen,
            log_level=args.log_level,
            instance=instance,
            policy=policy,
        )
    )


def _checked_network_settings(args: argparse.Namespace) -> NetworkSettings | None:
    from client.netconfig import NetworkSettingsError, apply_bind_addresses

    try:
        network = _network_settings(args)
    except NetworkSettingsError as exc:
        _fail(EXIT_USAGE, str(exc))
        return None
    apply_bind_addresses(network.bind_addresses)
    return network


def main(argv: Sequence[str] | None = None) -> int:
    started_at = time.monotonic()
    arguments = list(sys.argv[1:] if argv is None else argv)
    problem = check_link_argument(arguments)
    if problem is not None:
        return _fail(EXIT_USAGE, problem)
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.command is None:
        return _run_gui(args)
    network = _checked_network_settings(args)
    if network is None:
        return EXIT_USAGE
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.command == "moderate":
        return _moderate(args, network)
    if not args.headless:
        return _fail(
            EXIT_USAGE,
            f"'runde {args.command}' needs --headless; in the app use Start meeting or Join",
        )
    from client.policy import load_policy

    policy = load_policy()
    refusal = policy.problem_sentence or (
        policy.hosting_refusal() if args.command == "host" else None
    )
    if refusal is not None:
        return _fail(EXIT_POLICY, refusal)
    network = policy.network(network)
    if args.command == "host":
        return _run_media_loop(_host(args, network))
    return _run_media_loop(_join(args, network, started_at, policy))
