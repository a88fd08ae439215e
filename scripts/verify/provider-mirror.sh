#!/usr/bin/env bash
# Prints "<mirror dir> <version>" of the hashicorp/aws provider Terraform can
# install offline here, or exits 3. The logic is scripts/verify/provider-mirror.ts
# (which every harness uses); this runs its compiled copy (npm run build first).
# --terraformrc <file> also writes the Terraform CLI config that uses it.
set -euo pipefail
js="$(dirname "$0")/../../dist/scripts/verify/provider-mirror.js"
if [ ! -f "$js" ]; then echo "provider-mirror: run npm run build first" >&2; exit 1; fi
exec node "$js" "$@"
