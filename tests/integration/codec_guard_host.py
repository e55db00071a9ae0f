"""Runs `runde host --headless` with every codec factory wrapped, and reports their use.

Usage: python -m tests.integration.codec_guard_host REPORT.json [host options...]
On exit REPORT.json lists each creation of an encoder, decoder or codec context.
"""

from __future__ import annotations

import atexit
import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiortc.codecs
import aiortc.rtcrtpreceiver
import aiortc.rtcrtpsender
import av

created: list[dict[str, str]] = []


def _recording(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        created.append({"factory": name, "where": "".join(traceback.format_stack(limit=6))})
        return original(*args, **kwargs)

    return wrapper


def install() -> None:
    aiortc.codecs.get_encoder = _recording("get_encoder", aiortc.codecs.get_encoder)
    aiortc.codecs.get_decoder = _recording("get_decoder", aiortc.codecs.get_decoder)
    aiortc.rtcrtpsender.get_encoder = aiortc.codecs.get_encoder  # type: ignore[attr-defined]
    aiortc.rtcrtpreceiver.get_decoder = aiortc.codecs.get_decoder  # type: ignore[attr-defined]
    av.CodecContext.create = staticmethod(  # type: ignore[method-assign]
        _recording("av.CodecContext.create", av.CodecContext.create)
    )
    av.open = _recording("av.open", av.open)  # type: ignore[assignment]


def main() -> int:
    report = Path(sys.argv[1])
    install()
    atexit.register(lambda: report.write_text(json.dumps(created)))
    from client.cli import main as runde_main

    return runde_main(["--log-level", "info", "host", "--headless", *sys.argv[2:]])


if __name__ == "__main__":
    raise SystemExit(main())
