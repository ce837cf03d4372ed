#!/usr/bin/env bash
# 44-server-replay: the server fuzz target runs over the message corpus and
# all fixtures (under ASan + UBSan in the sanitizer build): every input gets
# a response that decodes, and nothing breaks.
. "$(dirname "$0")/lib.sh"
dirs=("$top_srcdir/fuzz/corpus/fuzz_server" "$top_srcdir/fuzz/corpus/fuzz_msg" "$top_srcdir/test/data" "$top_srcdir/test/data/v3"
      "$top_srcdir/test/data/v3/bad")
"$top_builddir/fuzz/replay_server" "${dirs[@]}" > "$TMPD/server.tap"; s=$?
while read -r line; do
  case "$line" in
    "ok "*) ok 0 "fuzz_server: ${line#* - }" ;;
    "not ok "*) ok 1 "fuzz_server: ${line#* - }" ;;
  esac
done < "$TMPD/server.tap"
[ $s -eq 0 ]; ok $? "fuzz_server replay exits 0"
done_testing
