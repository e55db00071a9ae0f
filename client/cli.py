"""The `runde` command: sub-commands for hosting and joining, headless or with the desktop UI."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Coroutine, Sequence
from typing import TYPE_CHECKING, Any

from client.cli_parser import build_parser
from client.exit_codes import EXIT_JOIN_FAILED, EXIT_OK, EXIT_POLICY, EXIT_USAGE
from client.link_source import LinkSourceError, link_text
from client.protocol.link import LinkError, LinkForm, parse_link

# Media and WebRTC load lazily: a second start that only hands its link to the running app
# must not pay for importing them.
if TYPE_CHECKING:
    from PySide6.QtCore import QLockFile

    from client.instance.location import InstanceLocation
    from client.netconfig import NetworkSettings
    from client.policy import Policy

logger = logging.getLogger(__name__)


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
    from client.media.background.choice import BackgroundChoiceError, background_argument

    try:
        link = parse_link(link_text(args))
    except LinkSourceError as exc:
        return _fail(EXIT_USAGE, str(exc))
    except LinkError as exc:
        return _fail(EXIT_USAGE, f"bad meeting link: {exc}")
    try:
        background = background_argument(args.background, policy.locked.background)
    except BackgroundChoiceError as exc:
        return _fail(EXIT_USAGE, f"--background: {exc}")
    refusal = (
        policy.link_refusal(link.host)
        or (policy.screen_sharing_refusal() if args.share_screen else None)
        or policy.background_refusal(background.text())
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
        max_height=args.max_height,
        share=ShareSettings(args.share_screen, args.share_fps) if args.share_screen else None,
        screen_snapshot=args.screen_snapshot,
        video_snapshot=args.video_snapshot,
        background=background,
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
