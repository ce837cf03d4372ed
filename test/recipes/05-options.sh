#!/usr/bin/env bash
# 05-options: option syntax and configuration file semantics as openssl cmp
# has them: -name=value, --name, base-0 integers with their kinds (int,
# int>=0, int>0, intmax) and ranges, flags, "" resets, last one wins, lists
# accumulate, -config/-section with sections looked up last to first,
# [default] fallback, unknown keys ignored, empty values reset, decimal
# numbers. Values are observed with cli_probe, which parses as pkixcmp does
# and prints every option that differs from its default.
. "$(dirname "$0")/lib.sh"
: "${top_builddir:=$top_srcdir/build}"
PROBE=${PROBE:-$top_builddir/test/tools/cli_probe}
d="$top_srcdir/test/data"
msg="$d/ir_mac.der"            # 593 bytes
export OPENSSL_CONF="$TMPD/none.cnf"  # no default file: skipped silently

# opts DESCRIPTION EXPECTED-LINE OPTIONS...: parsing succeeds and prints EXPECTED-LINE
opts() {
  local desc=$1 want=$2; shift 2
  run_ok "$desc" "$PROBE" opts - "$@"
  has "$TMPD/out" "^$want\$" "$desc: $want"
}
# opts_fail DESCRIPTION MESSAGE OPTIONS...: parsing fails with exit 1 and MESSAGE
opts_fail() {
  local desc=$1 msg=$2; shift 2
  run_fail "$desc" "$PKIXCMP" "$@"
  has "$TMPD/err" "$msg" "$desc: says $msg"
}

run_ok "no default configuration file is fine" "$PKIXCMP" -inspect "$msg"
run_ok "-name=value form" "$PKIXCMP" -inspect="$msg" -inspect_format=json
jq -e '.body.type == "ir"' "$TMPD/out" >/dev/null; ok $? "-inspect_format=json took effect"
run_ok "--name value form" "$PKIXCMP" --inspect "$msg" --inspect_format=json
jq -e '.body.type == "ir"' "$TMPD/out" >/dev/null; ok $? "--inspect_format=json took effect"
run_fail "hex size limit 0x100 (256) is below the message" "$PKIXCMP" -inspect "$msg" -max_msg_size 0x100
has "$TMPD/err" "exceed|limit" "hex value parsed as 256"
run_ok "octal 02000 (1024) is enough" "$PKIXCMP" -inspect "$msg" -max_msg_size 02000
run_ok "last repeated option wins" "$PKIXCMP" -inspect "$msg" -inspect_format json -inspect_format text
has "$TMPD/out" '^header:$' "text output (the last -inspect_format)"

# integer kinds (openssl's 'n', 'N', 'p' and intmax) and ranges
opts "int>=0 in hex" "days=16" -days 0x10
opts "int>=0 in octal" "days=8" -days 010
opts_fail "trailing garbage in a number" "Can't parse \"12x\" as a number for option -days" -days 12x
opts_fail "a float is no number" "Can't parse \"1.5\" as a number for option -days" -days 1.5
opts_fail "int>=0 refuses negatives" "Negative number \"-1\" for option -days" -days -1
opts_fail "beyond int" "Value \"2147483648\" outside integer range for option -days" -days 2147483648
opts "int takes negatives" "popo=-1" -popo -1
opts_fail "int beyond its range" "Value 3 for option -popo is out of range -1 .. 2" -popo 3
opts "int without range" "verify_depth=-5" -verify_depth -5
opts "int>0" "repeat=2" -repeat 2
opts_fail "int>0 refuses 0" "Non-positive number \"0\" for option -repeat" -repeat 0
opts "intmax beyond int" "attime=99999999999" -attime 99999999999
opts_fail "intmax garbage" "Can't parse \"x\" as a number for option -attime" -attime x
opts_fail "-keep_alive at most 2" "Value 3 for option -keep_alive is out of range 0 .. 2" -keep_alive 3
opts_fail "-verbosity at most 8" "Value 9 for option -verbosity is out of range 0 .. 8" -verbosity 9
opts_fail "-failure at most 26" "Value 27 for option -failure is out of range 0 .. 26" -failure 27
opts_fail "-failurebits below 2^27" "out of range 0 .. 134217727" -failurebits 0x8000000
opts_fail "-pkistatus at most 6" "Value 7 for option -pkistatus is out of range 0 .. 6" -pkistatus 7
opts_fail "-revreason 7 is not a reason" "-revreason 7 is not a valid CRL reason" -config "" -revreason 7
opts "-revreason 8" "revreason=8" -revreason 8

