#!/usr/bin/env bash
# Installs the pinned Python test packages (tools/python/requirements.txt) into a virtualenv outside the repository,
# ${OBSKIT_CACHE_DIR:-~/.cache/obskit}/pyvenv-<hash of requirements.txt>, reused while that file is unchanged, then
# checks prometheus_client reports the pinned version. Prints the interpreter's path on stdout; the rest on stderr.
#   export OBSKIT_PYTHON="$(bash tools/python/install.sh)"
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
requirements="$here/requirements.txt"
pinned="$(sed -n 's/^prometheus_client==//p' "$requirements")"
hash="$(sha256sum "$requirements" | cut -c1-16)"
venv="${OBSKIT_CACHE_DIR:-$HOME/.cache/obskit}/pyvenv-$hash"

if [ -f "$venv/.installed" ] && [ -x "$venv/bin/python" ]; then
  echo "prometheus_client $pinned: reusing $venv" >&2
else
  echo "prometheus_client $pinned: installing into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
  touch "$venv/.installed"
fi

found="$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("prometheus_client"))')"
if [ "$found" != "$pinned" ]; then
  echo "prometheus_client in $venv is version '$found', but $requirements pins $pinned; remove $venv and run again" >&2
  exit 1
fi
echo "$venv/bin/python"
