#!/usr/bin/env bash
# What the tests must leave as it was in the checkout, where operators keep
# var files, saved plans and Terraform logs (vars/, plans/, logs/,
# cdktf.out/): git's view of the tree (tracked changes, untracked and ignored
# paths), a checksum of the tracked changes, and a checksum of every untracked
# or ignored file. node_modules/ (npm ci) and dist/ (the compiled app, which
# the test commands rebuild as npm run build does) are left out of the
# checksums; their top-level entries still count.
#
#   checkout-state.sh > before.txt         record
#   checkout-state.sh --compare before.txt  exit 1 naming every path that changed
set -euo pipefail
cd "$(dirname "$0")/../.."

state() {
  git status --porcelain --ignored
  echo "tracked changes: $(git diff HEAD --binary | sha256sum | cut -c1-64)"
  { git ls-files -z --others --exclude-standard; git ls-files -z --others --ignored --exclude-standard; } |
    grep -zv -e '^node_modules/' -e '^dist/' | sort -z | xargs -0 -r sha256sum
}

case "${1:-}" in
  "") state ;;
  --compare)
    before=${2:?usage: checkout-state.sh --compare <file written by checkout-state.sh>}
    if ! changes=$(state | diff "$before" -); then
      echo "The tests changed the checkout (lines from before: <, after: >):" >&2
      echo "$changes" | grep '^[<>]' >&2
      exit 1
    fi
    echo "The checkout is as it was before the tests."
    ;;
  *) echo "usage: checkout-state.sh [--compare <file>]" >&2; exit 2 ;;
esac
