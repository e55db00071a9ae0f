"""German and English: load the compiled Qt translation that fits the user's language."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

logger = logging.getLogger(__name__)

TRANSLATIONS = Path(__file__).parent / "ui" / "i18n"


def install(app: QApplication, language: str = "") -> str:
    """Install Runde's and Qt's own translations; returns the language used ("de" or "en")."""
    code = language or QLocale.system().name().split("_")[0]
    if code != "de":
        return "en"  # the source texts are English
    translators = []
    ours = QTranslator(app)
    if ours.load(str(TRANSLATIONS / "runde_de.qm")):
        translators.append(ours)
    else:
        logger.warning("the German translation is missing (%s); showing English", TRANSLATIONS)
        return "en"
    qt_own = QTranslator(app)
    qt_path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(QLocale("de"), "qtbase", "_", qt_path):
        translators.append(qt_own)
    for translator in translators:
        app.installTranslator(translator)
    return "de"
