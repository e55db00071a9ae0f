#!/usr/bin/env bash
# Builds Runde's MSI with wixl (Debian: wixl, msitools) from a Windows freeze:
#   installers/windows/build-msi.sh --source DIR [--output FILE] [--version X.Y.Z]
#                                   [--policy DIR]
# DIR is PyInstaller's one-folder output of installers/windows/runde.spec (runde.exe,
# runde-cli.exe, _internal/). The ADMX/ADML policy templates are taken from
# installers/windows/policy/ (runde.admx, de-DE/runde.adml, en-US/runde.adml) when that folder
# exists, and installed to <Program Files>\Runde\policy\ for administrators to copy into
# their PolicyDefinitions store. Version: from pyproject.toml unless --version is given.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root_dir=$(cd "$here/../.." && pwd)

fail() { echo "build-msi: $*" >&2; exit 1; }

source_dir="" output="" version="" policy_dir="$here/policy"
while [ $# -gt 0 ]; do
  case "$1" in
    --source) source_dir=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --policy) policy_dir=$2; shift 2 ;;
    *) fail "unknown argument $1 (see the usage at the top of $0)" ;;
  esac
done
[ -n "$source_dir" ] || fail "--source DIR (the Windows freeze) is required"
[ -f "$source_dir/runde.exe" ] || fail "$source_dir has no runde.exe: not a Runde freeze"
for tool in wixl wixl-heat; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install wixl)"
done

if [ -z "$version" ]; then
  python=${PYTHON:-$root_dir/.venv/bin/python}
  [ -x "$python" ] || python=python3
  version=$(cd "$root_dir" && "$python" - <<'EOF'
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
fi
# MSI versions are three numbers below 256.255.65536; drop PEP 440 suffixes (".dev1", "rc1").
msi_version=$(echo "$version" | grep -oE '^[0-9]+(\.[0-9]+){0,2}') ||
  fail "version $version does not start with a number"
[ -n "$output" ] || output="$root_dir/dist/runde-$version-x64.msi"

work=$root_dir/build/windows
stage=$work/stage
rm -rf "$work"
mkdir -p "$stage" "$(dirname "$output")"
cp -a "$source_dir/." "$stage/"
if [ -d "$policy_dir" ]; then
  mkdir -p "$stage/policy"
  cp -a "$policy_dir/." "$stage/policy/"
  echo "build-msi: policy templates from $policy_dir" >&2
else
  echo "build-msi: no policy templates ($policy_dir does not exist)" >&2
fi

(cd "$work" && find stage -type f | LC_ALL=C sort |
  wixl-heat -p stage/ --component-group AppFiles --var var.SourceDir \
    --directory-ref INSTALLDIR --win64 >files.wxs)
# wixl resolves sources relative to the working folder, and only relative paths.
output=$(cd "$(dirname "$output")" && pwd)/$(basename "$output")
(cd "$work" && wixl --arch x64 -D Version="$msi_version" -D SourceDir=stage -D Win64=yes \
  -o "$output" "$here/runde.wxs" files.wxs)
echo "build-msi: $output (Runde $version)" >&2
echo "$output"
