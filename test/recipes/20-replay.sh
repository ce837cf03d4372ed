#!/usr/bin/env bash
# 20-replay: the fuzz target runs over its whole corpus and all fixtures
# (under ASan + UBSan in the sanitizer build) without a finding.
. "$(dirname "$0")/lib.sh"
exec "$top_builddir/fuzz/replay_msg" "$top_srcdir/fuzz/corpus/fuzz_msg" \
  "$top_srcdir/test/data" "$top_srcdir/test/data/v3" "$top_srcdir/test/data/v3/bad"
