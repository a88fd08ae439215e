#!/usr/bin/env bash
# npm run emulator: the local two-account AWS emulator (moto with this
# project's extensions), in the foreground until stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$(bash emulator/venv.sh)
exec "$venv/bin/python" emulator/server.py "$@"
