#!/bin/sh
# openssl-shim.sh - stands in for the `openssl` binary of an OpenSSL build
# tree while OpenSSL's CLI tests for `openssl cmp` run (see run.sh).
#
#   openssl cmp ARGS     client role  -> $CMP_CLIENT ARGS   (default: openssl cmp)
#                        server role  -> $CMP_SERVER ARGS   (default: openssl cmp)
#   openssl OTHER ARGS   -> $REAL_OPENSSL OTHER ARGS        (default /usr/bin/openssl)
#
# CMP_CLIENT and CMP_SERVER name a program that takes the `openssl cmp`
# options directly (such as pkixcmp); empty or unset means the real openssl.
# Role: a cmp call is the server when it has no -server/-use_mock_srv and
# either has -port or a -config file that sets `port` (the mock server of the
# tests is started as `openssl cmp -config server.cnf`); otherwise a client.
# The server is exec'ed, so the PID it prints is the one the tests kill.
# A client call is stopped after CMP_CLIENT_TIMEOUT seconds (default 60).
# With CMP_SHIM_LOG set, each client call appends a line
#   client EXIT-STATUS MILLISECONDS NOTE<TAB>ARGS
# (NOTE: "unknown option -x" when the client said so, a timeout, or "-")
# and each server call "server ARGS" to that file.
real=${REAL_OPENSSL:-/usr/bin/openssl}

if [ "${1-}" != cmp ]; then
  exec "$real" "$@"
fi
shift

role=""
cfg=""
prev=""
for a in "$@"; do
  case "$a" in
    -server|-use_mock_srv) role=client ;;
    -port) [ -n "$role" ] || role=server ;;
  esac
  [ "$prev" = -config ] && cfg=$a
  prev=$a
done
if [ -z "$role" ]; then
  role=client
  if [ -n "$cfg" ] && [ -f "$cfg" ] \
     && grep -Eq '^[[:space:]]*port[[:space:]]*=' "$cfg"; then
    role=server
  fi
fi

if [ "$role" = server ]; then
  [ -z "${CMP_SHIM_LOG-}" ] || printf 'server %s\n' "$*" >>"$CMP_SHIM_LOG"
  if [ -n "${CMP_SERVER-}" ]; then
    exec "$CMP_SERVER" "$@"
  fi
  exec "$real" cmp "$@"
fi

t0=$(date +%s%N)
to=${CMP_CLIENT_TIMEOUT:-60}
if [ -z "${CMP_SHIM_LOG-}" ]; then
  if [ -z "${CMP_CLIENT-}" ]; then
    exec timeout -k 2 "$to" "$real" cmp "$@"
  fi
  exec timeout -k 2 "$to" "$CMP_CLIENT" "$@"
fi
# keep the client's stderr (passed on unchanged) to note an option it rejects
errf=$(mktemp "${TMPDIR:-/tmp}/cmp-shim.XXXXXX") || exit 125
if [ -z "${CMP_CLIENT-}" ]; then
  timeout -k 2 "$to" "$real" cmp "$@" 2>"$errf"
else
  timeout -k 2 "$to" "$CMP_CLIENT" "$@" 2>"$errf"
fi
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
cat "$errf" >&2
# an option name must follow ("Unknown option: -x"), so that OpenSSL reasons
# such as X509V3's "unsupported option: name=..." do not count
note=$(grep -Eio -m1 '(unknown|unrecognized|unsupported) option:? ["'"'"']?-[^;,]*' "$errf" | head -n 1 \
       | tr -d "'\"\t" | cut -c1-80)
rm -f "$errf"
[ "$rc" = 124 ] && note="timeout after ${to}s"
printf 'client %d %d %s\t%s\n' "$rc" "$ms" "${note:--}" "$*" >>"$CMP_SHIM_LOG"
exit "$rc"
