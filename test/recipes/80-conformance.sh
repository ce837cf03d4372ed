#!/usr/bin/env bash
# 80-conformance: OpenSSL's own CLI tests for `openssl cmp` (the recipe
# 80-test_cmp_http.t and its data from Debian's openssl source package, run
# against its mock server; see test/conformance/run.sh).
#  - the source package must be fetched (no network or no root: the test
#    fails, it does not skip);
#  - baseline: with the system openssl as client and server every row must
#    pass, so the harness is shown to run and judge the rows;
#  - pkixcmp as the client (the mock server stays the system openssl): the
#    suite must run to its end, and every row in
#    test/conformance/expected-pass.txt must pass.
. "$(dirname "$0")/lib.sh"
conf="$top_srcdir/test/conformance"
list=${CONFORMANCE_EXPECTED:-$conf/expected-pass.txt}
REAL_OPENSSL=$(command -v "$OPENSSL") || REAL_OPENSSL=/usr/bin/openssl
export REAL_OPENSSL

tree=$("$top_srcdir/scripts/fetch-openssl-tests.sh" 2>"$TMPD/fetch.err"); s=$?
ok $s "fetch OpenSSL's cmp CLI tests: $(cat "$tree/SOURCE" 2>/dev/null || echo failed)"
if [ $s -ne 0 ]; then
  sed 's/^/# /' "$TMPD/fetch.err" | tail -20
  done_testing
  exit 1
fi
export OPENSSL_TESTS="$tree"

# the baseline waits mostly on connection timeouts: run it alongside
"$conf/run.sh" -c "$conf/openssl-cmp.sh" -s "$conf/openssl-cmp.sh" -o "$TMPD/base" \
  >"$TMPD/base.out" 2>&1 &
bpid=$!
"$conf/run.sh" -c "$PKIXCMP" -o "$TMPD/pkixcmp" >"$TMPD/pkixcmp.out" 2>&1; ps=$?
wait $bpid; bs=$?

base="$TMPD/base/results.tsv"
res="$TMPD/pkixcmp/results.tsv"
nbase=$(wc -l <"$base" 2>/dev/null || echo 0)
nbad=$(grep -cv '^PASS	' "$base" 2>/dev/null)
[ "$bs" -eq 0 ] && [ "$nbase" -gt 0 ] && [ "$nbad" -eq 0 ]
ok $? "baseline: system openssl passes all $nbase rows ($nbad not passed)"
sed 's/^/# /' "$TMPD/base.out"
grep -v '^PASS	' "$base" 2>/dev/null | head -20 | sed 's/^/#   /'

nres=$(wc -l <"$res" 2>/dev/null || echo 0)
[ "$ps" -eq 0 ] && [ "$nres" -eq "$nbase" ]
ok $? "pkixcmp as client: the suite ran all $nres of $nbase rows"
sed 's/^/# /' "$TMPD/pkixcmp.out"

# each listed row: status PASS in pkixcmp's results (key = last column)
while IFS= read -r row || [ -n "$row" ]; do
  case $row in ''|'#'*) continue ;; esac
  # a title may name several rows (the suite repeats setup steps): all must pass
  line=$(awk -F'\t' -v k="$row" '$6 == k' "$res")
  bad=$(awk -F'\t' -v k="$row" '$6 == k && $1 != "PASS"' "$res")
  if [ -z "$line" ]; then
    ok 1 "pkixcmp passes '$row' (no such row)"
  else
    [ -z "$bad" ]
    ok $? "pkixcmp passes '$row'"
    [ -z "$bad" ] || echo "$bad" | sed 's/^/#   /'
  fi
done <"$list"

unlisted=$(awk -F'\t' '$1 == "PASS" { print $6 }' "$res" \
           | grep -vxF -f <(grep -v '^#' "$list"; echo '#') | head -50)
if [ -n "$unlisted" ]; then
  echo "# passing rows not yet in test/conformance/expected-pass.txt:"
  echo "$unlisted" | sed 's/^/#   /'
fi
done_testing
