"""The moderators' panel: the waiting room, the meeting's rules and actions on participants.

Shown only to moderators (those who joined with the moderator link, and the app that
hosts). It only shows the meeting core's snapshot and asks the controller; the host decides.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.call.session import MeetingSnapshot, Participant
from client.protocol.moderation import (
    Admit,
    AdmitAll,
    AllowMicrophone,
    Deny,
    EndMeeting,
    LockMeeting,
    LockMicrophones,
    LowerAllHands,
    ModerationAction,
    Mute,
    MuteAll,
    Remove,
    RenewLink,
    Role,
    SetRole,
    SetWaitingRoom,
)
from client.ui.person_menu import offer_person_menus, open_person_menu

_ID = Qt.ItemDataRole.UserRole


class ModerationPanel(QWidget):
    """Signals: actionRequested(ModerationAction)."""

    actionRequested = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName(self.tr("Moderation"))
        self._snapshot: MeetingSnapshot | None = None

        self.waiting = QListWidget()
        self.waiting.setAccessibleName(self.tr("Waiting room"))
        self.admit_button = self._button(self.tr("Let in"), self._admit)
        self.admit_all_button = self._button(
            self.tr("Let everyone in"), lambda: self._ask(AdmitAll(action="admit_all"))
        )
        self.deny_button = self._button(self.tr("Turn away"), self._deny)
        waiting_box = QGroupBox(self.tr("Waiting room"))
        waiting_column = QVBoxLayout(waiting_box)
        waiting_column.addWidget(self.waiting)
        waiting_row = QHBoxLayout()
        for button in (self.admit_button, self.admit_all_button, self.deny_button):
            waiting_row.addWidget(button)
        waiting_column.addLayout(waiting_row)

        self.lock_box = self._rule(self.tr("Lock the meeting (nobody new comes in)"))
        self.lock_box.toggled.connect(lambda on: self._ask(LockMeeting(action="lock", locked=on)))
        self.waiting_box = self._rule(self.tr("Newcomers wait until let in"))
        self.waiting_box.toggled.connect(
            lambda on: self._ask(SetWaitingRoom(action="waiting_room", enabled=on))
        )
        self.microphones_box = self._rule(self.tr("Only people you allow may unmute"))
        self.microphones_box.toggled.connect(
            lambda on: self._ask(LockMicrophones(action="lock_microphones", locked=on))
        )
        rules_box = QGroupBox(self.tr("This meeting"))
        rules_column = QVBoxLayout(rules_box)
        for box in (self.lock_box, self.waiting_box, self.microphones_box):
            rules_column.addWidget(box)

        self.people = QListWidget()
        self.people.setAccessibleName(self.tr("Participants to moderate"))
        self.mute_button = self._button(self.tr("Mute"), self._mute)
        self.mute_all_button = self._button(
            self.tr("Mute everyone"), lambda: self._ask(MuteAll(action="mute_all"))
        )
        self.allow_button = self._button(self.tr("Allow to speak"), self._allow)
        self.role_button = self._button(self.tr("Make moderator"), self._toggle_role)
        self.remove_button = self._button(self.tr("Remove"), self._remove)
        self.more_button = self._button(self.tr("More actions…"), self._more)
        self.more_button.setAccessibleDescription(self.tr("Actions for the chosen person"))
        self.hands_button = self._button(
            self.tr("Lower all hands"), lambda: self._ask(LowerAllHands(action="lower_all_hands"))
        )
        people_box = QGroupBox(self.tr("Participants"))
        people_column = QVBoxLayout(people_box)
        people_column.addWidget(self.people)
        for row in (
            (self.mute_button, self.mute_all_button, self.allow_button),
            (self.role_button, self.remove_button, self.more_button),
            (self.hands_button,),
        ):
            line = QHBoxLayout()
            for button in row:
                line.addWidget(button)
            people_column.addLayout(line)

        self.renew_button = self._button(
            self.tr("New participant link"), lambda: self._ask(RenewLink(action="renew_link"))
        )
        self.end_button = self._button(
            self.tr("End meeting for everyone"), lambda: self._ask(EndMeeting(action="end_meeting"))
        )
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)

        column = QVBoxLayout(self)
        column.addWidget(waiting_box)
        column.addWidget(rules_box)
        column.addWidget(people_box, 1)
        column.addWidget(self.renew_button)
        column.addWidget(self.end_button)
        column.addWidget(self.status)
        self.people.currentItemChanged.connect(lambda *_: self._update_buttons())
        offer_person_menus(self.people, lambda: self._snapshot, self._ask)
        self.waiting.currentItemChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    def focus_work(self) -> None:
        """Keyboard focus where a moderator is needed: who waits, else the participants."""
        chosen = self.waiting if self.waiting.count() else self.people
        chosen.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if chosen.currentRow() < 0 and chosen.count():
            chosen.setCurrentRow(0)

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text)
        button.clicked.connect(slot)
        return button

    def _rule(self, text: str) -> QCheckBox:
        box = QCheckBox(text)
        box.setAccessibleName(text)
        return box

    def _ask(self, action: ModerationAction) -> None:
        self.actionRequested.emit(action)

    # ---- the meeting as it is ---------------------------------------------------------

    def show_snapshot(self, snapshot: MeetingSnapshot) -> None:
        self._snapshot = snapshot
        for box, on in (
            (self.lock_box, snapshot.rules.locked),
            (self.waiting_box, snapshot.rules.waiting_room),
            (self.microphones_box, snapshot.rules.microphones_locked),
        ):
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)
        self._fill(self.waiting, [(pid, name) for pid, name in snapshot.waiting])
        allowed = set(snapshot.rules.microphone_allowed)
        self._fill(
            self.people,
            [
                (p.id, self._describe(p.display_name, p.role, p.media.audio, p.id in allowed))
                for p in snapshot.participants
            ],
        )
        self._update_buttons()

    def _describe(self, name: str, role: Role, audio: bool, allowed: bool) -> str:
        parts = [name]
        if role is Role.MODERATOR:
            parts.append(self.tr("moderator"))
        parts.append(self.tr("microphone on") if audio else self.tr("muted"))
        if allowed:
            parts.append(self.tr("may speak"))
        return " · ".join(parts)

    @staticmethod
    def _fill(widget: QListWidget, rows: list[tuple[str, str]]) -> None:
        chosen = widget.currentItem().data(_ID) if widget.currentItem() else None
        widget.blockSignals(True)
        widget.clear()
        for participant_id, text in rows:
            item = QListWidgetItem(text)  # plain text: names are shown as typed
            item.setData(_ID, participant_id)
            widget.addItem(item)
            if participant_id == chosen:
                widget.setCurrentItem(item)
        widget.blockSignals(False)

    def _chosen(self, widget: QListWidget) -> str | None:
        item = widget.currentItem()
        return str(item.data(_ID)) if item is not None else None

    def _update_buttons(self) -> None:
        person = self._chosen(self.people)
        waiting = self._chosen(self.waiting)
        for button in (
            self.mute_button,
            self.allow_button,
            self.role_button,
            self.remove_button,
            self.more_button,
        ):
            button.setEnabled(person is not None)
        for button in (self.admit_button, self.deny_button):
            button.setEnabled(waiting is not None)
        self.admit_all_button.setEnabled(self.waiting.count() > 0)
        chosen = self._participant(person)
        moderator = chosen is not None and chosen.role is Role.MODERATOR
        self.role_button.setText(
            self.tr("Make participant") if moderator else self.tr("Make moderator")
        )
        self.role_button.setAccessibleName(self.role_button.text())

    def _participant(self, participant_id: str | None) -> Participant | None:
        if self._snapshot is None or participant_id is None:
            return None
        return next((p for p in self._snapshot.participants if p.id == participant_id), None)

    # ---- actions on the chosen person -------------------------------------------------

    def _admit(self) -> None:
        if (target := self._chosen(self.waiting)) is not None:
            self._ask(Admit(action="admit", target=target))

    def _deny(self) -> None:
        if (target := self._chosen(self.waiting)) is not None:
            self._ask(Deny(action="deny", target=target))

    def _mute(self) -> None:
        if (target := self._chosen(self.people)) is not None:
            self._ask(Mute(action="mute", target=target))

    def _allow(self) -> None:
        if (target := self._chosen(self.people)) is not None:
            allowed = (
                self._snapshot is not None and target in self._snapshot.rules.microphone_allowed
            )
            self._ask(
                AllowMicrophone(action="allow_microphone", target=target, allowed=not allowed)
            )

    def _toggle_role(self) -> None:
        target = self._chosen(self.people)
        chosen = self._participant(target)
        if target is None or chosen is None:
            return
        role = Role.PARTICIPANT if chosen.role is Role.MODERATOR else Role.MODERATOR
        self._ask(SetRole(action="set_role", target=target, role=role))

    def _more(self) -> None:
        if (target := self._chosen(self.people)) is not None:
            open_person_menu(self.people, self._snapshot, target, self._ask)

    def _remove(self) -> None:
        if (target := self._chosen(self.people)) is not None:
            self._ask(Remove(action="remove", target=target))
