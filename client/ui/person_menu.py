"""A moderator's actions on one person, as a menu.

The same menu opens from the participant list beside the video and from the moderation
panel, with the mouse (right click) or the keyboard (the menu key or Shift+F10).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QInputDialog, QListWidget, QMenu, QWidget

from client.call.session import MeetingSnapshot, Participant
from client.protocol.moderation import (
    AllowMicrophone,
    ModerationAction,
    Mute,
    Remove,
    Rename,
    RequestCameraOff,
    Role,
    SetRole,
    StopScreenShare,
)

Ask = Callable[[ModerationAction], None]

MAX_NAME_CHARACTERS = 64  # the protocol's bound for display names


def person_menu(
    parent: QWidget, snapshot: MeetingSnapshot, participant_id: str, ask: Ask
) -> QMenu | None:
    """The actions on ``participant_id``, or ``None`` when there is nobody to act on."""
    person = next((p for p in snapshot.participants if p.id == participant_id), None)
    if person is None:
        return None
    menu = QMenu(parent)
    menu.setTitle(
        QCoreApplication.translate("PersonMenu", "Actions for %1").replace(
            "%1", person.display_name
        )
    )
    menu.setAccessibleName(menu.title())

    def add(text: str, action: ModerationAction, enabled: bool = True) -> None:
        item = menu.addAction(text)
        item.setEnabled(enabled)
        item.triggered.connect(lambda: ask(action))

    add(
        QCoreApplication.translate("PersonMenu", "Mute"),
        Mute(action="mute", target=person.id),
        person.media.audio,
    )
    if snapshot.rules.microphones_locked:
        allowed = person.id in snapshot.rules.microphone_allowed
        add(
            QCoreApplication.translate("PersonMenu", "Take back the permission to speak")
            if allowed
            else QCoreApplication.translate("PersonMenu", "Allow to speak"),
            AllowMicrophone(action="allow_microphone", target=person.id, allowed=not allowed),
        )
    add(
        QCoreApplication.translate("PersonMenu", "Ask to turn the camera off"),
        RequestCameraOff(action="request_camera_off", target=person.id),
        person.media.video,
    )
    add(
        QCoreApplication.translate("PersonMenu", "Stop their screen share"),
        StopScreenShare(action="stop_screen_share", target=person.id),
    )
    rename = menu.addAction(QCoreApplication.translate("PersonMenu", "Rename…"))
    rename.triggered.connect(lambda: _ask_new_name(parent, person, ask))
    menu.addSeparator()
    moderator = person.role is Role.MODERATOR
    add(
        QCoreApplication.translate("PersonMenu", "Make participant")
        if moderator
        else QCoreApplication.translate("PersonMenu", "Make moderator"),
        SetRole(
            action="set_role",
            target=person.id,
            role=Role.PARTICIPANT if moderator else Role.MODERATOR,
        ),
    )
    add(
        QCoreApplication.translate("PersonMenu", "Remove from the meeting"),
        Remove(action="remove", target=person.id),
    )
    return menu


def _ask_new_name(parent: QWidget, person: Participant, ask: Ask) -> None:
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(
        QCoreApplication.translate("PersonMenu", "Rename %1").replace("%1", person.display_name)
    )
    dialog.setLabelText(QCoreApplication.translate("PersonMenu", "New name:"))
    dialog.setTextValue(person.display_name)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def chosen(text: str) -> None:
        name = text.strip()[:MAX_NAME_CHARACTERS]
        if name and name != person.display_name:
            ask(Rename(action="rename", target=person.id, display_name=name))

    dialog.textValueSelected.connect(chosen)
    dialog.open()  # not exec: a nested event loop would stall the meeting's asyncio loop


def offer_person_menus(
    people: QListWidget, snapshot: Callable[[], MeetingSnapshot | None], ask: Ask
) -> None:
    """Right click, the menu key and Shift+F10 on ``people`` open the chosen person's menu.

    The items' user data are participant ids; ``snapshot`` gives ``None`` while the user
    does not moderate (then no menu opens).
    """

    def at(position: QPoint) -> None:
        # A right click makes its row the current one; the keyboard acts on the current row.
        if people.currentRow() >= 0:
            item = people.currentItem()
            participant_id = str(item.data(Qt.ItemDataRole.UserRole))
            open_person_menu(people, snapshot(), participant_id, ask, position)

    people.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    people.customContextMenuRequested.connect(at)
    keys = QShortcut(QKeySequence("Shift+F10"), people)
    keys.setContext(Qt.ShortcutContext.WidgetShortcut)
    keys.activated.connect(lambda: at(QPoint(-1, -1)))


def open_person_menu(
    people: QListWidget,
    snapshot: MeetingSnapshot | None,
    participant_id: str,
    ask: Ask,
    position: QPoint | None = None,
) -> None:
    """Pop up the menu at ``position`` in ``people``'s viewport, or below the current row."""
    if snapshot is None:
        return
    menu = person_menu(people, snapshot, participant_id, ask)
    if menu is None:
        return
    item = people.currentItem()
    if position is None or people.itemAt(position) is not item:
        position = people.visualItemRect(item).bottomLeft()
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # popup, not exec: a nested event loop would stall the meeting's asyncio loop
    menu.popup(people.viewport().mapToGlobal(position))
