"""The meeting's conversation, kept by the host for late joiners and reconnects."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from client.protocol.modules import CHAT_HISTORY_CHUNK, MAX_CHAT_HISTORY, ChatMessage


class ChatLog:
    """Room and private messages in order; each gets the next id, which never repeats."""

    def __init__(self, limit: int = MAX_CHAT_HISTORY) -> None:
        self._messages: deque[ChatMessage] = deque(maxlen=limit)
        self._next_id = 1

    def add(
        self,
        sender: tuple[str, str],
        text: str,
        to: tuple[str, str] | None = None,
    ) -> ChatMessage:
        """Record a message from ``sender`` (id, name), to ``to`` (id, name) when private."""
        message = ChatMessage(
            message="chat_message",
            id=self._next_id,
            sender=sender[0],
            sender_name=sender[1],
            to=to[0] if to else None,
            to_name=to[1] if to else None,
            text=text,
        )
        self._next_id += 1
        self._messages.append(message)
        return message

    def visible_to(self, participant_id: str) -> list[ChatMessage]:
        """Room messages, and the private ones this participant sent or received."""
        return [m for m in self._messages if m.to is None or participant_id in (m.sender, m.to)]

    def history_chunks(self, participant_id: str) -> Iterator[tuple[list[ChatMessage], bool]]:
        """What ``participant_id`` may read, in chunks; the flag marks the last chunk."""
        visible = self.visible_to(participant_id)
        if not visible:
            yield [], True
            return
        for start in range(0, len(visible), CHAT_HISTORY_CHUNK):
            chunk = visible[start : start + CHAT_HISTORY_CHUNK]
            yield chunk, start + CHAT_HISTORY_CHUNK >= len(visible)
