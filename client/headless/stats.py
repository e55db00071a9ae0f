"""What a headless participant saw, for ``--stats-json``: pictures, sound, chat, hands."""

from __future__ import annotations

import json
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

import av
import numpy as np

from client.call.events import ChatEntry


@dataclass
class RemoteCounts:
    video_frames: int = 0
    video_keyframes: int = 0  # of video_frames, those decoded from a keyframe
    video_height: int | None = None  # of the last decoded picture
    # Of audio_frames, those the receive path filled in for lost packets (Opus FEC or PLC).
    audio_concealed_frames: int = 0
    # kbit/s: the estimate this participant's receiver reports to the SFU (REMB) for the video
    bitrate_estimate_kbps: int | None = None
    audio_frames: int = 0
    screen_frames: int = 0
    screen_size: tuple[int, int] | None = None
    audio_on: bool | None = None
    video_on: bool | None = None
    video_paused: bool = False  # its connection is too thin for video (it says so)
    video_pauses: int = 0  # how often it said so
    # the last second of received audio, to name the tone a remote is sending
    recent_audio: deque[np.ndarray] = field(default_factory=lambda: deque(maxlen=50))
    audio_rate: int = 48000

    def dominant_hz(self) -> float | None:
        if not self.recent_audio:
            return None
        samples = np.concatenate(list(self.recent_audio)).astype(np.float64)
        spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
        spectrum[0] = 0.0
        return round(float(np.argmax(spectrum)) * self.audio_rate / len(samples), 1)


@dataclass
class ParticipantStats:
    name: str
    started_at: float
    join_started_s: float | None = None  # from process start to asking to join
    first_remote_video_s: float | None = None
    first_remote_screen_s: float | None = None
    # keyed by participant id; names are resolved when the stats are written
    counts: dict[str, RemoteCounts] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    chat: list[ChatEntry] = field(default_factory=list)
    hands: tuple[str, ...] = ()
    reactions: Counter[str] = field(default_factory=Counter)  # by participant id
    errors: list[str] = field(default_factory=list)  # what the host refused, in order
    waited_s: float | None = None  # in the waiting room, until a moderator let us in
    muted_by_moderator: int = 0
    reconnects: int = 0  # lost connections the participant came back from
    video_pauses: int = 0  # our camera paused because the connection was too thin

    def counts_of(self, participant_id: str) -> RemoteCounts:
        return self.counts.setdefault(participant_id, RemoteCounts())

    def _name(self, participant_id: str) -> str:
        return self.names.get(participant_id, participant_id)

    def as_json(self) -> dict[str, object]:
        # A participant who left and rejoined has two ids: their visits add up by name.
        remotes: dict[str, dict[str, object]] = {}
        for participant_id, counts in self.counts.items():
            name = self._name(participant_id)
            before = remotes.get(name, {})
            entry: dict[str, object] = {
                "video_frames": counts.video_frames + _int(before.get("video_frames")),
                "video_keyframes": counts.video_keyframes + _int(before.get("video_keyframes")),
                "video_height": counts.video_height or before.get("video_height"),
                "audio_frames": counts.audio_frames + _int(before.get("audio_frames")),
                "audio_concealed_frames": counts.audio_concealed_frames
                + _int(before.get("audio_concealed_frames")),
                "screen_frames": counts.screen_frames + _int(before.get("screen_frames")),
                "audio_dominant_hz": counts.dominant_hz(),
                "bitrate_estimate_kbps": counts.bitrate_estimate_kbps
                or before.get("bitrate_estimate_kbps"),
            }
            if counts.screen_size is not None:
                entry["screen_width"], entry["screen_height"] = counts.screen_size
            if counts.audio_on is not None:
                entry["audio_on"], entry["video_on"] = counts.audio_on, counts.video_on
            entry["video_paused"] = counts.video_paused
            entry["video_pauses"] = counts.video_pauses + _int(before.get("video_pauses"))
            remotes[name] = {**before, **entry}
        reactions: Counter[str] = Counter()
        for participant_id, count in self.reactions.items():
            reactions[self._name(participant_id)] += count
        return {
            "name": self.name,
            "join_started_s": self.join_started_s,
            "first_remote_video_s": self.first_remote_video_s,
            "first_remote_screen_s": self.first_remote_screen_s,
            "remotes": remotes,
            "chat": [
                {"id": e.id, "from": e.sender_name, "to": e.to_name, "text": e.text}
                for e in self.chat
            ],
            "hands": [self._name(participant_id) for participant_id in self.hands],
            "reactions": dict(reactions),
            "errors": list(self.errors),
            "waited_s": self.waited_s,
            "muted_by_moderator": self.muted_by_moderator,
            "reconnects": self.reconnects,
            "video_pauses": self.video_pauses,
        }


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def save_screen_snapshot(path: Path, frame: av.VideoFrame) -> None:
    """The last received shared-screen picture as a PNG (for tests and demos)."""
    encoder = av.CodecContext.create("png", "w")
    encoder.width, encoder.height, encoder.pix_fmt = frame.width, frame.height, "rgb24"
    picture = frame.reformat(format="rgb24")
    data = b"".join(bytes(p) for p in [*encoder.encode(picture), *encoder.encode(None)])
    path.write_bytes(data)


def write_stats(path: Path, stats: ParticipantStats) -> None:
    # Written whole, then renamed: a reader polling the file never sees half of it.
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(stats.as_json(), indent=2) + "\n", encoding="utf-8")
    partial.replace(path)
