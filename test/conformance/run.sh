#!/usr/bin/env bash
# run.sh - run OpenSSL's CLI tests for `openssl cmp` (the recipe
# test/recipes/80-test_cmp_http.t with its mock server section) against a
# chosen CMP client, outside an OpenSSL build tree.
#
#   test/conformance/run.sh [-c CLIENT] [-s SERVER] [-o OUTDIR] [-a ASPECTS]
#
#   -c CLIENT   program run for each client call, with the `openssl cmp`
#               options (default $CMP_CLIENT; empty: the system openssl)
#   -s SERVER   the same for the mock server (default $CMP_SERVER; empty:
#               the system openssl)
#   -o OUTDIR   where the run and its results go (default: a new directory
#               under ${TMPDIR:-/tmp}); emptied first
#   -a ASPECTS  only these aspects, e.g. "commands enrollment" (default: all
#               of connection verification credentials commands enrollment)
#
# The tests come from scripts/fetch-openssl-tests.sh (or $OPENSSL_TESTS, a
# directory it made). They run unchanged: a fake build tree makes their
# `openssl` the shim openssl-shim.sh, which hands `openssl cmp` calls to
# CLIENT or SERVER and everything else to the system openssl.
#
# Writes OUTDIR/tap.log (the recipe's TAP with each command line, its exit
# status and output), OUTDIR/shim.log and OUTDIR/results.tsv, a row a line:
#   STATUS <TAB> expected exit (0|nonzero) <TAB> actual exit <TAB> ms
#   <TAB> note <TAB> aspect: title
# note: "unknown option -x" when the client said it rejects an option, or a
# timeout, else "-". STATUS: PASS or FAIL as the recipe judged the row,
# except UNSUPPORTED for a row expected to fail that the client failed only
# by rejecting an option it does not know (the recipe counts it as passed;
# it shows nothing but the missing option, so it is not counted as passed).
# Prints "N of M rows passed" and a split by the expected outcome. Exits 0
# when every row ran (whatever their results), 2 when the suite could not.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

client=${CMP_CLIENT-}
server=${CMP_SERVER-}
out=""
aspects=""
while getopts c:s:o:a: opt; do
  case $opt in
    c) client=$OPTARG ;;
    s) server=$OPTARG ;;
    o) out=$OPTARG ;;
    a) aspects=$OPTARG ;;
    *) sed -n '2,30s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
  esac
done

die() { echo "conformance: $*" >&2; exit 2; }

