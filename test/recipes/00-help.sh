#!/usr/bin/env bash
# 00-help: -help lists every option, the man page documents exactly those.
. "$(dirname "$0")/lib.sh"
man="$top_srcdir/doc/man1/pkixcmp.1"

run_ok "pkixcmp -help exits 0" "$PKIXCMP" -config "" -help
cp "$TMPD/err" "$TMPD/help" # as openssl cmp: the summary goes to stderr
has "$TMPD/help" '^Usage: pkixcmp' "-help prints a usage line"

# options in -help: lines starting with " -name"
sed -n 's/^ -\([a-z_0-9]*\).*/\1/p' "$TMPD/help" | sort -u > "$TMPD/help_opts"
# options in the man page: ".TP" followed by "\fB\-name\fR"
sed -n 's/^\\fB\\-\([a-z_0-9]*\)\\fR.*/\1/p' "$man" | sort -u > "$TMPD/man_opts"
[ -s "$TMPD/help_opts" ]; ok $? "-help lists options"
diff "$TMPD/help_opts" "$TMPD/man_opts" > "$TMPD/diff"; s=$?
ok $s "man page documents exactly the options of -help"
[ $s -eq 0 ] || sed 's/^/# /' "$TMPD/diff"

run_fail "unknown option fails" "$PKIXCMP" -no_such_option
has "$TMPD/err" "unknown option '-no_such_option'" "unknown option is named"
run_fail "missing argument fails" "$PKIXCMP" -inspect
has "$TMPD/err" "option -inspect needs an argument" "missing argument is named"
run_fail "no arguments fails" "$PKIXCMP"
has "$TMPD/err" '^Usage: pkixcmp' "no arguments shows the summary on stderr"
run_fail "no job fails" "$PKIXCMP" -config ""
done_testing
