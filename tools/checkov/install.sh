#!/usr/bin/env bash
# Installs the pinned checkov (tools/checkov/requirements.txt) into a virtualenv outside the repository,
# ~/.cache/obskit/venv-<hash of requirements.txt>, reused while that file is unchanged, then checks the installed
# checkov reports the pinned version. Prints the checkov path on stdout; everything else goes to stderr.
#   export OBSKIT_CHECKOV="$(bash tools/checkov/install.sh)"
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
requirements="$here/requirements.txt"
pinned="$(sed -n 's/^checkov==//p' "$requirements")"
hash="$(sha256sum "$requirements" | cut -c1-16)"
venv="${OBSKIT_CACHE_DIR:-$HOME/.cache/obskit}/venv-$hash"

if [ -f "$venv/.installed" ] && [ -x "$venv/bin/checkov" ]; then
  echo "checkov $pinned: reusing $venv" >&2
else
  echo "checkov $pinned: installing into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
  touch "$venv/.installed"
fi

found="$("$venv/bin/checkov" --version 2>/dev/null | tr -d '[:space:]')"
if [ "$found" != "$pinned" ]; then
  echo "checkov in $venv reports version '$found', but $requirements pins $pinned; remove $venv and run again" >&2
  exit 1
fi
echo "$venv/bin/checkov"
