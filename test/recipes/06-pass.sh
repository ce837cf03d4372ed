#!/usr/bin/env bash
# 06-pass: pass phrase arguments as openssl reads them: pass:, env:, file:
# (first line), fd: (via a shell redirection), stdin; the strict reader
# refuses anything else, while -keypass & co. fall back to the literal
# argument with a warning, as openssl cmp does; an encrypted key loads with
# the right pass phrase from every source and fails clearly otherwise.
. "$(dirname "$0")/lib.sh"
: "${top_builddir:=$top_srcdir/build}"
PROBE=${PROBE:-$top_builddir/test/tools/cli_probe}
c="$top_srcdir/test/certs"
enc="$c/client_p256_enc.key" # pass phrase "test"
export OPENSSL_CONF="$TMPD/none.cnf"

# pass DESCRIPTION EXPECTED SOURCE [probe options]: strict read gives EXPECTED
pass() {
  local desc=$1 want=$2 src=$3; shift 3
  run_ok "$desc" "$PROBE" pass "$src" "$@"
  has "$TMPD/out" "^pass=\[$want\]\$" "$desc: [$want]"
}

pass "pass:" "s3cret word" "pass:s3cret word"
pass "pass: empty" "" "pass:"
pass "pass: keeps colons" "a:b:" "pass:a:b:"
PKIXCMP_PW="from env" pass "env:" "from env" "env:PKIXCMP_PW"
printf 'first line\nsecond line\n' > "$TMPD/pw"
pass "file: first line" "first line" "file:$TMPD/pw"
printf 'no newline' > "$TMPD/pw1"
pass "file: without newline" "no newline" "file:$TMPD/pw1"
printf 'cr\r\n' > "$TMPD/pw2"
pass "file: only the newline is cut, as openssl" $'cr\r' "file:$TMPD/pw2"
printf '\nsecond\n' > "$TMPD/pw3"
pass "file: an empty first line is an empty pass phrase" "" "file:$TMPD/pw3"
head -c 2000 /dev/zero | tr '\0' x > "$TMPD/long"
run_ok "file: a long line is cut at 1023 bytes" "$PROBE" pass "file:$TMPD/long"
[ "$(sed -n 's/^pass=\[\(x*\)\]$/\1/p' "$TMPD/out" | tr -d '\n' | wc -c)" -eq 1023 ]; ok $? "1023 bytes read"

run_ok "fd: via redirection" "$PROBE" pass "fd:3" 3<"$TMPD/pw"
has "$TMPD/out" '^pass=\[first line\]$' "fd:3 gives the first line"
run_ok "stdin" "$PROBE" pass stdin < "$TMPD/pw"
has "$TMPD/out" '^pass=\[first line\]$' "stdin gives the first line"

# failures of the strict reader
run_fail "env: unset variable" env -u PKIXCMP_NOPE "$PROBE" pass env:PKIXCMP_NOPE
has "$TMPD/err" "no environment variable PKIXCMP_NOPE" "missing variable named"
run_fail "file: missing file" "$PROBE" pass "file:$TMPD/nope"
has "$TMPD/err" "cannot open pass phrase file .*nope" "missing file named"
: > "$TMPD/empty"
run_fail "file: empty file" "$PROBE" pass "file:$TMPD/empty"
has "$TMPD/err" "cannot read pass phrase from .*empty: no input" "empty file named"
run_fail "fd: not a number" "$PROBE" pass "fd:x"
has "$TMPD/err" "invalid file descriptor in pass phrase argument fd:x" "bad fd named"
run_fail "fd: closed descriptor" "$PROBE" pass "fd:7"
has "$TMPD/err" "cannot read pass phrase from the file descriptor" "closed fd named"
run_fail "stdin at end of input" "$PROBE" pass stdin < /dev/null
run_fail "no source: refused by the strict reader" "$PROBE" pass "12345"
has "$TMPD/err" "invalid pass phrase argument: no pass:, env:" "missing prefix named"
run_fail "unknown source" "$PROBE" pass "fp:4"
has "$TMPD/err" 'invalid pass phrase argument starting with "fp:"' "unknown prefix named"
! grep -q 4 "$TMPD/err"; ok $? "the error does not show the rest of the argument"

# openssl cmp's fallback: the literal argument, with a warning
run_ok "no prefix: the literal argument" "$PROBE" passget "12345"
has "$TMPD/out" '^pass=\[12345\]$' "12345 taken literally"
has "$TMPD/err" "Trying plain input string \(better precede with 'pass:'\)" "the fallback is warned about"
run_ok "unreadable source: the literal argument" env -u PKIXCMP_NOPE "$PROBE" passget env:PKIXCMP_NOPE
has "$TMPD/out" '^pass=\[env:PKIXCMP_NOPE\]$' "env:PKIXCMP_NOPE taken literally"
run_ok "a valid source is not taken literally" "$PROBE" passget pass:abc
has "$TMPD/out" '^pass=\[abc\]$' "pass:abc gives abc"
! grep -q "Trying plain" "$TMPD/err"; ok $? "no fallback warning for a valid source"

# an encrypted key with each source
run_ok "encrypted key, -keypass pass:" "$PROBE" key "$enc" -keypass pass:test
has "$TMPD/out" '^key: EC 256 bits, private$' "the decrypted key"
PKIXCMP_PW=test run_ok "encrypted key, -keypass env:" "$PROBE" key "$enc" -keypass env:PKIXCMP_PW
printf 'test\n' > "$TMPD/kp"
run_ok "encrypted key, -keypass file:" "$PROBE" key "$enc" -keypass "file:$TMPD/kp"
run_ok "encrypted key, -keypass fd:" "$PROBE" key "$enc" -keypass fd:4 4<"$TMPD/kp"
run_ok "encrypted key, -keypass stdin" "$PROBE" key "$enc" -keypass stdin < "$TMPD/kp"
run_ok "encrypted key, -keypass without prefix (openssl cmp quirk)" "$PROBE" key "$enc" -keypass test
run_fail "encrypted key, wrong pass phrase" "$PROBE" key "$enc" -keypass pass:wrong -batch
has "$TMPD/err" "cannot load private key from .*client_p256_enc.key.* \(wrong pass phrase\?\)" "wrong pass phrase: clear error"
has "$TMPD/err" "bad decrypt|wrong password" "the OpenSSL reason follows"
run_fail "encrypted key, :test is a wrong literal" "$PROBE" key "$enc" -keypass :test -batch
run_fail "encrypted key, no pass phrase with -batch" "$PROBE" key "$enc" -batch
has "$TMPD/err" "is encrypted and no pass phrase was given \(-batch\)" "missing pass phrase: clear error"
# without -batch it would prompt on the terminal: run it without one (setsid)
run_fail "encrypted key, no pass phrase and no terminal to ask" \
  timeout 20 setsid -w "$PROBE" key "$enc" < /dev/null
done_testing
