#!/usr/bin/env bash
# Install the build and test dependencies of pkixcmp from Debian's packages.
# Idempotent: when every package is present it does nothing (and needs no root).
set -eu

pkgs="build-essential autoconf automake libtool pkg-config make
      libssl-dev openssl libcurl4-openssl-dev libevent-dev
      clang libclang-rt-14-dev ca-certificates jq binutils
      dpkg-dev perl libmimalloc-dev"

missing=""
for p in $pkgs; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi

echo "install-deps: installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
