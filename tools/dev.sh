#!/usr/bin/env bash
# Set up a virtual environment in .venv and run the sample report or the tests.
#   bash tools/dev.sh sample   set up, import the bundled demo report, print its checks and scores,
#                              then sign, package and verify it into demo-output/
#   bash tools/dev.sh test     set up (with test tools and system libraries) and run the test suite
#   bash tools/dev.sh setup    only set up
#   bash tools/dev.sh debs P…  install these Debian packages if missing (as root)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
VENV=$ROOT/.venv

# Debian packages the tests need: Qt's offscreen platform libraries, poppler's pdftotext/pdftoppm, and
# SoftHSM2 (a software PKCS#11 token) for the USB-key signing tests.
TEST_DEBS="libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 poppler-utils softhsm2 icu-devtools gcc"

need_debs() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "安装系统软件包：${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "缺少系统软件包：${missing[*]}；请用管理员身份执行 apt-get install ${missing[*]}" >&2
        return 1
    fi
}

setup() {
    local extras=$1
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        echo "需要 Python 3.11 或更新版本" >&2; exit 2
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
            rm -rf "$VENV"
            command -v dpkg-query >/dev/null && need_debs python3-venv
            "$PYTHON" -m venv "$VENV"
        fi
    fi
    local stamp="$VENV/.installed-$extras-$(sha256sum pyproject.toml | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -e ".[$extras]"
        touch "$stamp"
    fi
}

case "${1:-}" in
    setup)
        setup gui ;;
    debs)
        command -v dpkg-query >/dev/null && need_debs "${@:2}" ;;
    sample)
        setup gui
        "$VENV/bin/selfeval" demo --package "$ROOT/demo-output" ;;
    test)
        command -v dpkg-query >/dev/null && need_debs $TEST_DEBS
        setup test
        QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -m pytest -q -p no:cacheprovider "${@:2}" ;;
    *)
        echo "用法：bash tools/dev.sh sample | test | setup" >&2; exit 2 ;;
esac
