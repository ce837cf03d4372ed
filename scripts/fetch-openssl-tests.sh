#!/usr/bin/env bash
# fetch-openssl-tests.sh - get OpenSSL's CLI tests for `openssl cmp` from
# Debian's `openssl` source package, for test/conformance/run.sh.
#
#   scripts/fetch-openssl-tests.sh [--refresh]
#
# Prints the directory holding the extracted part of the source tree on
# stdout (everything else goes to stderr); exits non-zero when it cannot.
# Kept in ${PKIXCMP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pkixcmp}/openssl-tests;
# a second run reuses it without any network access (--refresh fetches again).
#
# Steps: adds a deb-src entry for Debian's archive (/etc/apt/sources.list.d/
# pkixcmp-src.sources; mirrors from DEBIAN_MIRROR and DEBIAN_SECURITY_MIRROR),
# refreshes only that entry's index, downloads the source package with
# `apt-get source --download-only` (apt checks every file against the signed
# index) and unpacks it with dpkg-source (package dpkg-dev). The version of
# the installed openssl is taken when the archive has it, else the newest one
# that downloads. Needs root for the apt steps (uses sudo otherwise).
set -eu

cache=${PKIXCMP_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/pkixcmp}/openssl-tests
refresh=0
[ "${1-}" = --refresh ] && refresh=1

say() { echo "fetch-openssl-tests: $*" >&2; }
die() { say "$*"; exit 1; }

if [ "$refresh" = 0 ] && [ -f "$cache/tree/.complete" ]; then
  echo "$cache/tree"
  exit 0
fi

for t in apt-get apt-cache dpkg-source dpkg flock; do
  command -v "$t" >/dev/null || die "$t not found (install dpkg-dev on Debian)"
done

SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || die "not root and no sudo: cannot add the deb-src entry"
  SUDO="sudo"
fi

# versions PKG: source versions of PKG known to apt, one per line
versions() {
  apt-cache showsrc "$1" 2>/dev/null \
    | awk -v p="$1" '/^Package: /{ok = ($2 == p)} ok && /^Version: /{print $2}' | sort -u
}

# order: the installed openssl version first, then the others newest first
ordered_versions() {
  local inst v out=() sorted=()
  inst=$(dpkg-query -W -f='${Version}' openssl 2>/dev/null || true)
  mapfile -t out < <(versions openssl)
  for v in "${out[@]}"; do
    local i=0
    while [ $i -lt ${#sorted[@]} ] && dpkg --compare-versions "${sorted[$i]}" gt "$v"; do
      i=$((i + 1))
    done
    sorted=("${sorted[@]:0:$i}" "$v" "${sorted[@]:$i}")
  done
  for v in "${sorted[@]}"; do [ "$v" = "$inst" ] && echo "$v"; done
  for v in "${sorted[@]}"; do [ "$v" = "$inst" ] || echo "$v"; done
}

add_deb_src() {
  local list=/etc/apt/sources.list.d/pkixcmp-src.sources suite
  suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  local m=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
  local s=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
  local kr=/usr/share/keyrings/debian-archive-keyring.gpg
  say "adding deb-src entries ($suite) in $list"
  printf '%s\n' "# added by pkixcmp scripts/fetch-openssl-tests.sh" \
    "Types: deb-src" "URIs: $m" "Suites: $suite $suite-updates" \
    "Components: main" "Signed-By: $kr" "" \
    "Types: deb-src" "URIs: $s" "Suites: $suite-security" \
    "Components: main" "Signed-By: $kr" | $SUDO tee "$list" >/dev/null
  $SUDO apt-get update -qq -o Dir::Etc::sourcelist="$list" \
    -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0 >&2 \
    || die "apt-get update of $list failed"
}

# download VERSION DIR: the source package VERSION into DIR
download() {
  local sandbox=()
  [ "$(id -u)" = 0 ] && sandbox=(-o APT::Sandbox::User=root)
  rm -rf "$2" && mkdir -p "$2"
  (cd "$2" && apt-get source -qq --download-only "${sandbox[@]}" "openssl=$1" >&2)
}

mkdir -p "$cache"
# one fetch at a time (make check may run this recipe in several builds)
exec 9>"$cache/.lock"
flock 9 || die "cannot lock $cache/.lock"
if [ "$refresh" = 0 ] && [ -f "$cache/tree/.complete" ]; then
  echo "$cache/tree"
  exit 0
fi
work="$cache/work.$$"
trap 'rm -rf "$work"' EXIT

got=""
for attempt in existing-index added-index; do
  if [ "$attempt" = added-index ]; then
    add_deb_src
  fi
  for v in $(ordered_versions); do
    say "trying openssl source $v"
    if download "$v" "$work/dl"; then
      got=$v
      break 2
    fi
    say "openssl source $v did not download"
  done
done
[ -n "$got" ] || die "no version of Debian's openssl source package could be downloaded"

dsc=$(ls "$work"/dl/openssl_*.dsc)
if ! dpkg-source -x "$dsc" "$work/src" >"$work/dpkg-source.log" 2>&1; then
  cat "$work/dpkg-source.log" >&2
  die "dpkg-source -x $dsc failed"
fi

# keep only what the cmp CLI tests and their Perl framework need
new="$work/tree"
mkdir -p "$new/test/recipes" "$new/util/perl"
for f in test/recipes/80-test_cmp_http.t test/recipes/80-test_cmp_http_data \
         util/perl/OpenSSL LICENSE.txt VERSION.dat; do
  [ -e "$work/src/$f" ] || die "$f missing from openssl $got"
  cp -a "$work/src/$f" "$new/$(dirname "$f")/"
done
echo "Debian openssl source package $got" >"$new/SOURCE"
touch "$new/.complete"

rm -rf "$cache/tree.old"
[ -d "$cache/tree" ] && mv "$cache/tree" "$cache/tree.old"
mv "$new" "$cache/tree"
rm -rf "$cache/tree.old"
say "openssl $got tests in $cache/tree"
echo "$cache/tree"
