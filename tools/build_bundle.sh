#!/usr/bin/env bash
# Build the one-folder bundle with PyInstaller, run its self-test, and make the release archive.
#   bash tools/build_bundle.sh          → dist/selfeval/, dist/selfeval-<version>-linux-<arch>.tar.gz
# Prints the build time, the folder and archive sizes, and the self-test output.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/dev.sh setup >/dev/null
# The libraries Qt's X11 (xcb) platform plugin loads; present at build time, they go into the bundle.
bash tools/dev.sh debs libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
    libxcb-render-util0 libxcb-image0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1
# icupkg and a linker cut Qt's ICU data down to what the program uses (tools/slim_icu.py)
bash tools/dev.sh debs icu-devtools gcc
.venv/bin/python -m pip install -q "pyinstaller>=6.5"
# The same sources give the same bundle, byte for byte: a fixed hash seed keeps PyInstaller's module
# lists in one order, and the archive takes its files' times from the last commit.
export PYTHONHASHSEED=0
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 1700000000)
export SOURCE_DATE_EPOCH
start=$(date +%s)
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN build_installer.spec
built=$(date +%s)
# PyInstaller links some libraries from the top folder to their copy under PySide6/; the spec left
# out the ones nothing needs (build_installer.spec, SYSTEM_LIBRARIES), so their links point nowhere.
find dist/selfeval -xtype l -print -delete | sed 's/^/removed dangling link: /'
# Linux: the GUI starts through the same program (see build_installer.spec).
cat > dist/selfeval/selfeval-gui <<'LAUNCHER'
#!/bin/sh
here=$(dirname "$(readlink -f "$0")")
exec "$here/selfeval" gui "$@"
LAUNCHER
chmod +x dist/selfeval/selfeval-gui
version=$(.venv/bin/python -c 'import sys; sys.path.insert(0, "desktop"); import selfeval; print(selfeval.__version__)')
archive="dist/selfeval-$version-linux-$(uname -m).tar.gz"
tar -C dist --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner -cf - selfeval \
    | gzip -n > "$archive"
echo "build seconds: $((built - start))"
echo "folder size: $(du -sm dist/selfeval | cut -f1) MB"
echo "archive size: $(du -sm "$archive" | cut -f1) MB ($archive)"
echo "archive SHA-256: $(sha256sum "$archive" | cut -d' ' -f1)"
# The self-test runs the frozen console program without this checkout's Python on its path.
env -i HOME="$HOME" PATH=/usr/bin:/bin LANG=C.UTF-8 dist/selfeval/selfeval --self-test
