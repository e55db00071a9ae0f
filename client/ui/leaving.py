"""Leaving a meeting: the host is asked first, because then the meeting ends for everyone."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from client.call.events import SessionState
from client.ui.controller import MeetingController


class LeaveGuard(QObject):
    """Leave buttons, keys and closing the window go through ``request``.

    A participant leaves at once. When this computer hosts the meeting, a question (not
    blocking the meeting) asks "End the meeting for everyone?"; only "End meeting for all"
    leaves, "Stay in the meeting", Escape or closing the question change nothing.
    """

    def __init__(self, controller: MeetingController, window: QWidget) -> None:
        super().__init__(window)
        self._controller = controller
        self._window = window
        self.question: QMessageBox | None = None
        controller.stateChanged.connect(self._state_changed)

    def must_ask(self) -> bool:
        return self._controller.hosting and self._controller.state is not SessionState.IDLE

    def request(self, leave: Callable[[], None] | None = None) -> None:
        """Leave (``leave``, by default the controller's), asking first when we host."""
        leave = leave or self._controller.leave
        if not self.must_ask():
            leave()
            return
        if self.question is not None:
            self.question.raise_()
            return
        question = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("End the meeting?"),
            self.tr("End the meeting for everyone?"),
            QMessageBox.StandardButton.NoButton,
            self._window,
        )
        question.setObjectName("end_meeting_question")
        question.setInformativeText(
            self.tr(
                "This computer hosts the meeting: when you leave, the meeting ends and "
                "everyone in it is disconnected."
            )
        )
        end = question.addButton(
            self.tr("End meeting for all"), QMessageBox.ButtonRole.DestructiveRole
        )
        stay = question.addButton(self.tr("Stay in the meeting"), QMessageBox.ButtonRole.RejectRole)
        question.setDefaultButton(stay)  # Enter does not end a meeting by accident
        question.setEscapeButton(stay)

        def answered() -> None:
            self.question = None
            ended = question.clickedButton() is end
            question.deleteLater()
            if ended:
                leave()

        question.finished.connect(answered)
        self.question = question
        question.open()

    def _state_changed(self, state: str, reason: str) -> None:
        # The meeting ended another way (connection lost): nothing is left to ask about.
        if state == SessionState.IDLE.value and self.question is not None:
            self.question.reject()
