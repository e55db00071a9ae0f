"""The ``moderation`` namespace: what moderators may do, and what everyone is told of it.

Every action is checked by the host: a participant who is not a moderator gets
``error {code: forbidden}`` and nothing changes.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from client.protocol.common import ChosenName, DisplayName, Identifier, TransactionId, _now, _Strict


class Role(StrEnum):
    PARTICIPANT = "participant"
    MODERATOR = "moderator"


# ---- client -> server (moderators only) ------------------------------------------------


class Mute(_Strict):
    action: Literal["mute"]
    target: Identifier


class MuteAll(_Strict):
    action: Literal["mute_all"]


class LockMicrophones(_Strict):
    """Locked: only moderators and people a moderator allows may unmute."""

    action: Literal["lock_microphones"]
    locked: bool


class AllowMicrophone(_Strict):
    action: Literal["allow_microphone"]
    target: Identifier
    allowed: bool


class RequestCameraOff(_Strict):
    action: Literal["request_camera_off"]
    target: Identifier


class StopScreenShare(_Strict):
    action: Literal["stop_screen_share"]
    target: Identifier


class Remove(_Strict):
    action: Literal["remove"]
    target: Identifier


class LockMeeting(_Strict):
    action: Literal["lock"]
    locked: bool


class RenewLink(_Strict):
    """A new participant secret: the old link stops working; people inside stay."""

    action: Literal["renew_link"]


class SetWaitingRoom(_Strict):
    action: Literal["waiting_room"]
    enabled: bool


class Admit(_Strict):
    action: Literal["admit"]
    target: Identifier


class AdmitAll(_Strict):
    action: Literal["admit_all"]


class Deny(_Strict):
    action: Literal["deny"]
    target: Identifier


class Rename(_Strict):
    action: Literal["rename"]
    target: Identifier
    display_name: ChosenName


class LowerAllHands(_Strict):
    action: Literal["lower_all_hands"]


class SetRole(_Strict):
    action: Literal["set_role"]
    target: Identifier
    role: Role


class EndMeeting(_Strict):
    action: Literal["end_meeting"]


ModerationAction = Annotated[
    Mute
    | MuteAll
    | LockMicrophones
    | AllowMicrophone
    | RequestCameraOff
    | StopScreenShare
    | Remove
    | LockMeeting
    | RenewLink
    | SetWaitingRoom
    | Admit
    | AdmitAll
    | Deny
    | Rename
    | LowerAllHands
    | SetRole
    | EndMeeting,
    Field(discriminator="action"),
]


class ModerationRequest(_Strict):
    namespace: Literal["moderation"]
    transaction_id: TransactionId | None = None
    payload: ModerationAction


# ---- server -> client ------------------------------------------------------------------


class Waiting(_Strict):
    """To a newcomer: you are in the waiting room; nothing else follows until admitted."""

    message: Literal["waiting"]


class Denied(_Strict):
    """To a waiting newcomer: a moderator did not let you in (the connection closes)."""

    message: Literal["denied"]


class Removed(_Strict):
    """To the removed participant (the connection closes)."""

    message: Literal["removed"]


class Muted(_Strict):
    """To a participant a moderator muted: turn the microphone off."""

    message: Literal["muted"]


class CameraOffRequested(_Strict):
    message: Literal["camera_off_requested"]


class ScreenShareStopped(_Strict):
    """To the presenter: a moderator ended the screen share."""

    message: Literal["screen_share_stopped"]


class WaitingPerson(_Strict):
    id: Identifier
    display_name: DisplayName


class WaitingList(_Strict):
    """To moderators: who waits, in arrival order (sent whole after each change)."""

    message: Literal["waiting_list"]
    waiting: list[WaitingPerson] = Field(max_length=1000)


class MeetingSettings(_Strict):
    """To everyone, after joining and after each change."""

    message: Literal["settings"]
    locked: bool
    waiting_room: bool
    microphones_locked: bool
    # who may unmute while microphones are locked (besides the moderators)
    microphone_allowed: list[Identifier] = Field(default_factory=list, max_length=1000)


class RoleChanged(_Strict):
    message: Literal["role_changed"]
    participant_id: Identifier
    role: Role


class Renamed(_Strict):
    message: Literal["renamed"]
    participant_id: Identifier
    display_name: DisplayName


class Done(_Strict):
    """To the moderator who asked (same transaction id): the action was carried out."""

    message: Literal["done"]
    action: Annotated[str, Field(max_length=32)]


class LinkRenewed(_Strict):
    """To moderators: the participant link's new secret (the old one stops working)."""

    message: Literal["link_renewed"]
    secret: Annotated[str, Field(min_length=22, max_length=128)]


ModerationEvent = Annotated[
    Waiting
    | Denied
    | Removed
    | Muted
    | CameraOffRequested
    | ScreenShareStopped
    | WaitingList
    | MeetingSettings
    | RoleChanged
    | Renamed
    | Done
    | LinkRenewed,
    Field(discriminator="message"),
]


class ModerationNotice(_Strict):
    namespace: Literal["moderation"] = "moderation"
    transaction_id: TransactionId | None = None
    timestamp: datetime = Field(default_factory=_now)
    payload: ModerationEvent
