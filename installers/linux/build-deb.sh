#!/usr/bin/env bash
# Builds dist/runde_<version>_amd64.deb from this checkout:
#   PyInstaller one-folder freeze    -> /opt/runde/ (command /usr/bin/runde)
#   menu entry + runde:// handler    -> /usr/share/applications/org.runde.Runde*.desktop
#   icon (SVG + rendered PNGs)       -> /usr/share/icons/hicolor/*/apps/org.runde.Runde.*
#   AppStream metainfo               -> /usr/share/metainfo/org.runde.Runde.metainfo.xml
#   headless host service (disabled) -> /usr/lib/systemd/system/runde-host.service
# Libraries Debian provides are not bundled: dpkg-shlibdeps turns them into Depends.
#
# Usage: installers/linux/build-deb.sh   (needs .venv with '.[gui,package]', dpkg-dev,
#        desktop-file-utils, appstream, binutils, file; ./bootstrap.sh test installs them)
# Environment: PYTHON (default .venv/bin/python), DEB_COMPRESSION (xz, zstd, gzip; default xz),
#              DEB_MAINTAINER.
set -euo pipefail
cd "$(dirname "$0")/../.."
root_dir=$PWD
python=${PYTHON:-$root_dir/.venv/bin/python}
bin_dir=$(dirname "$python")
app_id=org.runde.Runde
compression=${DEB_COMPRESSION:-xz}
maintainer=${DEB_MAINTAINER:-Runde maintainers <maintainers@runde.invalid>}

fail() { echo "build-deb: $*" >&2; exit 1; }

for tool in dpkg-deb dpkg-shlibdeps strip file desktop-file-validate appstreamcli; do
  command -v "$tool" >/dev/null ||
    fail "$tool is missing (apt-get install dpkg-dev binutils file desktop-file-utils appstream)"
done
[ -x "$python" ] || fail "no Python at $python; run ./bootstrap.sh test or set PYTHON"
"$python" -c 'import PyInstaller' 2>/dev/null ||
  fail "PyInstaller is missing: $bin_dir/pip install -e '.[gui,package]'"

# The version pyproject.toml declares (its dynamic attr, or a literal version).
version=$("$python" - <<'EOF'
import importlib
import tomllib

with open("pyproject.toml", "rb") as file:
    project = tomllib.load(file)
version = project["project"].get("version")
if version is None:
    module, attr = project["tool"]["setuptools"]["dynamic"]["version"]["attr"].rsplit(".", 1)
    version = getattr(importlib.import_module(module), attr)
print(version)
EOF
)
echo "build-deb: Runde $version" >&2

work=build/linux
package=$work/pkg/debian/runde # dpkg-shlibdeps wants the debian/<package> layout
rm -rf "$work/freeze" "$work/pkg"
mkdir -p "$work" dist

# Compiled translations are package data of `client`: make sure the freeze finds them.
mkdir -p client/ui/i18n
"$bin_dir/pyside6-lrelease" -silent resources/translations/runde_de.ts \
  -qm client/ui/i18n/runde_de.qm

"$bin_dir/pyinstaller" --noconfirm --log-level WARN \
  --distpath "$work/freeze" --workpath "$work/pyinstaller" installers/linux/runde.spec

# Strip what the wheels left unstripped, except the auditwheel-grafted *.libs/ libraries,
# which strip corrupts (numpy's OpenBLAS then fails to load).
find "$work/freeze/runde" -type f \( -name '*.so' -o -name '*.so.*' \) ! -path '*.libs/*' \
  -exec file {} + | grep 'not stripped' | cut -d: -f1 | xargs -r strip --strip-unneeded

mkdir -p "$package/DEBIAN" "$package/opt" "$package/usr/bin" "$package/usr/share/applications" \
  "$package/usr/share/metainfo" "$package/usr/share/doc/runde"
mv "$work/freeze/runde" "$package/opt/runde"
ln -s /opt/runde/runde "$package/usr/bin/runde"
install -m 0644 resources/linux/$app_id.desktop resources/linux/$app_id-url-handler.desktop \
  "$package/usr/share/applications/"
QT_QPA_PLATFORM=offscreen "$python" installers/linux/render_icons.py resources/icons/runde.svg \
  "$package/usr/share/icons/hicolor" "$app_id"
release_date=$(git log -1 --format=%cs 2>/dev/null || date -u +%F)
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$release_date/" \
  resources/linux/$app_id.metainfo.xml.in >"$package/usr/share/metainfo/$app_id.metainfo.xml"
install -m 0644 installers/linux/debian/copyright "$package/usr/share/doc/runde/copyright"
install -D -m 0644 installers/linux/runde-host.service \
  "$package/usr/lib/systemd/system/runde-host.service"
install -m 0755 installers/linux/debian/postinst installers/linux/debian/postrm "$package/DEBIAN/"

desktop-file-validate "$package"/usr/share/applications/*.desktop
appstreamcli validate --no-net --explain "$package/usr/share/metainfo/$app_id.metainfo.xml" >&2

# Depends: every system library the frozen binaries link (dpkg-shlibdeps), and PortAudio and
# libopus, which sounddevice and opuslib_next open at run time rather than link.
mkdir -p "$work/pkg/debian"
printf 'Source: runde\n\nPackage: runde\nArchitecture: amd64\n' >"$work/pkg/debian/control"
mapfile -t elf_files < <(find "$package/opt/runde" -type f -exec file {} + | grep ': *ELF' |
  cut -d: -f1 | sed "s|^$work/pkg/||")
mapfile -t library_dirs < <(printf '%s\n' "${elf_files[@]}" | xargs -n1 dirname | sort -u |
  sed 's/^/-l/')
shlibs=$(cd "$work/pkg" && dpkg-shlibdeps -O --ignore-missing-info "${library_dirs[@]}" \
  "${elf_files[@]}" 2>shlibdeps.log) || { cat "$work/pkg/shlibdeps.log" >&2; fail "dpkg-shlibdeps failed"; }
depends="${shlibs#shlibs:Depends=}, libportaudio2, libopus0"

installed_size=$(du -k -s --apparent-size --exclude=DEBIAN "$package" | cut -f1)
sed -e "s#@VERSION@#$version#" -e "s#@MAINTAINER@#$maintainer#" \
  -e "s#@INSTALLED_SIZE@#$installed_size#" -e "s#@DEPENDS@#$depends#" \
  installers/linux/debian/control.in >"$package/DEBIAN/control"
(cd "$package" && find opt usr -type f -print0 | sort -z | xargs -0 md5sum >DEBIAN/md5sums)

deb=dist/runde_${version}_amd64.deb
dpkg-deb --root-owner-group -Z"$compression" --build "$package" "$deb" >&2
echo "build-deb: $deb ($(du -h "$deb" | cut -f1), installed $((installed_size / 1024)) MiB)" >&2
echo "$deb"
