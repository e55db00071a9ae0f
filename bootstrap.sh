#!/usr/bin/env bash
# Sets up Runde in .venv/ and runs it or its tests.
#   ./bootstrap.sh run    set up, then start the app (no display: host a meeting headless)
#   ./bootstrap.sh test   set up, then run lint, type checks and the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

mode="${1:-run}"
shift || true

# Qt's X11 platform plugin loads these at run time (libxcb-cursor0 is missing from many
# desktops); PortAudio is sounddevice's library.
QT_RUNTIME_PACKAGES=(libdbus-1-3 libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0
  libx11-xcb1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-glx0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-sync1
  libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libwayland-client0 libwayland-cursor0
  libwayland-egl1)
RUN_PACKAGES=(python3-venv libportaudio2 libopus0 "${QT_RUNTIME_PACKAGES[@]}")
# Janus is the reference media server some tests and the benchmark run against; iproute2
# makes the network namespaces those tests keep their traffic in; PulseAudio with null sinks
# is the sound card of the audio tests (PortAudio reaches it through ALSA's pulse plugin);
# Xvfb is the display the screen-sharing tests draw on and share;
# tinyproxy is the HTTP CONNECT proxy the policy tests send signaling through.
TEST_PACKAGES=(janus iproute2 pulseaudio pulseaudio-utils libasound2-plugins tinyproxy-bin)
# The installer tests build the .deb and the MSI (wixl, msiinfo), then install the .deb with
# dpkg -i and open links under Xvfb; dpkg-shlibdeps reads the Qt runtime libraries above.
TEST_PACKAGES+=(dpkg-dev binutils file desktop-file-utils appstream wixl msitools xvfb
  xdg-utils xdotool)
# openbox is the window manager the keyboard walk-throughs run the real window under.
TEST_PACKAGES+=(openbox)
# The screen-reader test reads the real window through AT-SPI (pyatspi runs on the system python).
TEST_PACKAGES+=(at-spi2-core python3-pyatspi dbus-x11)
# A browser publishing into the SFU (headless Chromium, driven over the DevTools protocol).
TEST_PACKAGES+=(chromium)

missing_packages() {
  local wanted=("$@") missing=()
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

install_system_packages() {
  command -v dpkg-query >/dev/null || { echo "bootstrap: not a Debian/Ubuntu system; install ${*} by hand" >&2; return; }
  local missing
  missing=$(missing_packages "$@")
  [ -z "$missing" ] && return
  if [ "$(id -u)" -eq 0 ]; then
    echo "bootstrap: installing $missing" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "bootstrap: these system packages are missing. Install them with:" >&2
    echo "  sudo apt-get install -y $missing" >&2
    exit 1
  fi
}

python_bin() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return
    fi
  done
  echo "bootstrap: Python 3.11 or newer is needed" >&2
  exit 1
}

setup_venv() {
  local extras="$1"
  if [ ! -x .venv/bin/python ]; then
    "$(python_bin)" -m venv .venv
  fi
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[$extras]"
  # Compiled translations are build output: made here, not committed.
  mkdir -p client/ui/i18n
  .venv/bin/pyside6-lrelease -silent resources/translations/runde_de.ts \
    -qm client/ui/i18n/runde_de.qm
}

case "$mode" in
  run)
    install_system_packages "${RUN_PACKAGES[@]}"
    setup_venv gui
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      exec .venv/bin/runde "$@"
    fi
    echo "bootstrap: no display: hosting a meeting headless; its link follows (Ctrl+C ends it)" >&2
    exec .venv/bin/runde host --headless "$@"
    ;;
  test)
    install_system_packages "${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    setup_venv gui,test,package
    .venv/bin/ruff check client tests
    .venv/bin/ruff format --check client tests
    .venv/bin/mypy
    # The Qt tests run in a process of their own: Qt state they leave behind must never be
    # processed while the engine's tests run.
    .venv/bin/python -m pytest --ignore=tests/gui "$@"
    exec .venv/bin/python -m pytest tests/gui "$@"
    ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
