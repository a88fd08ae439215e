#!/usr/bin/env bash
# Finds a hashicorp/aws provider Terraform can install offline and prints
# "<mirror dir> <version>": the newest version in a filesystem mirror on this
# machine (PRIVATELINK_PROVIDER_MIRRORS, space-separated, default
# /opt/tf-plugins). Exits 3 when there is none.
set -euo pipefail
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
