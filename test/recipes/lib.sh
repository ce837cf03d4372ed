# lib.sh - TAP helpers for the CLI recipes (sourced).
# Environment from make check: top_srcdir, top_builddir, PKIXCMP, OPENSSL.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PKIXCMP:=$top_srcdir/build/pkixcmp}"
: "${OPENSSL:=openssl}"
tap_n=0
tap_failed=0
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/pkixcmp-test.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT

# ok COND-STATUS DESCRIPTION
ok() {
  tap_n=$((tap_n + 1))
  if [ "$1" -eq 0 ]; then
    echo "ok $tap_n - $2"
  else
    echo "not ok $tap_n - $2"
    tap_failed=$((tap_failed + 1))
  fi
}

# run_ok DESCRIPTION CMD...: the command must exit 0
run_ok() {
  local d=$1; shift
  "$@" >"$TMPD/out" 2>"$TMPD/err"; local s=$?
  ok $s "$d"
  [ $s -eq 0 ] || { sed 's/^/# /' "$TMPD/err" | head -20; }
}

# run_fail DESCRIPTION CMD...: the command must exit exactly 1
run_fail() {
  local d=$1; shift
  "$@" >"$TMPD/out" 2>"$TMPD/err"; local s=$?
  [ $s -eq 1 ]; ok $? "$d (exit status $s)"
}

# has FILE REGEX DESCRIPTION: FILE must contain a line matching REGEX
has() {
  grep -Eq -- "$2" "$1"; local s=$?
  ok $s "$3"
  [ $s -eq 0 ] || { echo "# no match for /$2/ in:"; sed 's/^/#   /' "$1" | head -30; }
}

done_testing() {
  echo "1..$tap_n"
  [ "$tap_failed" -eq 0 ]
}
