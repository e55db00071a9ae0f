"""The meeting modules' namespaces: ``chat``, ``raise_hands`` and ``reaction``.

Each module is a namespace of its own, as in OpenTalk: a host announces the modules it
offers in ``join_success.modules``, and a client shows only what the host offers.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from client.protocol.common import DisplayName, Identifier, TransactionId, _now, _Strict

MAX_CHAT_CHARACTERS = 4000
# The host keeps this many messages for late joiners; older ones are dropped first.
MAX_CHAT_HISTORY = 1000
# History goes out in chunks so no frame comes near the clients' 256 KiB frame limit.
CHAT_HISTORY_CHUNK = 16

ChatText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_CHAT_CHARACTERS)]


class Module(StrEnum):
    CHAT = "chat"
    RAISE_HANDS = "raise_hands"
    REACTION = "reaction"
    MODERATION = "moderation"


class Reaction(StrEnum):
    """OpenTalk's eight reactions."""

    THUMBS_UP = "thumbs_up"
    THUMBS_DOWN = "thumbs_down"
    HEART = "heart"
    JOY = "joy"
    SMILING_FACE_WITH_TEAR = "smiling_face_with_tear"
    OPEN_MOUTH = "open_mouth"
    TADA = "tada"
    CLAP = "clap"


# ---- chat ------------------------------------------------------------------------------


class SendMessage(_Strict):
    """A room-wide message (``to`` absent) or a private one to participant ``to``."""

    action: Literal["send_message"]
    text: ChatText
    to: Identifier | None = None


class ChatMessage(_Strict):
    """One message as the host delivers it; ``id`` rises by one per room message."""

    message: Literal["chat_message"]
    id: Annotated[int, Field(ge=1)]
    sender: Identifier
    sender_name: DisplayName
    to: Identifier | None = None
    to_name: DisplayName | None = None
    text: ChatText
    sent_at: datetime = Field(default_factory=_now)


class ChatHistory(_Strict):
    """Part of the conversation so far, sent after ``join_success`` (oldest first)."""

    message: Literal["chat_history"]
    messages: list[ChatMessage] = Field(max_length=CHAT_HISTORY_CHUNK)
    complete: bool


class ChatRequest(_Strict):
    namespace: Literal["chat"]
    transaction_id: TransactionId | None = None
    payload: SendMessage


class ChatNotice(_Strict):
    namespace: Literal["chat"] = "chat"
    transaction_id: TransactionId | None = None
    timestamp: datetime = Field(default_factory=_now)
    payload: Annotated[ChatMessage | ChatHistory, Field(discriminator="message")]


# ---- raise_hands -----------------------------------------------------------------------


class RaiseHand(_Strict):
    action: Literal["raise_hand"]


class LowerHand(_Strict):
    action: Literal["lower_hand"]


class HandsChanged(_Strict):
    """The raised hands in the order they were raised (sent whole after each change)."""

    message: Literal["hands"]
    queue: list[Identifier] = Field(max_length=1000)


class HandsRequest(_Strict):
    namespace: Literal["raise_hands"]
    transaction_id: TransactionId | None = None
    payload: Annotated[RaiseHand | LowerHand, Field(discriminator="action")]


class HandsNotice(_Strict):
    namespace: Literal["raise_hands"] = "raise_hands"
    transaction_id: TransactionId | None = None
    timestamp: datetime = Field(default_factory=_now)
    payload: HandsChanged


# ---- reaction --------------------------------------------------------------------------


class React(_Strict):
    action: Literal["react"]
    reaction: Reaction


class Reacted(_Strict):
    message: Literal["reaction"]
    participant_id: Identifier
    reaction: Reaction


class ReactionRequest(_Strict):
    namespace: Literal["reaction"]
    transaction_id: TransactionId | None = None
    payload: React


class ReactionNotice(_Strict):
    namespace: Literal["reaction"] = "reaction"
    transaction_id: TransactionId | None = None
    timestamp: datetime = Field(default_factory=_now)
    payload: Reacted


ModuleRequest = ChatRequest | HandsRequest | ReactionRequest
ModuleNotice = ChatNotice | HandsNotice | ReactionNotice
