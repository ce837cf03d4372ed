#!/usr/bin/env bash
# 06-env: the generic options as openssl cmp sets them up: providers
# (-provider, -provider-path, -propquery, -provparam), -engine, -rand and
# -writerand; and -server, -path, -proxy, -no_proxy and -tls_used resolved
# with openssl's rules (https:// implies -tls_used, environment proxies,
# exact -no_proxy matches).
. "$(dirname "$0")/lib.sh"
: "${top_builddir:=$top_srcdir/build}"
PROBE=${PROBE:-$top_builddir/test/tools/cli_probe}
c="$top_srcdir/test/certs"
export OPENSSL_CONF="$TMPD/none.cnf"
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY no_proxy NO_PROXY

# providers
run_ok "-provider default" "$PROBE" key "$c/client_p256.key" -provider default
run_fail "unknown provider" "$PROBE" key "$c/client_p256.key" -provider nosuch
has "$TMPD/err" "unable to load provider nosuch" "unknown provider named"
run_fail "only the legacy provider: no default algorithms, as openssl" "$PROBE" key "$c/client_p256.key" -provider legacy
run_ok "-provider legacy -provider default" "$PROBE" key "$c/client_p256.key" -provider legacy -provider default
run_fail "-provider-path without the provider" "$PROBE" opts - -provider-path "$TMPD" -provider legacy
has "$TMPD/err" "unable to load provider legacy" "provider not found in -provider-path"
run_fail "-propquery that no provider meets" "$PROBE" key "$c/client_p256.key" -propquery "provider=nosuch"
run_ok "-propquery the default provider meets" "$PROBE" key "$c/client_p256.key" -propquery "provider=default"
run_fail "-provparam syntax" "$PROBE" opts - -provparam novalue
has "$TMPD/err" "is not of the form \[name:\]key=value" "bad -provparam named"

# engine (deprecated in OpenSSL 3, but openssl cmp 3.x has it)
run_ok "-engine dynamic" "$PROBE" opts - -engine dynamic
has "$TMPD/err" 'engine "dynamic" set' "the engine is set"
run_fail "unknown engine" "$PROBE" opts - -engine nosuch
has "$TMPD/err" 'invalid engine "nosuch"' "unknown engine named"
run_fail "-keyform ENGINE with an engine that has no such key" "$PROBE" key nosuchkey -engine dynamic -keyform ENGINE
has "$TMPD/err" 'cannot (initialize engine "dynamic"|load private key .nosuchkey. from engine "dynamic")' "engine key failure named"

# random state
run_ok "-rand files" "$PROBE" opts - -rand "$c/root.crt:$c/root.key"
run_fail "-rand missing file" "$PROBE" opts - -rand "$c/root.crt:$TMPD/nope"
has "$TMPD/err" "cannot load .*nope into the random number generator" "missing -rand file named"
run_fail "a client run that fails (no server)" "$PKIXCMP" -config "" -cmd genm -writerand "$TMPD/rnd"
has "$TMPD/err" "missing -server or -use_mock_srv or -rspin option" "the missing server is said"
[ -s "$TMPD/rnd" ]; ok $? "-writerand wrote the random state even so"
run_fail "-writerand to a directory that does not exist" "$PKIXCMP" -config "" -use_mock_srv -cmd ir -writerand "$TMPD/no/rnd"
has "$TMPD/err" "cannot write random state" "write failure named"

# -server and friends
srv() { "$PROBE" server - "$@"; }
run_ok "http URL with port and path" srv -server http://ca.example:8080/pkix/
has "$TMPD/out" '^host=ca.example port=8080 path=/pkix/ tls_used=0 proxy=\(none\):0$' "host, port, path"
run_ok "no scheme, no port, no path" srv -server ca.example
has "$TMPD/out" '^host=ca.example port=80 path=/ tls_used=0 ' "defaults: port 80, path /"
run_ok "https implies -tls_used" srv -server https://ca.example/a
has "$TMPD/out" '^host=ca.example port=443 path=/a tls_used=1 ' "port 443 and TLS"
has "$TMPD/err" "assuming -tls_used since -server URL indicates HTTPS" "the implication is warned about"
run_ok "-tls_used with http" srv -server ca.example -tls_used
has "$TMPD/out" 'tls_used=1' "TLS as asked"
run_ok "query, fragment and userinfo" srv -server "http://user@ca.example/p?q=1#f"
has "$TMPD/out" '^host=ca.example port=80 path=/p\?q=1#f ' "query and fragment kept in the path"
run_ok "IPv6 host" srv -server "http://[2001:db8::1]:8000/x"
has "$TMPD/out" '^host=\[2001:db8::1\] port=8000 ' "IPv6 address"
run_ok "-path overrides the URL path" srv -server http://ca.example/a -path /b
has "$TMPD/out" 'path=/b ' "path from -path"
run_fail "bad scheme" srv -server ftp://ca.example
has "$TMPD/err" "cannot parse -server URL: ftp://ca.example" "bad scheme named"
run_fail "port over 65535" srv -server ca.example:65536
run_fail "negative port" srv -server ca.example:-10
run_fail "garbage after the port" srv -server "ca.example:39213+/x"
run_ok "-proxy" srv -server ca.example -proxy http://proxy.example:3128/ignored
has "$TMPD/out" 'proxy=proxy.example:3128$' "proxy host and port"
http_proxy=http://envproxy.example:81 run_ok "proxy from \$http_proxy" srv -server ca.example
has "$TMPD/out" 'proxy=envproxy.example:81$' "\$http_proxy used"
https_proxy=envsproxy.example:82 run_ok "proxy from \$https_proxy with TLS" srv -server https://ca.example
has "$TMPD/out" 'proxy=envsproxy.example:82$' "\$https_proxy used"
run_ok "-no_proxy lists the host" srv -server ca.example -proxy proxy.example -no_proxy "other.example, ca.example"
has "$TMPD/out" 'proxy=\(none\):0$' "no proxy for a listed host"
run_ok "-no_proxy matches exactly" srv -server ca.example -proxy proxy.example -no_proxy ".example"
has "$TMPD/out" 'proxy=proxy.example:80$' "no suffix matching"
no_proxy=ca.example run_ok "\$no_proxy" srv -server ca.example -proxy proxy.example
has "$TMPD/out" 'proxy=\(none\):0$' "\$no_proxy used"
run_ok "without -server" srv -proxy proxy.example -no_proxy x -tls_used -path /p
has "$TMPD/out" '^host=\(none\) port=0 path=/p tls_used=0 ' "no server, -tls_used cleared"
has "$TMPD/err" "ignoring -proxy option since -server is not given" "-proxy ignored with a warning"
has "$TMPD/err" "ignoring -no_proxy option since -server is not given" "-no_proxy ignored with a warning"
has "$TMPD/err" "ignoring -tls_used option since -server is not given" "-tls_used ignored with a warning"
done_testing
