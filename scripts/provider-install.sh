#!/usr/bin/env bash
# Builds hashicorp/aws from Go module source and serves it to Terraform from a
# filesystem mirror, because these machines cannot reach registry.terraform.io.
# The binary is cached outside the repo and only rebuilt when missing.
#
#   scripts/provider-install.sh            build if missing, write the CLI config
#   scripts/provider-install.sh --print    print the CLI config path only
set -euo pipefail

# cdktf's @cdktf/provider-aws pins hashicorp/aws 6.25.0 exactly, so the mirror
# must answer for that version. The v6.25.0 tag is not a valid Go module version
# (the module path has no /v6) and the proxy cannot resolve it, so we build a
# pinned commit whose version/VERSION is 6.23.0; the resources we use are the same.
PROVIDER_COMMIT="${PROVIDER_COMMIT:-6815f5dd108e7e8859ad4384a8728ff0c58b3e77}"
PROVIDER_VERSION="6.25.0"
CACHE="${PRIVATELINK_CACHE:-$HOME/.cache/privatelink}"
MIRROR="$CACHE/tf-mirror"
PLATFORM="linux_amd64"
BIN_DIR="$MIRROR/registry.terraform.io/hashicorp/aws/$PROVIDER_VERSION/$PLATFORM"
BIN="$BIN_DIR/terraform-provider-aws_v${PROVIDER_VERSION}_x5"
CLI_CONFIG="$CACHE/terraformrc"

write_cli_config() {
  mkdir -p "$CACHE"
  cat >"$CLI_CONFIG" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
}
plugin_cache_dir = ""
CFG
}

if [ "${1:-}" = "--print" ]; then
  echo "$CLI_CONFIG"
  exit 0
fi

if [ -x "$BIN" ]; then
  echo "provider: cached at $BIN"
else
  command -v go >/dev/null || { echo "provider: go is not installed" >&2; exit 1; }
  export GOTOOLCHAIN=local GOFLAGS="-mod=mod -buildvcs=false"
  export GOPROXY="${GOPROXY:-https://proxy.golang.org}"
  start=$(date +%s)
  echo "provider: downloading terraform-provider-aws@$PROVIDER_COMMIT from the Go module proxy"
  dir=$(go mod download -json "github.com/hashicorp/terraform-provider-aws@$PROVIDER_COMMIT" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error","no Dir")))')
  src="$CACHE/src"
  rm -rf "$src"
  cp -r "$dir" "$src"
  chmod -R u+w "$src"
  echo "provider: building (this takes a long time on a cold cache)"
  mkdir -p "$BIN_DIR"
  (cd "$src" && go build -trimpath -ldflags "-s -w" -o "$BIN.tmp" .)
  mv "$BIN.tmp" "$BIN"
  rm -rf "$src"
  echo "provider: built in $(( $(date +%s) - start ))s -> $BIN"
fi
write_cli_config
echo "provider: TF_CLI_CONFIG_FILE=$CLI_CONFIG"