abs_prog() { # a program given as path or name, made absolute
  case $1 in
    "") echo "" ;;
    */*) echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" ;;
    *) command -v "$1" ;;
  esac
}
client=$(abs_prog "$client") || die "client not found"
server=$(abs_prog "$server") || die "server not found"
[ -z "$client" ] || [ -x "$client" ] || die "client $client is not executable"
[ -z "$server" ] || [ -x "$server" ] || die "server $server is not executable"

tree=${OPENSSL_TESTS:-$("$top/scripts/fetch-openssl-tests.sh")} \
  || die "cannot get OpenSSL's cmp tests (scripts/fetch-openssl-tests.sh failed)"
recipe=test/recipes/80-test_cmp_http.t
data=test/recipes/80-test_cmp_http_data
if ! [ -f "$tree/$recipe" ] || ! [ -d "$tree/$data" ] \
   || ! [ -f "$tree/util/perl/OpenSSL/Test.pm" ]; then
  die "$tree does not hold $recipe, $data and util/perl/OpenSSL"
fi

if [ -z "$out" ]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/pkixcmp-conformance.XXXXXX") || die "mktemp failed"
fi
mkdir -p "$out" || die "cannot create $out"
out=$(cd "$out" && pwd) || die "cannot enter $out"
rm -rf "${out:?}/work" "$out/results.tsv" "$out/tap.log" "$out/shim.log" "$out/faillog"

# fake source tree: the recipe and a fresh copy of its data (tests may write
# there), the Perl test framework; setup() wants a file named Configure
src="$out/work/src"
bld="$out/work/bld"
mkdir -p "$src/test/recipes" "$src/util" "$bld/apps" "$bld/util" "$out/work/results"
: >"$src/Configure"
ln -s "$tree/util/perl" "$src/util/perl"
cp "$tree/$recipe" "$src/$recipe"
cp -R "$tree/$data" "$src/$data"
# fake build tree: apps/openssl is the shim; util/wrap.pl (which the framework
# puts in front of every program) just runs it; configdata.pm says that cmp,
# ec and sock are enabled, as they are in Debian's openssl
ln -s "$here/openssl-shim.sh" "$bld/apps/openssl"
printf '#!/bin/sh\nexec "$@"\n' >"$bld/util/wrap.pl"
chmod +x "$bld/util/wrap.pl"
cat >"$bld/configdata.pm" <<'EOF'
package configdata;
our %config = (options => "");
our %target = ();
our %disabled = ();
our %available_protocols = ();
1;
EOF

export SRCTOP="$src" BLDTOP="$bld" RESULT_D="$out/work/results"
export PERL5LIB="$src/util/perl${PERL5LIB:+:$PERL5LIB}"
export CMP_SHIM_LOG="$out/shim.log" HARNESS_FAILLOG="$out/faillog"
export CMP_CLIENT="$client" CMP_SERVER="$server"
export OPENSSL_CMP_SERVER=Mock
if [ -n "$aspects" ]; then export OPENSSL_CMP_ASPECTS="$aspects"; else unset OPENSSL_CMP_ASPECTS; fi
# the recipe skips everything under EXE_SHELL; it must run, not skip
unset EXE_SHELL OPENSSL_CMP_CONFIG HARNESS_ACTIVE HARNESS_VERBOSE TOP BIN_D TEST_D
: >"$CMP_SHIM_LOG"

start=$(date +%s)
(cd "$out/work" && timeout -k 5 "${CONFORMANCE_TIMEOUT:-900}" perl "$src/$recipe") \
  >"$out/tap.log" 2>&1
perl_rc=$?
secs=$(( $(date +%s) - start ))

# rows: the indented results of the per-aspect subtests, in order; the shim
# logged one client call per row, in the same order, with its exit status
awk -v shimlog="$CMP_SHIM_LOG" '
  BEGIN { FS = "\t"; n = 0
          while ((getline l < shimlog) > 0) {
            if (l !~ /^client /) continue
            split(l, t, "\t"); split(t[1], f, " "); n++
            rc[n] = f[2]; ms[n] = f[3]; note[n] = t[1]
            sub(/^client [^ ]+ [^ ]+ /, "", note[n])
          } }
  /^# Subtest: CMP app CLI / { aspect = $0; sub(/.* /, "", aspect); next }
  /^    (not )?ok [0-9]+ - / {
    line = $0; pass = (line ~ /^    ok /)
    sub(/^    (not )?ok [0-9]+ - /, "", line); gsub(/\\#/, "#", line)
    r = ++row
    if (r in rc) { actual = rc[r]; ex = (pass == (actual == 0)) ? "0" : "nonzero" }
    else { actual = "?"; ex = "?" }
    st = pass ? "PASS" : "FAIL"
    if (pass && ex == "nonzero" && (r in note) && note[r] ~ /option/) st = "UNSUPPORTED"
    printf "%s\t%s\t%s\t%s\t%s\t%s: %s\n", st, ex, actual,
           (r in ms) ? ms[r] : "?", (r in note) ? note[r] : "?", aspect, line
  }
  END { if (row != n) printf "row/call count mismatch: %d rows, %d client calls\n", row, n > "/dev/stderr" }
' "$out/tap.log" >"$out/results.tsv" 2>"$out/work/parse.err"

total=$(wc -l <"$out/results.tsv")
count() { awk -F'\t' -v s="$1" -v e="$2" '$1 ~ s && $2 ~ e' "$out/results.tsv" | wc -l; }
echo "conformance: client ${client:-system openssl}, server ${server:-system openssl}" \
     "($(cat "$tree/SOURCE" 2>/dev/null || echo "$tree"), ${secs}s, in $out)"
echo "conformance: rows expected to succeed: $(count '^PASS$' '^0$') of $(count . '^0$') passed;" \
     "rows expected to fail: $(count '^PASS$' nonzero) of $(count . nonzero) passed"
echo "$(count '^PASS$' .) of $total rows passed" \
     "($(count UNSUPPORTED .) more failed as expected only by rejecting an unknown option)"

# the suite ran when the recipe finished (its last test stops the mock
# server), every row has its client call, and there were rows at all
ran=1
grep -q '^ok [0-9]* - killing mock server' "$out/tap.log" || ran=0
[ -s "$out/work/parse.err" ] && { cat "$out/work/parse.err" >&2; ran=0; }
[ "$total" -gt 0 ] || ran=0
if [ "$ran" = 0 ]; then
  echo "conformance: the suite did not run to its end (perl exit $perl_rc); see $out/tap.log" >&2
  tail -20 "$out/tap.log" | sed 's/^/conformance:   /' >&2
  exit 2
fi
exit 0
