#!/usr/bin/env bash
# dev.sh - set up, build and test pkixcmp on Debian 12 in one command.
#
#   ./dev.sh demo       install what is missing, build, enroll a certificate from
#                       pkixcmp's own mock CA on 127.0.0.1 and show it
#   ./dev.sh test       install what is missing, build, run the whole test suite
#   ./dev.sh test-san   the test suite built with ASan + UBSan (build-san/)
#   ./dev.sh fuzz [s]   build the libFuzzer targets with clang and run each s seconds
#
# Builds out of tree in build/ (build-san/, build-fuzz/); each step is skipped
# when it is already done, so running it again is cheap.
set -eu
top=$(cd "$(dirname "$0")" && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

bash scripts/install-deps.sh

[ -x configure ] && [ configure -nt configure.ac ] && [ Makefile.in -nt Makefile.am ] \
  || autoreconf -fi >/dev/null

# configure_in DIR ARGS...: configure in DIR unless it is already configured with ARGS
configure_in() {
  local dir=$1; shift
  mkdir -p "$dir"
  if [ ! -f "$dir/Makefile" ] || [ "$(cat "$dir/.args" 2>/dev/null)" != "$*" ] \
     || [ "$dir/Makefile" -ot configure ]; then
    (cd "$dir" && "$top/configure" --enable-werror "$@" >/dev/null)
    echo "$*" > "$dir/.args"
  fi
}

case "${1:-demo}" in
  demo)
    # a real enrollment over HTTP on loopback: pkixcmp's own mock CA issues
    # the certificate (ir, ip, certConf, pkiConf), no other server needed
    configure_in build
    make -C build -j"$jobs" >/dev/null
    d=build/demo
    mkdir -p "$d"
    c=test/certs
    build/pkixcmp -config "" -port 0 -max_msgs 2 -srv_ref 4711 -srv_secret pass:test1234 \
      -srv_cert "$c/interm.crt" -srv_key "$c/interm.key" >"$d/server.out" 2>"$d/server.log" &
    srv=$!
    trap 'kill $srv 2>/dev/null' EXIT
    port=""
    for _ in $(seq 50); do
      port=$(sed -n 's/^ACCEPT .*:\([0-9]*\) PID=.*/\1/p' "$d/server.out")
      [ -n "$port" ] && break
      sleep 0.1
    done
    [ -n "$port" ] || { echo "the mock CA did not start:"; cat "$d/server.log"; exit 1; }
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$d/device.key" 2>/dev/null
    echo "== pkixcmp -cmd ir -server 127.0.0.1:$port -ref 4711 -secret pass:test1234 -newkey $d/device.key -subject '/CN=demo device' -certout $d/device.pem"
    build/pkixcmp -config "" -cmd ir -server "127.0.0.1:$port" -ref 4711 -secret pass:test1234 \
      -newkey "$d/device.key" -subject "/CN=demo device" -certout "$d/device.pem"
    echo "== the new certificate"
    openssl x509 -in "$d/device.pem" -noout -subject -issuer -serial -enddate
    ;;
  test)
    configure_in build
    make -C build -j"$jobs" check
    ;;
  test-san)
    configure_in build-san --enable-sanitizers CC=clang
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      make -C build-san -j"$jobs" check
    ;;
  fuzz)
    secs=${2:-60}
    configure_in build-fuzz --enable-fuzzers --disable-shared CC=clang
    make -C build-fuzz -j"$jobs" fuzzers
    export top_srcdir="$top" # fuzz_verify reads the test PKI
    for f in build-fuzz/fuzz/fuzz_*; do
      [ -x "$f" ] || continue
      name=$(basename "$f")
      seeds="fuzz/corpus/$name"
      [ -d "$seeds" ] || seeds=fuzz/corpus/fuzz_msg # all targets read PKIMessages
      mkdir -p "build-fuzz/corpus/$name"
      "$f" -max_total_time="$secs" "build-fuzz/corpus/$name" "$seeds"
    done
    ;;
  *)
    echo "usage: $0 demo|test|test-san|fuzz [seconds]" >&2
    exit 2
    ;;
esac
