"""Chat, raised hands and reactions in the main window.

Connects the controller's module events to the meeting view (the chat panel, the unread count
on the chat button, a notice of new messages, hand marks and reaction badges) and the view's
buttons and the window's shortcuts to the controller. The host sends our own messages,
hands and reactions back to us: they are shown when they come back, never added here.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from client.call.events import ChatEntry, SessionState
from client.call.session import MeetingSnapshot
from client.protocol.moderation import Role
from client.protocol.modules import Module
from client.ui.chat_panel import ChatToast, notice_text
from client.ui.controller import MeetingController
from client.ui.meeting_view import (
    CHAT_KEYS,
    HAND_KEYS,
    REACTIONS_KEYS,
    SELF_ID,
    MeetingView,
    label_button,
)
from client.ui.reactions import ReactionMenu, parse_reaction


class MeetingModulesUi(QObject):
    """Owned by the meeting view; ``unread`` counts messages since the chat was closed."""

    def __init__(self, controller: MeetingController, view: MeetingView) -> None:
        super().__init__(view)
        self._controller = controller
        self._view = view
        self.chat_open = False
        self.unread = 0
        self.menu = ReactionMenu(view)
        self.toast = ChatToast(view)
        # Shortcuts as actions of the meeting view: they work wherever the focus is in the
        # window while the meeting is shown, and no button text can drop them.
        self.chat_action = self._action(self.tr("Show or hide the chat"), CHAT_KEYS)
        self.chat_action.triggered.connect(self.toggle_chat)
        self.hand_action = self._action(self.tr("Raise or lower your hand"), HAND_KEYS)
        self.hand_action.triggered.connect(self.toggle_hand)
        self.reactions_action = self._action(self.tr("React"), REACTIONS_KEYS)
        self.reactions_action.triggered.connect(self.open_reactions)

        panel = view.chat_panel
        view.chat_button.clicked.connect(self.toggle_chat)
        view.hand_button.clicked.connect(self.toggle_hand)
        view.reactions_button.clicked.connect(self.open_reactions)
        panel.closeRequested.connect(lambda: self.set_chat_open(False))
        view.side_panel.changed.connect(self._side_panel_changed)
        panel.sendRequested.connect(controller.commands.send_chat)
        self.menu.chosen.connect(self._react)
        self.toast.clicked.connect(lambda: self.set_chat_open(True))
        controller.chatReceived.connect(self._chat_received)
        controller.handsChanged.connect(self._hands_changed)
        controller.reactionReceived.connect(self._reaction_received)
        controller.snapshotChanged.connect(self._snapshot_changed)
        controller.stateChanged.connect(self._state_changed)
        controller.problem.connect(panel.message_refused)
        self._offer(frozenset())
        self._show_hand(False)

    def _action(self, text: str, keys: str) -> QAction:
        action = QAction(text, self._view)
        action.setShortcut(QKeySequence(keys))
        self._view.addAction(action)
        return action

    # ---- commands -----------------------------------------------------------------------

    def toggle_chat(self) -> None:
        self.set_chat_open(not self.chat_open)

    def set_chat_open(self, open_: bool) -> None:
        view = self._view
        panel = view.chat_panel
        had_focus = panel.isAncestorOf(view.focusWidget()) if view.focusWidget() else False
        if open_:
            view.side_panel.show_page(panel)
            panel.input.setFocus()
        else:
            view.side_panel.hide_page(panel)
            if had_focus:
                view.chat_button.setFocus()
        self._side_panel_changed()

    def _side_panel_changed(self) -> None:
        """The chat tab shown or not (a key, a button, another tab, the panel closed)."""
        self.chat_open = self._view.side_panel.is_showing(self._view.chat_panel)
        if self.chat_open:
            self.unread = 0
            self.toast.hide()
        self._show_chat_button()

    def toggle_hand(self) -> None:
        raised = self._hand_raised()
        self._controller.commands.set_hand(not raised)
        # The button changes when the host's queue comes back, not before: a refused
        # request (too fast, connection lost) must not leave it showing a raised hand.
        self._show_hand(raised)

    def open_reactions(self) -> None:
        if self.reactions_action.isEnabled():
            self.menu.open_at(self._view.reactions_button)

    def _react(self, value: str) -> None:
        reaction = parse_reaction(value)
        if reaction is not None:
            self._controller.commands.react(reaction)

    # ---- from the meeting ---------------------------------------------------------------

    def _own_id(self) -> str | None:
        snapshot = self._controller.snapshot
        return snapshot.participant_id if snapshot is not None else None

    def _tile_id(self, participant_id: str) -> str:
        return SELF_ID if participant_id == self._own_id() else participant_id

    def _hand_raised(self) -> bool:
        snapshot = self._controller.snapshot
        return snapshot is not None and snapshot.participant_id in snapshot.hands

    def _chat_received(self, entry: ChatEntry, history: bool) -> None:
        panel = self._view.chat_panel
        panel.set_own_id(self._own_id())
        panel.add_entry(entry)
        if history or self.chat_open or entry.sender_id == self._own_id():
            return
        self.unread += 1
        self._show_chat_button()
        stage = self._view.stage.geometry()
        self.toast.show_text(notice_text(entry), (stage.right() - 8, stage.bottom() - 8))

    def _hands_changed(self, queue: tuple[str, ...]) -> None:
        self._view.set_hands([self._tile_id(participant_id) for participant_id in queue])
        self._show_hand(self._own_id() in queue)

    def _reaction_received(self, participant_id: str, value: str) -> None:
        reaction = parse_reaction(value)
        if reaction is not None:
            self._view.show_reaction(self._tile_id(participant_id), reaction)

    def _snapshot_changed(self, snapshot: MeetingSnapshot) -> None:
        panel = self._view.chat_panel
        panel.set_own_id(snapshot.participant_id)
        panel.set_participants([(p.id, p.display_name) for p in snapshot.participants])
        self._offer(snapshot.modules)
        people = self._view.participant_list
        for person in snapshot.participants:
            tile = self._view.tiles.get(person.id)
            if tile is not None and tile.name != person.display_name:  # renamed by a moderator
                tile.set_name(person.display_name)
                people.rename(person.id, person.display_name)
            people.set_state(
                person.id, person.media.audio, person.media.video, person.role is Role.MODERATOR
            )
        people.set_state(
            SELF_ID, snapshot.media.audio, snapshot.media.video, snapshot.role is Role.MODERATOR
        )
        people.setAccessibleName(
            self.tr("Participants (%1)").replace("%1", str(len(snapshot.participants) + 1))
        )

    def _state_changed(self, state: str, reason: str) -> None:
        if (state == SessionState.JOINING.value and self._controller.snapshot is None) or (
            state == SessionState.IDLE.value
        ):
            self._reset()

    def _reset(self) -> None:
        """Another meeting: no messages, nothing unread, no hand, nothing offered yet."""
        self.unread = 0
        self.toast.hide()
        self.menu.hide()
        self._view.chat_panel.clear()
        self.set_chat_open(False)
        self._offer(frozenset())
        self._show_hand(False)

    # ---- the buttons --------------------------------------------------------------------

    def _offer(self, modules: frozenset[Module]) -> None:
        """Only what the host offers can be used."""
        view = self._view
        for module, button, action in (
            (Module.CHAT, view.chat_button, self.chat_action),
            (Module.RAISE_HANDS, view.hand_button, self.hand_action),
            (Module.REACTION, view.reactions_button, self.reactions_action),
        ):
            button.setEnabled(module in modules)
            action.setEnabled(module in modules)
        if Module.CHAT not in modules and self.chat_open:
            self.set_chat_open(False)

    def _show_chat_button(self) -> None:
        button = self._view.chat_button
        button.setChecked(self.chat_open)
        if self.unread and not self.chat_open:
            count = str(self.unread)
            label_button(button, self.tr("Chat (%1)").replace("%1", count), CHAT_KEYS)
            button.setAccessibleName(
                self.tr("Chat, %1 unread (%2)").replace("%1", count).replace("%2", CHAT_KEYS)
            )
        else:
            label_button(button, self.tr("Chat"), CHAT_KEYS)

    def _show_hand(self, raised: bool) -> None:
        button = self._view.hand_button
        button.setChecked(raised)
        text = self.tr("Lower hand") if raised else self.tr("Raise hand")
        label_button(button, text, HAND_KEYS)
