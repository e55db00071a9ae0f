"""The video part of the diagnostics: what the camera sends and what each tile shows."""

from __future__ import annotations

import time

from client.ui.video_tile import VideoTile


class VideoReport:
    """Per-second rates between two calls, so the diagnostics window shows current figures."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[float, int, int]] = {}

    def lines(self, tiles: list[VideoTile], camera_scale: float | None) -> list[str]:
        if camera_scale is None:
            lines = ["camera: off"]
        elif camera_scale < 1.0:
            lines = [
                f"camera: sends {round(camera_scale * 100)} % of its width and height"
                " (this computer cannot encode more now)"
            ]
        else:
            lines = ["camera: sends its full size"]
        now = time.monotonic()
        seen: dict[str, tuple[float, int, int]] = {}
        for tile in tiles:
            decoded = tile.source.frames_decoded if tile.source is not None else 0
            painted = tile.pictures_painted
            seen[tile.participant_id] = (now, decoded, painted)
            before = self._last.get(tile.participant_id)
            if before is None or now - before[0] <= 0:
                lines.append(f"{tile.name}: measuring…")
                continue
            seconds = now - before[0]
            height = tile.source.frame_height if tile.source is not None else None
            # a camera sent in layers: which one this tile gets
            rows = f" ({height} rows tall)" if height else ""
            lines.append(
                f"{tile.name}: {(decoded - before[1]) / seconds:.0f} pictures received{rows}, "
                f"{(painted - before[2]) / seconds:.0f} shown per second"
            )
        self._last = seen
        return lines
