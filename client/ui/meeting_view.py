"""The meeting: tiles in a grid or speaker layout, controls, participants, chat and the link."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from client.protocol.modules import Reaction
from client.ui.active_speaker import ActiveSpeaker
from client.ui.chat_panel import ChatPanel
from client.ui.link_bar import LinkBar
from client.ui.media_buttons import Device, MediaToggleButton
from client.ui.message_text import MessageText
from client.ui.participant_list import ParticipantList
from client.ui.side_panel import SidePanel
from client.ui.stage_layout import place_grid, place_presentation, place_speaker, tab_through
from client.ui.video_sink import VideoSink
from client.ui.video_tile import VideoTile
from client.ui.view_buttons import label_button, press_with_keys

SELF_ID = "self"
CHAT_KEYS = "Ctrl+Shift+C"
HAND_KEYS = "Ctrl+Shift+H"
REACTIONS_KEYS = "Ctrl+Shift+R"
# White on this red: contrast 6.5:1 (at least 4.5:1 for text); darker when pressed.
LEAVE_STYLE = (
    "QPushButton { background: #b3261e; color: white; border: 1px solid #8c1d18;"
    " border-radius: 3px; padding: 4px 12px; }"
    " QPushButton:pressed { background: #8c1d18; }"
    " QPushButton:focus { border: 2px solid palette(highlight); }"
)

__all__ = ["CHAT_KEYS", "HAND_KEYS", "REACTIONS_KEYS", "SELF_ID", "MeetingView", "label_button"]


class MeetingView(QWidget):
    """Signals:
    microphoneToggled(bool), cameraToggled(bool), leaveRequested(), fullscreenRequested(),
    shareRequested(): pick something to share, stopShareRequested(): stop sharing,
    multiplePresentersToggled(bool): the host lets several people share at once
    chat, hand and reactions buttons: connected by client.ui.meeting_modules
    """

    microphoneToggled = Signal(bool)
    cameraToggled = Signal(bool)
    leaveRequested = Signal()
    fullscreenRequested = Signal()
    shortcutsRequested = Signal()
    shareRequested = Signal()
    stopShareRequested = Signal()
    multiplePresentersToggled = Signal(bool)
    # a remote tile's height in device pixels (its camera is asked for what it shows), and
    # a remote tile gone
    remoteTileSized = Signal(str, int)
    remoteTileGone = Signal(str)

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.tiles: dict[str, VideoTile] = {}
        # Tracks can arrive while joining, before the participant list names their owner.
        self._waiting_sinks: dict[str, VideoSink] = {}
        self.speaker_layout = False
        self.pinned: str | None = None
        self.active_speaker = ActiveSpeaker(clock)  # large in the speaker layout, unless pinned
        # Shared screens by participant id; the newest is shown large in the presentation.
        self.screen_tiles: dict[str, VideoTile] = {}
        self.presentation = True  # the viewer's choice: presentation or the usual layout
        self.sharing = False
        self.hosting = False
        self.hands: tuple[str, ...] = ()  # tile ids with a raised hand, in queue order

        self.status = MessageText(self.tr("Connection state"))

        self.link_bar = LinkBar()
        self.link_edit = self.link_bar.link_edit

        self.stage = QWidget()
        self.stage.setAccessibleName(self.tr("Participants' video"))
        self.grid = QGridLayout(self.stage)
        self.grid.setSpacing(4)
        self.grid.setContentsMargins(0, 0, 0, 0)

        self.participant_list = ParticipantList()
        self.presenters_box = QCheckBox(self.tr("Let several people share at once"))
        # The name is the visible text (what voice control users say); the rest describes.
        self.presenters_box.setAccessibleDescription(
            self.tr("Let several people share their screen at once")
        )
        self.presenters_box.setVisible(False)  # only the host decides
        self.people_page = QWidget()  # the side panel's participants tab
        people = QVBoxLayout(self.people_page)
        people.setContentsMargins(0, 0, 0, 0)
        people.addWidget(self.participant_list, 1)
        people.addWidget(self.presenters_box)
        self.presenters_box.toggled.connect(self.multiplePresentersToggled)

        self.microphone_button = MediaToggleButton(Device.MICROPHONE, "Ctrl+D")
        press_with_keys(self, self.microphone_button, "Ctrl+D")
        self.microphone_button.toggled.connect(self.microphoneToggled)
        self.camera_button = MediaToggleButton(Device.CAMERA, "Ctrl+E")
        press_with_keys(self, self.camera_button, "Ctrl+E")
        self.camera_button.toggled.connect(self.cameraToggled)
        self.layout_button = self._button(self.tr("Speaker layout"), "Ctrl+L", self.toggle_layout)
        self.list_button = self._button(
            self.tr("Participants"), "Ctrl+P", self.toggle_participant_list
        )
        self.fullscreen_button = self._button(
            self.tr("Full screen"), "F11", self.fullscreenRequested.emit
        )
        self.shortcuts_button = self._button(
            self.tr("Shortcuts"), "F1", self.shortcutsRequested.emit
        )
        self.share_button = self._button(
            self.tr("Share screen"), "Ctrl+Shift+S", self._share_clicked
        )
        self.presentation_button = self._button(
            self.tr("Grid view"), "Ctrl+Shift+G", self.toggle_presentation
        )
        self.presentation_button.setVisible(False)
        # Their shortcuts are actions of the view too, in client.ui.meeting_modules.
        self.hand_button = label_button(QPushButton(), self.tr("Raise hand"), HAND_KEYS)
        self.hand_button.setCheckable(True)
        self.reactions_button = label_button(QPushButton(), self.tr("React"), REACTIONS_KEYS)
        self.chat_button = label_button(QPushButton(), self.tr("Chat"), CHAT_KEYS)
        self.chat_button.setCheckable(True)
        self.chat_panel = ChatPanel()
        self.side_panel = SidePanel()
        self.side_panel.add_page(self.people_page, self.tr("Participants"))
        self.side_panel.add_page(self.chat_panel, self.tr("Chat"))
        self.leave_button = self._button(self.tr("Leave"), "Ctrl+Shift+L", self.leaveRequested.emit)
        self.leave_button.setObjectName("leave_button")
        self.leave_button.setStyleSheet(LEAVE_STYLE)

        self.controls = controls = QHBoxLayout()  # device menus join it
        for button in (
            self.microphone_button,
            self.camera_button,
            self.share_button,
            self.hand_button,
            self.reactions_button,
            self.layout_button,
            self.presentation_button,
            self.list_button,
            self.chat_button,
            self.fullscreen_button,
            self.shortcuts_button,
        ):
            controls.addWidget(button)
        controls.addStretch(1)
        controls.addWidget(self.leave_button)

        middle = QSplitter(Qt.Orientation.Horizontal)  # the side panel's width can be dragged
        middle.addWidget(self.stage)
        middle.addWidget(self.side_panel)
        middle.setStretchFactor(0, 1)
        middle.setChildrenCollapsible(False)

        column = QVBoxLayout(self)
        column.addWidget(self.status)
        column.addWidget(self.link_bar)
        column.addWidget(middle, 1)
        column.addLayout(controls)
        self.set_local_media(True, True)

    # ---- building blocks -------------------------------------------------------------------

    def _button(self, text: str, shortcut: str, action: Callable[[], object]) -> QPushButton:
        button = label_button(QPushButton(), text, shortcut)
        button.clicked.connect(action)
        if shortcut != "F1":  # the window's own, in every view: a second one is ambiguous
            press_with_keys(self, button, shortcut)
        return button

    # ---- updates from the controller --------------------------------------------------------

    def reset(self, own_name: str) -> None:
        self._waiting_sinks.clear()
        for participant_id in list(self.tiles):
            self.remove_participant(participant_id)
        self.pinned = None
        self.active_speaker.reset()
        self.set_hands(())
        self.add_participant(SELF_ID, own_name, True, True, is_self=True)

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def set_link(self, link: str) -> None:
        self.link_bar.set_link(link)

    def set_local_media(self, microphone_on: bool, camera_on: bool) -> None:
        self.microphone_button.set_on(microphone_on)
        self.camera_button.set_on(camera_on)
        own = self.tiles.get(SELF_ID)
        if own is not None:
            own.set_media(microphone_on, camera_on)

    def add_participant(
        self, participant_id: str, name: str, audio: bool, video: bool, is_self: bool = False
    ) -> None:
        if participant_id in self.tiles:
            return
        tile = VideoTile(participant_id, name, is_self=is_self)
        tile.set_media(audio, video)
        if participant_id in self.hands:
            tile.set_hand(self.hands.index(participant_id) + 1)
        tile.activated.connect(self.pin)
        if not is_self:
            tile.boxChanged.connect(
                lambda size, pid=participant_id, t=tile: self.remoteTileSized.emit(
                    pid, round(size.height() * t.devicePixelRatioF())
                )
            )
        self.tiles[participant_id] = tile
        waiting = self._waiting_sinks.pop(participant_id, None)
        if waiting is not None:
            self._connect_sink(tile, waiting)
        self.participant_list.add(participant_id, name, is_self)
        self._arrange()

    def remove_participant(self, participant_id: str) -> None:
        self._waiting_sinks.pop(participant_id, None)
        tile = self.tiles.pop(participant_id, None)
        if tile is None:
            return
        tile.setParent(None)
        tile.deleteLater()
        self.remoteTileGone.emit(participant_id)
        self.participant_list.remove(participant_id)
        if self.pinned == participant_id:
            self.pinned = None
        self.remove_screen(participant_id)
        self._arrange()

    # ---- hands, reactions, chat ---------------------------------------------------------

    def set_hands(self, queue: Sequence[str]) -> None:
        """``queue``: tile ids (SELF_ID for us) with a raised hand, in the order they went up."""
        self.hands = tuple(queue)
        self.participant_list.set_hands(self.hands)
        for participant_id, tile in self.tiles.items():
            place = self.hands.index(participant_id) + 1 if participant_id in self.hands else None
            tile.set_hand(place)

    def show_reaction(self, participant_id: str, reaction: Reaction) -> None:
        tile = self.tiles.get(participant_id)
        if tile is not None:
            tile.show_reaction(reaction)

    # ---- screen sharing -----------------------------------------------------------------

    def set_screen_sharing_allowed(self, allowed: bool) -> None:
        """The admin policy can turn sharing off: then the button is not offered at all."""
        self.share_button.setVisible(allowed)
        self.share_button.setEnabled(allowed)

    def set_sharing(self, sharing: bool) -> None:
        self.sharing = sharing
        text = self.tr("Stop sharing") if sharing else self.tr("Share screen")
        self.share_button.setText(text)
        self.share_button.setToolTip(f"{text} (Ctrl+Shift+S)")
        self.share_button.setAccessibleName(f"{text} (Ctrl+Shift+S)")

    def _share_clicked(self) -> None:
        if self.sharing:
            self.stopShareRequested.emit()
        else:
            self.shareRequested.emit()

    def add_screen(self, participant_id: str, sink: VideoSink) -> None:
        """Someone shares their screen: show it large, their camera stays in the strip."""
        self.remove_screen(participant_id)
        owner = self.tiles.get(participant_id)
        name = owner.name if owner is not None else participant_id
        tile = VideoTile(f"screen:{participant_id}", self.tr("Screen of %1").replace("%1", name))
        tile.setAccessibleName(self.tr("Shared screen of %1").replace("%1", name))
        tile.setToolTip(self.tr("Double-click or press Enter for full screen"))
        tile.activated.connect(lambda _: self.fullscreenRequested.emit())
        tile.pin_button.hide()  # a shared screen is shown large anyway
        self.screen_tiles[participant_id] = tile
        sink.set_box(tile.size())
        tile.boxChanged.connect(sink.set_box)
        sink.frameReady.connect(tile.set_image)
        self.presentation = True  # a new presentation is shown, whatever was chosen before
        self._update_presentation_button()
        self._arrange()

    def remove_screen(self, participant_id: str) -> None:
        tile = self.screen_tiles.pop(participant_id, None)
        if tile is None:
            return
        tile.setParent(None)
        tile.deleteLater()
        self._update_presentation_button()
        self._arrange()

    def toggle_presentation(self) -> None:
        self.presentation = not self.presentation
        self._update_presentation_button()
        self._arrange()

    def _update_presentation_button(self) -> None:
        self.presentation_button.setVisible(bool(self.screen_tiles))
        text = self.tr("Grid view") if self.presentation else self.tr("Presentation view")
        self.presentation_button.setText(text)
        self.presentation_button.setToolTip(f"{text} (Ctrl+Shift+G)")
        self.presentation_button.setAccessibleName(f"{text} (Ctrl+Shift+G)")

    def layout_mode(self) -> str:
        """What the stage shows now: presentation, speaker or grid."""
        if self.screen_tiles and self.presentation:
            return "presentation"
        return "speaker" if self.speaker_layout and len(self.tiles) > 1 else "grid"

    def set_participant_media(self, participant_id: str, audio: bool, video: bool) -> None:
        tile = self.tiles.get(participant_id)
        if tile is not None:
            tile.set_media(audio, video)

    def set_video_paused(self, participant_id: str, paused: bool) -> None:
        tile = self.tiles.get(participant_id)
        if tile is not None:
            tile.set_video_paused(paused)

    def attach_video(self, participant_id: str, sink: VideoSink) -> None:
        tile = self.tiles.get(participant_id)
        if tile is None:
            self._waiting_sinks[participant_id] = sink
            return
        self._connect_sink(tile, sink)

    def _connect_sink(self, tile: VideoTile, sink: VideoSink) -> None:
        tile.source = sink
        sink.set_box(tile.size())
        tile.boxChanged.connect(sink.set_box)
        sink.frameReady.connect(tile.set_image)

    def show_speaking(self, speaking: dict[str, bool]) -> None:
        """Who is audible now (polled): marks on the tiles, and the speaker layout's main tile."""
        for participant_id, tile in self.tiles.items():
            tile.set_speaking(speaking.get(participant_id, False))
        before = self.active_speaker.current
        microphones = {pid: tile.audio_on for pid, tile in self.tiles.items() if not tile.is_self}
        if self.active_speaker.update(speaking, microphones) != before and self.speaker_layout:
            self._arrange()

    def main_tile(self) -> VideoTile | None:
        """The tile shown large: the shared screen, else the pinned one, else who speaks."""
        if self.layout_mode() == "presentation":
            return list(self.screen_tiles.values())[-1]
        tiles = list(self.screen_tiles.values()) + list(self.tiles.values())
        if not self.speaker_layout or len(tiles) < 2:
            return None
        return (
            self.tiles.get(self.pinned or "")
            or self.tiles.get(self.active_speaker.current or "")
            or next((t for t in tiles if not t.is_self), tiles[0])
        )

    def show_own_image(self, image: QImage) -> None:
        tile = self.tiles.get(SELF_ID)
        if tile is not None:
            tile.set_image(image)

    # ---- layouts ----------------------------------------------------------------------

    def pin(self, participant_id: str) -> None:
        self.pinned = None if self.pinned == participant_id else participant_id
        for tile_id, tile in self.tiles.items():
            tile.set_pinned(tile_id == self.pinned)
        if self.pinned is not None:
            self.speaker_layout = True
        self._arrange()

    def toggle_layout(self) -> None:
        self.speaker_layout = not self.speaker_layout
        self.layout_button.setText(
            self.tr("Grid layout") if self.speaker_layout else self.tr("Speaker layout")
        )
        self._arrange()

    def toggle_participant_list(self) -> None:
        self.side_panel.toggle_page(self.people_page)

    def set_hosting(self, hosting: bool) -> None:
        """The host's own settings for the meeting show only on the host's computer."""
        self.hosting = hosting
        self.presenters_box.setVisible(hosting)
        if not hosting:
            self.presenters_box.setChecked(False)

    def _arrange(self) -> None:
        while self.grid.count():
            self.grid.takeAt(0)
        if self.layout_mode() == "presentation":
            place_presentation(
                self.grid, list(self.screen_tiles.values()), list(self.tiles.values())
            )
            tab_through(self.grid, after=self.link_bar.invite_button)
            return
        tiles = list(self.screen_tiles.values()) + list(self.tiles.values())
        main = self.main_tile()
        if main is not None:
            place_speaker(self.grid, main, [t for t in tiles if t is not main])
        elif tiles:
            place_grid(self.grid, tiles)
        tab_through(self.grid, after=self.link_bar.invite_button)
