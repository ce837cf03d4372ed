#!/usr/bin/env bash
# 05-options: option syntax and configuration file semantics as openssl cmp
# has them: -name=value, base-0 integers, "" resets, last one wins,
# -config/-section with sections looked up last to first, [default]
# fallback, unknown keys ignored, empty values reset, decimal numbers.
. "$(dirname "$0")/lib.sh"
d="$top_srcdir/test/data"
msg="$d/ir_mac.der"            # 593 bytes
export OPENSSL_CONF="$TMPD/none.cnf"  # no default file: skipped silently

run_ok "no default configuration file is fine" "$PKIXCMP" -inspect "$msg"
run_ok "-name=value form" "$PKIXCMP" -inspect="$msg" -inspect_format=json
jq -e '.body.type == "ir"' "$TMPD/out" >/dev/null; ok $? "-inspect_format=json took effect"
run_fail "hex size limit 0x100 (256) is below the message" "$PKIXCMP" -inspect "$msg" -max_msg_size 0x100
has "$TMPD/err" "exceed|limit" "hex value parsed as 256"
run_ok "octal 02000 (1024) is enough" "$PKIXCMP" -inspect "$msg" -max_msg_size 02000
run_fail "trailing garbage in a number" "$PKIXCMP" -inspect "$msg" -max_msg_size 12x
has "$TMPD/err" "-max_msg_size: '12x' is not a number" "bad number named"
run_fail "negative number" "$PKIXCMP" -inspect "$msg" -max_msg_size -5
run_fail "flag with a value" "$PKIXCMP" -help=1
has "$TMPD/err" "option -help takes no value" "flag value refused"
run_ok "last repeated option wins" "$PKIXCMP" -inspect "$msg" -inspect_format json -inspect_format text
has "$TMPD/out" '^header:$' "text output (the last -inspect_format)"
run_fail "verbosity out of range" "$PKIXCMP" -verbosity 9 -inspect "$msg"

cat > "$TMPD/a.cnf" <<'CNF'
# helper keys like this one are ignored, as openssl cmp does
server_host = 127.0.0.1
max_msg_size = 100

[default]
inspect_format = json

[small]
max_msg_size = 200

[big]
max_msg_size = 65536

[text]
inspect_format =

[hex]
max_msg_size = 0x10000

[unknown]
no_such_option = 1
CNF

run_fail "[default] and the unnamed section: limit 100" "$PKIXCMP" -config "$TMPD/a.cnf" -section "" -inspect "$msg"
has "$TMPD/err" "limit" "the unnamed section's max_msg_size applied"
run_ok "later section wins: small,big" "$PKIXCMP" -config "$TMPD/a.cnf" -section "small,big" -inspect "$msg"
jq -e '.header.pvno == 2' "$TMPD/out" >/dev/null; ok $? "[default] inspect_format = json applied"
run_fail "later section wins: big small (whitespace)" "$PKIXCMP" -config "$TMPD/a.cnf" -section "big small" -inspect "$msg"
run_ok "an empty value resets the option from [default]" "$PKIXCMP" -config "$TMPD/a.cnf" -section "big,text" -inspect "$msg"
has "$TMPD/out" '^header:$' "text output after the reset"
run_ok "command line wins over the file" "$PKIXCMP" -config "$TMPD/a.cnf" -section small -max_msg_size 4096 -inspect "$msg"
run_ok "\"\" on the command line resets a string option" "$PKIXCMP" -config "$TMPD/a.cnf" -section big -inspect_format "" -inspect "$msg"
has "$TMPD/out" '^header:$' "text output after resetting"
has "$TMPD/err" "inspect_format option argument is empty string, resetting option" "reset warned"
run_fail "numbers in the file are decimal" "$PKIXCMP" -config "$TMPD/a.cnf" -section hex -inspect "$msg"
has "$TMPD/err" "configuration file: -max_msg_size: '0x10000' is not a decimal number" "hex in the file refused"
run_ok "unknown keys are ignored" "$PKIXCMP" -config "$TMPD/a.cnf" -section "big,unknown" -inspect "$msg"
run_fail "a named section must exist" "$PKIXCMP" -config "$TMPD/a.cnf" -section "big,nosuch" -inspect "$msg"
has "$TMPD/err" "no \[nosuch\] section" "missing section named"
run_ok "-config \"\" reads no file" "$PKIXCMP" -config "" -inspect "$msg"
run_fail "an explicit file must exist" "$PKIXCMP" -config "$TMPD/missing.cnf" -inspect "$msg"
has "$TMPD/err" "cannot load configuration file" "missing file named"
printf '[cmp]\nmax_msg_size = 64\n' > "$TMPD/cmp.cnf"
OPENSSL_CONF="$TMPD/cmp.cnf" run_fail "default file from \$OPENSSL_CONF, section [cmp]" "$PKIXCMP" -inspect "$msg"
OPENSSL_CONF="$TMPD/cmp.cnf" run_ok "-verbosity 3 silences info lines" "$PKIXCMP" -verbosity 3 -max_msg_size 0 -inspect "$msg"
! grep -q "info:" "$TMPD/err"; ok $? "no info lines at verbosity 3"
done_testing
