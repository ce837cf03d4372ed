#!/usr/bin/env bash
# dev.sh - set up, build and test pkixcmp on Debian 12 in one command.
#
#   ./dev.sh demo       install what is missing, build, inspect an example message
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
    configure_in build
    make -C build -j"$jobs" >/dev/null
    echo "== pkixcmp -inspect test/data/ir_mac.der"
    build/pkixcmp -inspect test/data/ir_mac.der
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
