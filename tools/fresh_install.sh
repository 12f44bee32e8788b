#!/usr/bin/env bash
# Install the project as a user would, into a virtual environment made from nothing, and run the
# whole job on the bundled demo: `pip install .` (a wheel, not editable, no test extras), then
# `selfeval demo --package`, from a folder outside the checkout.  A module the program imports at
# run time but only the test extras bring, or a form or resource file missing from the wheel,
# fails here.
#   bash tools/fresh_install.sh [PYTHON]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${1:-${PYTHON:-python3}}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q --upgrade pip
# A copy of the checkout's files (tracked, and new ones not ignored), so that no build folder or
# egg-info is left in the repository and no local .venv leaks in.
mkdir -p "$WORK/src"
git ls-files -co --exclude-standard -z | while IFS= read -r -d '' file; do
    [ -e "$file" ] && cp --parents -- "$file" "$WORK/src/"
done
"$WORK/venv/bin/python" -m pip install -q "$WORK/src"

cd "$WORK"
where=$("$WORK/venv/bin/python" -c 'import selfeval, os; print(os.path.dirname(selfeval.__file__))')
case "$where" in
    "$WORK/venv/"*) ;;
    *) echo "selfeval 从 $where 载入，而不是从新装的环境" >&2; exit 1 ;;
esac
export SELFEVAL_HOME="$WORK/home" SELFEVAL_PFX_PASSWORD=
"$WORK/venv/bin/selfeval" demo --package "$WORK/out"
"$WORK/venv/bin/selfeval" verify "$WORK/out/"*/ >/dev/null
echo "fresh install: pip install . and selfeval demo --package passed"
