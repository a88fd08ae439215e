#!/usr/bin/env bash
# Finds a hashicorp/aws provider Terraform can install offline, and prints
# "<mirror dir> <version>". Prefers 6.25.0 (the version cdktf pins) built by
# scripts/provider-install.sh; else the newest version in a filesystem mirror
# on the machine (PRIVATELINK_PROVIDER_MIRRORS, default /opt/tf-plugins).
# Exits 3 when there is none.
set -euo pipefail
built="${PRIVATELINK_CACHE:-$HOME/.cache/privatelink}/tf-mirror"
if [ -x "$built/registry.terraform.io/hashicorp/aws/6.25.0/linux_amd64/terraform-provider-aws_v6.25.0_x5" ]; then
  echo "$built 6.25.0"
  exit 0
fi
for mirror in ${PRIVATELINK_PROVIDER_MIRRORS:-/opt/tf-plugins}; do
  dir="$mirror/registry.terraform.io/hashicorp/aws"
  [ -d "$dir" ] || continue
  version=$(ls "$dir" | sort -V | tail -n 1)
  if [ -n "$version" ] && ls "$dir/$version"/linux_amd64/terraform-provider-aws_v* >/dev/null 2>&1; then
    echo "$mirror $version"
    exit 0
  fi
done
exit 3
