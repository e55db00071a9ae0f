"""What every Runde freeze keeps and leaves out; shared by the Linux and Windows specs.

The app uses QtCore, QtGui, QtWidgets and QtNetwork only. Everything else PySide6-Essentials
ships (Quick, QML, OpenGL, SQL, designer plugins, 40 translations ...) stays out: about
160 MB of the wheel's 246 MB that the app never loads.
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePath

QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtNetwork")

# Python packages that are only needed to test, type-check or build.
DEV_ONLY = [
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "mypy",
    "mypyc",
    "ruff",
    "psutil",
    "PyInstaller",
    "setuptools",
    "pkg_resources",
    "pip",
    "tkinter",
    "readline",
    "pydoc",
    "IPython",
    "matplotlib",
    "tests",
]

# Qt shared libraries the four modules and the kept plugins load (lib names without
# platform prefix/suffix).
QT_LIBRARIES = {
    "Qt6Core",
    "Qt6Gui",
    "Qt6Widgets",
    "Qt6Network",
    "Qt6DBus",
    "Qt6XcbQpa",
    "Qt6WaylandClient",
    "Qt6WaylandEglClientHwIntegration",
    "Qt6OpenGL",
}

# Plugins by folder: None keeps the whole folder, a set keeps those names only.
QT_PLUGINS: dict[str, set[str] | None] = {
    "platforms": {"qxcb", "qwayland", "qoffscreen", "qwindows", "qdirect2d"},
    # the portal theme follows the desktop's dialogs without pulling in GTK
    "platformthemes": {"qxdgdesktopportal"},
    "platforminputcontexts": {
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    },
    "xcbglintegrations": None,
    "imageformats": {"qgif", "qico", "qjpeg"},
    "tls": {"qopensslbackend", "qcertonlybackend", "qschannelbackend"},
    "styles": None,
    "wayland-shell-integration": {"xdg-shell"},
    "wayland-decoration-client": {"bradient"},
    "wayland-graphics-integration-client": {"qt-plugin-wayland-egl"},
}

# Qt's own translations: German is the one language Runde ships besides English.
QT_TRANSLATIONS = {"qtbase_de.qm"}


def excluded_modules() -> list[str]:
    """Every PySide6 module but the four in use, plus the development-only packages."""
    import PySide6

    folder = Path(PySide6.__file__).parent
    unused = sorted(
        f"PySide6.{path.name.split('.')[0]}"
        for path in folder.iterdir()
        if path.name.startswith("Qt")
        and path.suffix in (".so", ".pyd", ".pyi")
        and path.name.split(".")[0] not in QT_MODULES
    )
    return sorted(set(unused)) + DEV_ONLY


def _stem(name: str) -> str:
    base = PurePath(name).name
    base = base.removeprefix("lib")
    return base.split(".")[0]


def keep_qt_file(dest: str) -> bool:
    """Whether a collected file belongs in the freeze (only Qt's own files are weeded)."""
    parts = PurePath(dest).parts
    stem = _stem(parts[-1])
    if stem.startswith("Qt6"):
        # the Qt libraries themselves and PyInstaller's top-level links to them
        return stem in QT_LIBRARIES
    if "PySide6" not in parts:
        return True
    inner = parts[parts.index("PySide6") + 1 :]
    if inner[:2] == ("Qt", "translations") or inner[:1] == ("translations",):
        return inner[-1] in QT_TRANSLATIONS
    if inner[:2] == ("Qt", "plugins") or inner[:1] == ("plugins",):
        plugin_dir = inner[2] if inner[0] == "Qt" else inner[1]
        if plugin_dir not in QT_PLUGINS:
            return False
        wanted = QT_PLUGINS[plugin_dir]
        return wanted is None or _stem(inner[-1]) in wanted
    # QML modules and WebEngine resources
    return not (inner[:1] == ("qml",) or inner[:2] in (("Qt", "qml"), ("Qt", "resources")))


def system_library(source: str) -> bool:
    """A shared library from the Linux system, which the .deb depends on instead of bundling."""
    if not sys.platform.startswith("linux"):
        return False
    path = PurePath(source)
    in_system = str(path.parent) in (
        "/lib/x86_64-linux-gnu",
        "/usr/lib/x86_64-linux-gnu",
        "/lib64",
        "/usr/lib",
        "/lib",
    )
    # The bootloader loads libpython from the bundle by path: it stays.
    return in_system and not path.name.startswith("libpython")