# flags and strings
opts "a flag" "batch=1" -batch
opts_fail "a flag takes no value" "Option -batch does not take a value" -batch=1
opts_fail "no positional arguments" "Extra option: \"1\"" -batch 1
opts_fail "missing value" "Option -days needs a value" -days
opts_fail "unknown option" "Unknown option: -nosuch" -nosuch
opts_fail "-- ends the options" "Extra option: \"-batch\"" -config "" -- -batch
opts "a string" "subject=/CN=x" -subject /CN=x
opts "a value may start with -" "proxy=-no_proxy" -proxy -no_proxy
has "$TMPD/err" "-proxy option argument starts with hyphen" "a value starting with - is warned about"
opts_fail "so a missing value takes the next option" "Extra option: \"127.0.0.1\"" -proxy -no_proxy 127.0.0.1
run_ok "\"\" resets a string" "$PROBE" opts - -subject /CN=x -subject ""
! grep -q '^subject=' "$TMPD/out"; ok $? "-subject is not set after \"\""
has "$TMPD/err" "-subject option argument is empty string, resetting option" "the reset is warned about"
opts "-provider-path with its dash" "provider-path=/tmp" -provider-path /tmp
run_ok "lists accumulate" "$PROBE" opts - -policy 1.2.3 -policy 1.2.4
[ "$(grep -c '^policy=' "$TMPD/out")" -eq 2 ]; ok $? "both -policy values kept"
run_ok "\"\" empties a list" "$PROBE" opts - -policy 1.2.3 -policy "" -policy 1.2.5
grep '^policy=' "$TMPD/out" | cmp -s - <(echo policy=1.2.5); ok $? "only the -policy after the reset is kept"
opts_fail "-cmd names are exact" "unknown cmp command 'IR'" -config "" -cmd IR
opts_fail "-certform PEM or DER" "unknown format 'P12' for -certform" -config "" -certform P12
opts "-keyform in any case" "keyform=der" -keyform der
opts_fail "-port is a port number" "-port '65536' is not a port number" -config "" -port 65536
opts_fail "-port excludes -server" "the -port option excludes -server" -config "" -port 0 -server x
opts_fail "-port excludes -tls_used" "-tls_used option not supported with -port" -config "" -port 0 -tls_used
opts_fail "-port excludes -reqout" "does not support -reqin, -reqout" -config "" -port 0 -reqout x
opts_fail "-server excludes -use_mock_srv" "cannot use both -server and -use_mock_srv" -config "" -server x -use_mock_srv

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
has "$TMPD/err" "Can't parse \"0x10000\" as a decimal number for config option -max_msg_size" "hex in the file refused"
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
printf '[cmp]\nverbosity = 3\n' > "$TMPD/v.cnf"
run_ok "-verbosity on the command line wins over the file" "$PKIXCMP" -config "$TMPD/v.cnf" -verbosity 6 -inspect "$msg" -inspect_format ""
has "$TMPD/err" "warning: -inspect_format option argument is empty string" "warnings shown at verbosity 6"
run_ok "-verbosity from the file" "$PKIXCMP" -config "$TMPD/v.cnf" -inspect "$msg" -inspect_format ""
! grep -q "warning" "$TMPD/err"; ok $? "no warnings at verbosity 3 from the file"

# every kind of option in the file
cat > "$TMPD/k.cnf" <<'CNF'
ca_dn = /CN=test CA
[kinds]
batch = 1
san_nodefault = 0
days = 30
popo = -1
attime = 99999999999
recipient = $ca_dn
expect_sender = ${ENV::PKIXCMP_TEST_SENDER}
provider = default
help = 1
section = nosuch
[badflag]
batch = yes
[negative]
days = -1
[zero]
repeat = 0
[range]
keep_alive = 3
CNF
export PKIXCMP_TEST_SENDER=/CN=sender
run_ok "all kinds from the file" "$PROBE" opts - -config "$TMPD/k.cnf" -section kinds
cp "$TMPD/out" "$TMPD/kinds"
has "$TMPD/kinds" '^batch=1$' "a flag = 1 sets it"
! grep -q '^san_nodefault=' "$TMPD/kinds"; ok $? "a flag = 0 leaves it off"
has "$TMPD/kinds" '^days=30$' "int>=0 from the file"
has "$TMPD/kinds" '^popo=-1$' "a negative int from the file"
has "$TMPD/kinds" '^attime=99999999999$' "intmax from the file"
has "$TMPD/kinds" '^recipient=/CN=test CA$' "\$var expansion"
has "$TMPD/kinds" '^expect_sender=/CN=sender$' "\${ENV::VAR} expansion"
has "$TMPD/kinds" '^provider=default$' "a list option from the file"
! grep -q '^help=' "$TMPD/kinds"; ok $? "help is not read from the file"
run_ok "a list from the file grows on the command line" "$PROBE" opts - -config "$TMPD/k.cnf" -section kinds -provider legacy
[ "$(grep -c '^provider=' "$TMPD/out")" -eq 2 ]; ok $? "providers from the file and the command line"
opts_fail "a flag in the file is a number" "Can't parse \"yes\" as a decimal number for config option -batch" -config "$TMPD/k.cnf" -section badflag
opts_fail "int>=0 in the file" "Negative number \"-1\" for config option -days" -config "$TMPD/k.cnf" -section negative
opts_fail "int>0 in the file" "Non-positive number \"0\" for config option -repeat" -config "$TMPD/k.cnf" -section zero
opts_fail "ranges in the file" "Value 3 for config option -keep_alive is out of range" -config "$TMPD/k.cnf" -section range
done_testing
