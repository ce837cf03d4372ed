#!/usr/bin/env bash
# 20-replay: the fuzz targets run over their corpus and all fixtures
# (under ASan + UBSan in the sanitizer build) without a finding.
. "$(dirname "$0")/lib.sh"
# replay prints TAP numbered from 1 per run: number the lines of both runs here
dirs=("$top_srcdir/fuzz/corpus/fuzz_msg" "$top_srcdir/fuzz/corpus/fuzz_verify" "$top_srcdir/test/data" "$top_srcdir/test/data/v3"
      "$top_srcdir/test/data/v3/bad")
for target in msg verify; do
  "$top_builddir/fuzz/replay_$target" "${dirs[@]}" > "$TMPD/$target.tap"; s=$?
  while read -r line; do
    case "$line" in
      "ok "*) ok 0 "fuzz_$target: ${line#* - }" ;;
      "not ok "*) ok 1 "fuzz_$target: ${line#* - }" ;;
    esac
  done < "$TMPD/$target.tap"
  [ $s -eq 0 ]; ok $? "fuzz_$target replay exits 0"
done
done_testing
