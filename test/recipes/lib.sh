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

# Raw HTTP for the server recipes (bash /dev/tcp, no curl needed).
# request METHOD PATH CONTENT-TYPE BODYFILE [LENGTH]: a raw HTTP/1.1 request
# (Connection: close) into $TMPD/req; LENGTH overrides Content-Length
request() {
  local len=${5:-$(wc -c <"$4")}
  { printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n' "$1" "$2"
    [ -n "$3" ] && printf 'Content-Type: %s\r\n' "$3"
    printf 'Content-Length: %s\r\n\r\n' "$len"
    cat "$4"; } >"$TMPD/req"
}
# send: $TMPD/req to the server, the response in $TMPD/rsp, its status
# code in $code, its body in $TMPD/body
send() {
  local clen
  timeout 10 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1; cat "$2" >&3; cat <&3' \
    _ "${SRV_PORT:?}" "$TMPD/req" >"$TMPD/rsp" 2>/dev/null
  code=$(head -n 1 "$TMPD/rsp" | sed -n 's/^HTTP\/1\.[01] \([0-9][0-9][0-9]\) .*/\1/p')
  clen=$(tr -d '\r' <"$TMPD/rsp" | sed -n 's/^[Cc]ontent-[Ll]ength: *\([0-9]*\)$/\1/p' | head -n 1)
  tail -c "${clen:-0}" "$TMPD/rsp" >"$TMPD/body"
}
