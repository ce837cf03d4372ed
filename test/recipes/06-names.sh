#!/usr/bin/env bash
# 06-names: values with a syntax of their own, read as openssl cmp reads
# them: distinguished names (/type=value, escapes, multi-valued RDNs),
# -sans, -policy_oids, -serial, -geninfo, -infotype, and the extension
# sections of -reqexts and -policies.
. "$(dirname "$0")/lib.sh"
: "${top_builddir:=$top_srcdir/build}"
PROBE=${PROBE:-$top_builddir/test/tools/cli_probe}
export OPENSSL_CONF="$TMPD/none.cnf"

# dn DESCRIPTION DN LINES...: parses, and prints exactly LINES (one per attribute)
dn() {
  local desc=$1 name=$2; shift 2
  run_ok "$desc" "$PROBE" dn "$name"
  if [ $# -eq 0 ]; then : > "$TMPD/want"; else printf '%s\n' "$@" > "$TMPD/want"; fi
  diff "$TMPD/want" "$TMPD/out" > "$TMPD/diff"; local s=$?
  ok $s "$desc: attributes"
  [ $s -eq 0 ] || sed 's/^/# /' "$TMPD/diff"
}

dn "two RDNs" "/CN=x/O=y" "rdn 0: CN=x (UTF8STRING)" "rdn 1: O=y (UTF8STRING)"
dn "C is a PrintableString" "/C=DE/CN=x" "rdn 0: C=DE (PRINTABLESTRING)" "rdn 1: CN=x (UTF8STRING)"
dn "escaped slash" '/CN=a\/b' "rdn 0: CN=a/b (UTF8STRING)"
dn "escaped plus and backslash" '/CN=a\+b\\c' 'rdn 0: CN=a+b\c (UTF8STRING)'
dn "multi-valued RDN" "/CN=x+UID=7/O=y" "rdn 0: CN=x (UTF8STRING)" "rdn 0: UID=7 (UTF8STRING)" "rdn 1: O=y (UTF8STRING)"
dn "long names and OIDs as types" "/commonName=x/2.5.4.10=y" "rdn 0: CN=x (UTF8STRING)" "rdn 1: O=y (UTF8STRING)"
dn "UTF-8 values" "/CN=Müller" "rdn 0: CN=Müller (UTF8STRING)"
dn "spaces are kept" "/CN= a b " "rdn 0: CN= a b  (UTF8STRING)"
dn "a trailing slash" "/CN=x/" "rdn 0: CN=x (UTF8STRING)"
dn "the empty name" "/"
dn "an unknown type is skipped" "/XX=1/CN=x" "rdn 0: CN=x (UTF8STRING)"
has "$TMPD/err" 'skipping unknown subject name attribute "XX"' "unknown type warned about"
dn "an empty value is skipped" "/CN=/O=y" "rdn 0: O=y (UTF8STRING)"
has "$TMPD/err" 'no value given for subject name attribute "CN", skipped' "empty value warned about"
run_fail "a name must start with /" "$PROBE" dn "CN=x"
has "$TMPD/err" "subject name is expected in the form /type0=value0/type1=value1" "format explained"
run_fail "a type without =" "$PROBE" dn "/CN=x/O"
has "$TMPD/err" "no '=' after attribute type \"O\"" "missing = named"
run_fail "an escape at the end" "$PROBE" dn '/CN=x\'
has "$TMPD/err" "ends with an escape character" "trailing escape named"

# -sans
run_ok "SANs of each kind" "$PROBE" sans "a.example, 192.0.2.1 2001:db8::1,http://a.example/x user@a.example critical"
printf '%s\n' "DNS:a.example" "IP Address:192.0.2.1" "IP Address:2001:DB8:0:0:0:0:0:1" \
  "URI:http://a.example/x" "email:user@a.example" "critical=1" | diff - "$TMPD/out" > "$TMPD/diff"
ok $? "SANs: DNS, IPv4, IPv6, URI, email, critical"
sed 's/^/# /' "$TMPD/diff"
run_ok "SANs without critical" "$PROBE" sans "a.example"
has "$TMPD/out" '^critical=0$' "not critical by default"
run_ok "1.2.3.4.5 is no IP address" "$PROBE" sans "1.2.3.4.5"
has "$TMPD/out" '^DNS:1.2.3.4.5$' "taken as a DNS name"
run_ok "empty items are dropped" "$PROBE" sans " a.example,, ,b.example "
[ "$(grep -c '^DNS:' "$TMPD/out")" -eq 2 ]; ok $? "two DNS names"

# -policy_oids, -serial, -infotype, -geninfo
run_ok "policy OIDs" "$PROBE" oids "1.2.3.4, 2.5.29.32.0 1.3.6.1.4.1.99"
has "$TMPD/out" '^3 oid\(s\)$' "three OIDs"
run_fail "policy OIDs are numeric" "$PROBE" oids "1.2.3,anyPolicy"
has "$TMPD/err" "unknown policy OID 'anyPolicy'" "a name is refused"
run_ok "decimal serial" "$PROBE" serial 12345
has "$TMPD/out" '^serial=12345$' "decimal serial"
run_ok "hex serial" "$PROBE" serial 0x1F
has "$TMPD/out" '^serial=31$' "hex serial"
run_fail "bad serial" "$PROBE" serial 12x
has "$TMPD/err" "cannot parse serial number '12x'" "bad serial named"
run_fail "hex digits need 0x" "$PROBE" serial 1F
for it in caCerts:17 rootCaCert:20 certReqTemplate:19 crlStatusList:22 signKeyPairTypes:2 certProfile:21; do
  run_ok "-infotype ${it%:*}" "$PROBE" infotype "${it%:*}"
  has "$TMPD/out" "^oid=1\\.3\\.6\\.1\\.5\\.5\\.7\\.4\\.${it#*:}\$" "${it%:*} is id-it ${it#*:}"
done
run_fail "unknown -infotype" "$PROBE" infotype nosuch
has "$TMPD/err" "unknown OID name in -infotype option: 'nosuch'" "unknown infotype named"
run_fail "-infotype with id-it- prefix" "$PROBE" infotype id-it-caCerts
run_fail "-infotype is checked before anything else" "$PKIXCMP" -config "" -cmd genm -infotype nosuch
has "$TMPD/err" "unknown OID name in -infotype" "pkixcmp checks -infotype"
run_ok "-geninfo list" "$PROBE" geninfo "1.2.3.4:int:56789, id-kp:str:name,1.2.5:INT:-3"
printf '%s\n' "1.2.3.4 int 56789" "1.3.6.1.5.5.7.3 str 'name'" "1.2.5 int -3" | diff - "$TMPD/out" > "$TMPD/diff"
ok $? "-geninfo items: OID by number and name, int and str"
sed 's/^/# /' "$TMPD/diff"
run_ok "-geninfo single item (3.0 form)" "$PROBE" geninfo "1.2.3.4:int:5"
run_fail "-geninfo without ':'" "$PROBE" geninfo "1.2.3.4"
has "$TMPD/err" "missing ':' in -geninfo" "missing : named"
run_fail "-geninfo bad OID" "$PROBE" geninfo "nosuchname:int:1"
has "$TMPD/err" "invalid OID in -geninfo" "bad OID named"
run_fail "-geninfo bad type" "$PROBE" geninfo "1.2.3:bool:1"
has "$TMPD/err" "missing 'int:' or 'str:' in -geninfo" "bad type named"
run_fail "-geninfo bad int" "$PROBE" geninfo "1.2.3:int:x"
has "$TMPD/err" "cannot parse int in -geninfo" "bad int named"
run_fail "-geninfo garbage after int" "$PROBE" geninfo "1.2.3:int:5 6"
has "$TMPD/err" "missing ',' or end of -geninfo arg after int" "garbage named"

# -reqexts and -policies sections
cat > "$TMPD/e.cnf" <<'CNF'
[exts]
subjectAltName = @alt
basicConstraints = critical, CA:FALSE
[alt]
DNS.1 = a.example
IP.1 = 192.0.2.1
[noalt]
keyUsage = digitalSignature
[pols]
certificatePolicies = 1.2.3.4
[bad]
keyUsage = noSuchUsage
CNF
run_ok "-reqexts and -policies" "$PROBE" reqexts - -config "$TMPD/e.cnf" -reqexts exts -policies pols
has "$TMPD/out" '^subjectAltName: DNS:a.example, IP Address:192.0.2.1$' "SAN from the section"
has "$TMPD/out" '^basicConstraints \(critical\): CA:FALSE$' "critical basicConstraints"
has "$TMPD/out" '^certificatePolicies: Policy: 1.2.3.4$' "policies from their section"
has "$TMPD/out" '^san=1$' "the SAN is seen (conflicts with -sans)"
run_ok "-reqexts without SAN" "$PROBE" reqexts - -config "$TMPD/e.cnf" -reqexts noalt
has "$TMPD/out" '^san=0$' "no SAN seen"
run_fail "missing -reqexts section" "$PROBE" reqexts - -config "$TMPD/e.cnf" -reqexts nosuch
has "$TMPD/err" "cannot load certificate request extension section 'nosuch'" "missing section named"
run_fail "bad extension value" "$PROBE" reqexts - -config "$TMPD/e.cnf" -reqexts bad
run_fail "missing -policies section" "$PROBE" reqexts - -config "$TMPD/e.cnf" -policies nosuch
has "$TMPD/err" "cannot load policy cert request extension section 'nosuch'" "missing policies section named"
run_fail "-reqexts without a configuration file" "$PROBE" reqexts - -config "" -reqexts exts
has "$TMPD/err" "there is none" "no configuration file said"
done_testing
