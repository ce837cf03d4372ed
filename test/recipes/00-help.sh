#!/usr/bin/env bash
# 00-help: -help lists every option of openssl cmp (3.0 to 4.0) and ours,
# grouped like openssl's help; the man page documents exactly those options
# under the same group headings.
. "$(dirname "$0")/lib.sh"
man="$top_srcdir/doc/man1/pkixcmp.1"

run_ok "pkixcmp -help exits 0" "$PKIXCMP" -config "" -help
cp "$TMPD/err" "$TMPD/help" # as openssl cmp: the summary goes to stderr
has "$TMPD/help" '^Usage: pkixcmp' "-help prints a usage line"
run_ok "-h is -help" "$PKIXCMP" -config "" -h
cmp -s "$TMPD/err" "$TMPD/help"; ok $? "-h prints the same summary"

# options in -help: lines starting with " -name"
sed -n 's/^ -\([A-Za-z0-9_-]*\).*/\1/p' "$TMPD/help" | sort > "$TMPD/help_opts"
# options in the man page: the line after ".TP" starting with "\fB\-name\fR"
# (\- for each dash)
awk '/^\.TP$/ { getline; print }' "$man" | sed -n 's/^\\fB\\-\([A-Za-z0-9_\\-]*\)\\fR.*/\1/p' \
  | sed 's/\\-/-/g' | sort > "$TMPD/man_opts"
[ -s "$TMPD/help_opts" ]; ok $? "-help lists options"
sort -u "$TMPD/help_opts" | cmp -s - "$TMPD/help_opts"; ok $? "-help lists each option once"
sort -u "$TMPD/man_opts" | cmp -s - "$TMPD/man_opts"; ok $? "the man page documents each option once"
diff "$TMPD/help_opts" "$TMPD/man_opts" > "$TMPD/diff"; s=$?
ok $s "man page documents exactly the options of -help"
[ $s -eq 0 ] || sed 's/^/# /' "$TMPD/diff"

# help sections = man page subsections, in the same order
sed -n 's/^\([A-Z].*\):$/\1/p' "$TMPD/help" > "$TMPD/help_groups"
sed -n 's/^\.SS //p' "$man" > "$TMPD/man_groups"
diff "$TMPD/help_groups" "$TMPD/man_groups" > "$TMPD/diff"; s=$?
ok $s "help sections and man page subsections agree"
[ $s -eq 0 ] || sed 's/^/# /' "$TMPD/diff"

# every option of openssl cmp 4.0 (../shared/openssl-cmp-options.md 1.1-1.13)
for o in help config section verbosity cmd infotype profile geninfo template keyspec \
  newkey newkeypass centralkeygen newkeyout subject days reqexts sans san_nodefault policies \
  policy_oids policy_oids_critical popo csr out_trusted implicit_confirm disable_confirm certout \
  chainout oldcert issuer serial revreason server proxy no_proxy recipient path keep_alive \
  msg_timeout total_timeout trusted untrusted srvcert expect_sender ignore_keyusage \
  unprotected_errors ta_in_ip_extracerts no_cache_extracerts srvcertout extracertsout cacertsout \
  oldwithold newwithnew newwithold oldwithnew crlcert oldcrl crlout ref secret cert own_trusted \
  key keypass digest mac extracerts unprotected_requests certform crlform keyform otherpass engine \
  provider-path provider propquery provparam rand writerand tls_used tls_cert tls_key tls_keypass \
  tls_extra tls_trusted tls_host batch repeat reqin reqin_new_tid reqout reqout_only rspin rspout \
  use_mock_srv port max_msgs srv_ref srv_secret srv_cert srv_key srv_keypass srv_trusted \
  srv_untrusted ref_cert rsp_cert rsp_key rsp_keypass rsp_crl rsp_extracerts rsp_capubs \
  rsp_newwithnew rsp_newwithold rsp_oldwithnew poll_count check_after grant_implicitconf \
  pkistatus failure failurebits statusstring send_error send_unprotected send_unprot_err \
  accept_unprotected accept_unprot_err accept_raverified \
  policy purpose verify_name verify_depth auth_level attime verify_hostname verify_email \
  verify_ip ignore_critical issuer_checks crl_check crl_check_all policy_check explicit_policy \
  inhibit_any inhibit_map x509_strict extended_crl use_deltas policy_print check_ss_sig \
  trusted_first suiteB_128_only suiteB_128 suiteB_192 partial_chain no_alt_chains \
  no_check_time allow_proxy_certs; do
  echo "$o"
done | sort > "$TMPD/openssl_opts"
[ "$(wc -l < "$TMPD/openssl_opts")" -eq 158 ]; ok $? "the list of openssl cmp options has 158 names"
comm -23 "$TMPD/openssl_opts" "$TMPD/help_opts" > "$TMPD/missing"
[ ! -s "$TMPD/missing" ]; ok $? "-help has every option of openssl cmp"
sed 's/^/# missing: /' "$TMPD/missing"
comm -13 "$TMPD/openssl_opts" "$TMPD/help_opts" > "$TMPD/extra"
# our extensions are exactly the options of the -help groups marked
# "(pkixcmp...)", e.g. "Message inspection (pkixcmp)"
awk '/^[A-Z].*:$/ { ours = /\(pkixcmp/ } ours && /^ -/ { sub(/^ -/, ""); print $1 }' \
  "$TMPD/help" | sort > "$TMPD/ours"
grep -qx inspect "$TMPD/ours" && grep -qx srv_endpoints "$TMPD/ours"
ok $? "-help marks groups of pkixcmp extensions (-inspect, -srv_endpoints among them)"
cmp -s "$TMPD/ours" "$TMPD/extra"; s=$?
ok $s "the options openssl cmp does not have are those of the pkixcmp groups"
[ $s -eq 0 ] || diff "$TMPD/ours" "$TMPD/extra" | sed 's/^/# /'

awk 'length > 110' "$TMPD/help" > "$TMPD/long"
[ ! -s "$TMPD/long" ]; ok $? "-help lines fit in 110 columns"
sed 's/^/# /' "$TMPD/long"

run_fail "unknown option fails" "$PKIXCMP" -no_such_option
has "$TMPD/err" "Unknown option: -no_such_option" "unknown option is named"
has "$TMPD/err" "Use -help for summary" "the error points to -help"
run_fail "missing argument fails" "$PKIXCMP" -inspect
has "$TMPD/err" "Option -inspect needs a value" "missing argument is named"
run_fail "no arguments fails" "$PKIXCMP"
has "$TMPD/err" '^Usage: pkixcmp' "no arguments shows the summary on stderr"
run_fail "no job fails" "$PKIXCMP" -config ""
has "$TMPD/err" "no cmp command to execute" "no job is named"
done_testing
