#!/usr/bin/env bash
# npm run test:terraform (L2): terraform validate of every synthesized stack
# against the real AWS provider, then checkov on every stack with zero failed
# checks (skips: checkov-skips.txt, each with its reason).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CACHE="${PRIVATELINK_CACHE:-$HOME/.cache/privatelink}"
CHECKOV_VERSION=3.3.30
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if ! command -v terraform >/dev/null; then echo "test:terraform: terraform is not installed" >&2; exit 1; fi
if ! found=$(scripts/verify/provider-mirror.sh); then
  echo "test:terraform: SKIPPED terraform validate: no hashicorp/aws provider can be installed offline here (run npm run provider:install)."
  validate=no
else
  read -r MIRROR VERSION <<<"$found"
  validate=yes
  cat >"$WORK/terraformrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
}
CFG
  export TF_CLI_CONFIG_FILE="$WORK/terraformrc"
  if [ "$VERSION" = "6.25.0" ]; then
    echo "test:terraform: provider hashicorp/aws 6.25.0 from $MIRROR (the version the bindings were generated from)"
  else
    echo "test:terraform: provider hashicorp/aws $VERSION from $MIRROR: NOT the 6.25.0 the bindings were generated from (it cannot be built here); the configs are synthesized with awsProviderVersion $VERSION"
  fi
fi

node_modules/.bin/tsc -p tsconfig.json
# The example, and variants that switch on what the example leaves off; all
# ask for the provider version the mirror holds (awsProviderVersion).
declare -A CONFIGS=([example]="$WORK/example.json")
node -e '
const c = require("./config/example.json");
const version = process.argv[2];
const write = (name, f) => { const x = structuredClone(c); f(x); if (version) x.awsProviderVersion = version; require("fs").writeFileSync(process.argv[1] + "/" + name + ".json", JSON.stringify(x)); };
write("example", () => {});
write("private-dns", (x) => (x.provider.service.privateDns = { name: "api.internal.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }));
write("remote-state", (x) => (x.wiring = { mode: "remote-state" }));
write("cloud", (x) => (x.backend = { type: "cloud", organization: "acme" }));
' "$WORK" "${VERSION:-}"
CONFIGS[private-dns]="$WORK/private-dns.json"
CONFIGS[remote-state]="$WORK/remote-state.json"
CONFIGS[cloud]="$WORK/cloud.json"

stacks=0
for name in example private-dns remote-state cloud; do
  out="$WORK/synth-$name"
  PRIVATELINK_CONFIG="${CONFIGS[$name]}" CDKTF_OUTDIR="$out" node dist/main.js
  [ "$validate" = yes ] || continue
  for dir in "$out"/stacks/*/; do
    stack=$(basename "$dir")
    w="$WORK/tf-$name-$stack"
    mkdir -p "$w" && cp "$dir/cdk.tf.json" "$w/"
    (cd "$w" && terraform init -backend=false -input=false -no-color >init.log 2>&1) || { cat "$w/init.log"; exit 1; }
    if ! (cd "$w" && terraform validate -no-color >validate.log 2>&1); then
      echo "test:terraform: terraform validate FAILED for $name/$stack"; cat "$w/validate.log"; exit 1
    fi
    stacks=$((stacks + 1))
  done
done
[ "$validate" = yes ] && echo "test:terraform: terraform validate passed for $stacks stacks (4 configs)"

# checkov, installed from PyPI into a cached virtualenv.
venv="$CACHE/checkov-$CHECKOV_VERSION"
if [ ! -x "$venv/bin/checkov" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "checkov==$CHECKOV_VERSION"
fi
skips=$(grep -v '^#' checkov-skips.txt | awk 'NF {print $1}' | paste -sd, -)
failed=0
for name in example private-dns remote-state cloud; do
  report="$WORK/checkov-$name.json"
  (cd "$WORK/synth-$name/stacks" && "$venv/bin/checkov" -d . --framework terraform_json --skip-check "$skips" --skip-download --quiet --compact -o json >"$report" 2>"$WORK/checkov-$name.err") || true
  result=$(python3 - "$report" "$name" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
reports = data if isinstance(data, list) else [data]
failed = [f for r in reports for f in r.get("results", {}).get("failed_checks", [])]
passed = sum(r.get("summary", {}).get("passed", 0) for r in reports)
skipped = sum(r.get("summary", {}).get("skipped", 0) for r in reports)
for f in failed:
    print(f"  FAILED {f['check_id']} {f['check_name']}: {f['resource']} ({f['file_path']})", file=sys.stderr)
print(f"{len(failed)} {passed} {skipped}")
PY
)
  read -r f p s <<<"$result"
  echo "test:terraform: checkov on $name: $p passed, $f failed (checks skipped by checkov-skips.txt: $skips)"
  failed=$((failed + f))
done
[ "$failed" -eq 0 ] || { echo "test:terraform: checkov found $failed failed checks"; exit 1; }
echo "test:terraform: OK"
