"""What the meeting core knows about moderation: roles, the meeting's rules, who waits."""

from __future__ import annotations

from dataclasses import dataclass, field

from client.call import events
from client.protocol.moderation import Role


@dataclass(frozen=True)
class Rules:
    locked: bool = False
    waiting_room: bool = False
    microphones_locked: bool = False
    microphone_allowed: tuple[str, ...] = ()


@dataclass
class ModerationState:
    """Mutable, owned by the core on the media loop; snapshots copy it."""

    role: Role = Role.PARTICIPANT
    rules: Rules = field(default_factory=Rules)
    waiting: tuple[tuple[str, str], ...] = ()  # (id, name) in arrival order
    roles: dict[str, Role] = field(default_factory=dict)  # others' roles by id
    # the participant link's secret after a moderator renewed it
    renewed_secret: str | None = None

    @property
    def moderates(self) -> bool:
        return self.role is Role.MODERATOR

    def may_unmute(self, own_id: str | None) -> bool:
        rules = self.rules
        return (
            not rules.microphones_locked
            or self.moderates
            or (own_id is not None and own_id in rules.microphone_allowed)
        )

    def apply(
        self,
        event: events.MeetingRulesChanged
        | events.WaitingListChanged
        | events.RoleChanged
        | events.LinkRenewed,
        own_id: str | None,
    ) -> None:
        match event:
            case events.MeetingRulesChanged():
                self.rules = Rules(
                    event.locked,
                    event.waiting_room,
                    event.microphones_locked,
                    event.microphone_allowed,
                )
            case events.WaitingListChanged(waiting=waiting):
                self.waiting = waiting
            case events.RoleChanged(participant_id=who, role=role):
                if who == own_id:
                    self.role = role
                else:
                    self.roles[who] = role
            case events.LinkRenewed(secret=secret):
                self.renewed_secret = secret
