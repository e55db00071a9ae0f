"""The room's refusals: a sentence for the participant and the protocol's error code."""

from __future__ import annotations

from client.protocol.common import ErrorCode


class RoomError(Exception):
    """A request the room refuses; the code and text go back to the participant."""

    def __init__(self, text: str, code: ErrorCode = ErrorCode.INVALID_MESSAGE) -> None:
        super().__init__(text)
        self.code = code
