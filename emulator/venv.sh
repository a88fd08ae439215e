#!/usr/bin/env bash
# Prints the path of the emulator's virtualenv, creating it when missing: the
# exact packages of emulator/requirements.txt, from PyPI, cached per
# requirements hash under ~/.cache/privatelink (PRIVATELINK_CACHE).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
hash=$(sha256sum "$here/requirements.txt" | cut -c1-12)
venv="${PRIVATELINK_CACHE:-$HOME/.cache/privatelink}/emulator-$hash"
if [ ! -f "$venv/.complete" ]; then
  echo "emulator: installing moto and its pinned dependencies into $venv (once)" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$here/requirements.txt" >&2
  touch "$venv/.complete"
fi
echo "$venv"
