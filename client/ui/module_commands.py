"""Chat, hands, reactions and moderation from the window, through the meeting core.

A refusal comes back as one sentence in the user's language on the controller's ``problem``
signal. The texts keep the controller's translation context.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, assert_never

from PySide6.QtCore import QCoreApplication

from client.call.backend import ModuleUnavailable
from client.call.session import ChatError, ChatProblem, MeetingSession, ModerationRefused
from client.protocol.moderation import ModerationAction
from client.protocol.modules import Reaction
from client.ui.refusals import moderation_refusal_text

Command = Callable[[MeetingSession], Coroutine[Any, Any, None]]


class ModuleCommands:
    """Owned by the controller; ``run`` awaits a command where the session lives."""

    def __init__(
        self,
        session: Callable[[], MeetingSession | None],
        spawn: Callable[[Awaitable[None]], None],
        run: Callable[[Coroutine[Any, Any, None]], Awaitable[None]],
        problem: Callable[[str], None],
    ) -> None:
        self._session = session
        self._spawn = spawn
        self._run = run
        self._problem = problem

    def send_chat(self, text: str, to: str | None = None) -> None:
        """To everyone, or privately to participant ``to``."""
        self._spawn(self._call(lambda s: s.send_chat(text, to)))

    def set_hand(self, raised: bool) -> None:
        self._spawn(self._call(lambda s: s.set_hand(raised)))

    def react(self, reaction: Reaction) -> None:
        self._spawn(self._call(lambda s: s.react(reaction)))

    def moderate(self, action: ModerationAction) -> None:
        self._spawn(self._call(lambda s: s.moderate(action)))

    async def _call(self, command: Command) -> None:
        session = self._session()
        if session is None:
            return
        try:
            await self._run(command(session))
        except ChatError as exc:
            self._problem(chat_problem_text(exc.problem))
        except ModerationRefused as exc:
            self._problem(
                QCoreApplication.translate(
                    "MeetingController", "A moderator's action was refused: %1"
                ).replace("%1", moderation_refusal_text(exc.code, str(exc)))
            )
        except ModuleUnavailable:
            self._problem(
                QCoreApplication.translate(
                    "MeetingController", "This meeting's server offers no chat, hands or reactions."
                )
            )
        except ConnectionError:
            self._problem(
                QCoreApplication.translate(
                    "MeetingController", "Not sent: the connection to the meeting is interrupted."
                )
            )


def chat_problem_text(problem: ChatProblem) -> str:
    match problem:
        case ChatProblem.NOT_CONNECTED:
            return QCoreApplication.translate(
                "MeetingController", "You are not connected to the meeting."
            )
        case ChatProblem.EMPTY:
            return QCoreApplication.translate("MeetingController", "The message is empty.")
        case ChatProblem.TOO_LONG:
            return QCoreApplication.translate(
                "MeetingController", "A message can have at most 4,000 characters."
            )
        case ChatProblem.ADDRESSEE_GONE:
            return QCoreApplication.translate(
                "MeetingController", "The person you are writing to has left the meeting."
            )
        case _:
            assert_never(problem)
