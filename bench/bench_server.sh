#!/usr/bin/env bash
# bench/bench_server.sh - server speed: the same load on `pkixcmp -port`
# and `openssl cmp -port` in one run, ratios printed; then the crypto floor
# of an enrollment on this machine, the share of it each server reaches,
# and what 1,000 idle keep-alive connections cost pkixcmp's server.
#
#   bench/bench_server.sh [-d SECONDS] [-t "1 2 4 8"] [-idle N]
#
# Servers (one runs at a time, each started fresh):
#   openssl        openssl cmp -port, -rsp_cert: answers every ir with the same
#                  stored certificate (signs nothing), one connection at a time
#   pkixcmp fixed  pkixcmp -port with the same options (signs nothing either)
#   pkixcmp RSA    pkixcmp -port issuing with test/certs/interm (RSA-2048 CA)
#   pkixcmp P-256  pkixcmp -port issuing with a P-256 CA made here
# All MAC-protected (PBM, 500 iterations), implicitConfirm granted.
#
# Loads (bench/load; every enrollment is checked, a failure fails the run):
#   replay  each thread sends requests recorded beforehand and checks the
#           ip's status (every 16th answer fully: MAC, transactionID,
#           nonces), so the load generator costs ~0.1 ms per enrollment and
#           the server is what runs out of CPU; the issue's openssl figure
#           (1,400-1,700/s) is of replayed requests too
#   client  each thread runs whole pkixcmp_exec_ir() transactions (its own
#           context and P-256 key): ~1 ms of client CPU per enrollment
# Two kinds of clients, each the same for every server: a new connection
# per enrollment (keep_alive 0), and clients that keep their connection
# (keep_alive 1, HTTP/1.1's default) where the server lets them:
# openssl cmp -port serves one connection at a time and closes it at the
# end of each transaction (with implicitConfirm: after every ip), so its
# clients reconnect every time anyway.
#
# Then bench/core, the server core alone (no HTTP), against the same floor.
#
# Run from a built tree (make bench does): PKIXCMP=build/pkixcmp,
# BENCH_BIN=build/bench (load, floor, core), OPENSSL=openssl.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
PKIXCMP=${PKIXCMP:-$top/build/pkixcmp}
BENCH_BIN=${BENCH_BIN:-$top/build/bench}
OPENSSL=${OPENSSL:-openssl}
LOAD=$BENCH_BIN/load
dur=3 threads="1 2 4 8" idle=1000
while [ $# -gt 0 ]; do
  case $1 in
    -d) dur=$2; shift 2 ;;
    -t) threads=$2; shift 2 ;;
    -idle) idle=$2; shift 2 ;;
    *) echo "usage: $0 [-d SECONDS] [-t \"1 2 4 8\"] [-idle N]" >&2; exit 2 ;;
  esac
done
for p in "$PKIXCMP" "$LOAD" "$BENCH_BIN/floor" "$BENCH_BIN/core"; do
  [ -x "$p" ] || { echo "$p missing: run make bench-progs" >&2; exit 1; }
done
certs=$top/test/certs
tmp=$(mktemp -d)
srv=""
failed=0
stop_server() {
  if [ -n "$srv" ]; then kill "$srv" 2>/dev/null || true; wait "$srv" 2>/dev/null || true; fi
  srv=""
}
trap 'stop_server; rm -rf "$tmp"' EXIT

# the P-256 CA (as interm: CA:TRUE, keyCertSign, SKID)
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
  -subj "/C=DE/O=pkixcmp test/CN=pkixcmp bench P-256 CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$tmp/ca256.key" -out "$tmp/ca256.crt" 2>/dev/null

mac=(-srv_ref 4711 -srv_secret pass:test1234 -grant_implicitconf)
fixed=(-srv_cert "$certs/server.crt" -srv_key "$certs/server.key"
       -rsp_cert "$certs/client_p256.crt" -rsp_capubs "$certs/root.crt")
servers="openssl fixed rsa p256"
declare -A title=([openssl]="openssl" [fixed]="pkixcmp fixed" [rsa]="pkixcmp RSA CA"
                  [p256]="pkixcmp P-256 CA")

# start_server NAME: runs it in the background; sets srv (its pid) and port
start_server() {
  local i args
  case $1 in
    openssl) args=("$OPENSSL" cmp -port 0 "${mac[@]}" "${fixed[@]}") ;;
    fixed) args=("$PKIXCMP" -config "" -port 0 "${mac[@]}" "${fixed[@]}") ;;
    rsa) args=("$PKIXCMP" -config "" -port 0 "${mac[@]}" -srv_cert "$certs/interm.crt"
               -srv_key "$certs/interm.key") ;;
    p256) args=("$PKIXCMP" -config "" -port 0 "${mac[@]}" -srv_cert "$tmp/ca256.crt"
                -srv_key "$tmp/ca256.key") ;;
  esac
  : >"$tmp/$1.out" # exists before the server opens it: sed below must not fail
  "${args[@]}" >"$tmp/$1.out" 2>>"$tmp/$1.log" &
  srv=$!
  port=""
  for i in $(seq 100); do
    port=$(sed -n "s/^ACCEPT .*:\([0-9]*\) PID=$srv\$/\1/p" "$tmp/$1.out" || true)
    [ -n "$port" ] && return 0
    sleep 0.05
  done
  echo "server $1 did not start (or is not process $srv):" >&2
  cat "$tmp/$1.out" "$tmp/$1.log" >&2
  exit 1
}

# run NAME TAG LOAD-ARGS...: one load run against the running server;
# keeps its RESULT line as res[NAME,TAG]
declare -A res
run() {
  local name=$1 tag=$2 out
  shift 2
  # the fixed-certificate servers answer with client_p256.crt: our client
  # accepts only a certificate for the key it asked for
  case $name in openssl|fixed) set -- "$@" -key "$certs/client_p256.key" ;; esac
  if ! out=$("$LOAD" -port "$port" -pid "$srv" -label "$name" -msg_timeout 10 "$@" \
             2>"$tmp/load.err"); then
    echo "FAILED: load against ${title[$name]} ($tag): $*" >&2
    cat "$tmp/load.err" >&2
    failed=1
  fi
  res[$name,$tag]=$(grep '^RESULT' <<<"$out" || true)
}

# field NAME TAG KEY: a value of a kept RESULT line ("-" if none)
field() {
  local v
  v=$(tr ' ' '\n' <<<"${res[$1,$2]:-}" | sed -n "s/^$3=//p")
  echo "${v:--}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }

echo "== machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"\
     "load average $(cut -d' ' -f1-3 /proc/loadavg) before the run; the load generator"\
     "runs on the same cores as the server"
echo "== $dur s per run, threads: $threads; $("$OPENSSL" version)"
# which malloc each server has: configure links pkixcmp (and bench/floor,
# bench/core) with mimalloc when it is installed (--with-mimalloc)
allocator() {
  local bin=$1 real
  real="$(dirname "$bin")/.libs/$(basename "$bin")" # a libtool wrapper's program
  [ -x "$real" ] && bin=$real
  if ldd "$bin" 2>/dev/null | grep -q 'libmimalloc'; then echo mimalloc; else echo "glibc malloc"; fi
}
echo "== allocators: pkixcmp $(allocator "$PKIXCMP"), openssl $(allocator "$(command -v "$OPENSSL")")"

# servers take turns for each thread count, so that they see about the
# same background load (the machine may be shared)
for t in $threads; do
  for name in $servers; do
    start_server "$name"
    "$LOAD" -port "$port" -threads 2 -count 10 -replay 8 -check_every 1 -label warm \
      $(case $name in openssl|fixed) echo -key "$certs/client_p256.key" ;; esac) >/dev/null 2>&1 || true
    run "$name" "replay0,$t" -threads "$t" -duration "$dur" -replay 64 -check_every 16 -keep_alive 0
    run "$name" "client0,$t" -threads "$t" -duration "$dur" -keep_alive 0
    run "$name" "replay1,$t" -threads "$t" -duration "$dur" -replay 64 -check_every 16 -keep_alive 1
    stop_server
  done
done

# table MODE TITLE: enrollments/s per server and the ratios to openssl
table() {
  local mode=$1 t o name r
  echo
  echo "== $2"
  printf '%-3s %9s' T openssl
  for name in fixed rsa p256; do printf ' | %-22s' "${title[$name]}"; done
  echo
  for t in $threads; do
    o=$(field openssl "$mode,$t" rate)
    printf '%-3s %9s' "$t" "$o"
    for name in fixed rsa p256; do
      r=$(field "$name" "$mode,$t" rate)
      printf ' | %9s = %5sx   ' "$r" "$(ratio "$r" "$o")"
    done
    echo
  done
}
table replay0 "enrollments/s, replayed requests, a connection per enrollment (ratio = x openssl)"
table replay1 "enrollments/s, replayed requests, clients keep their connection where the server lets them (ratio = x openssl)"
table client0 "enrollments/s, full pkixcmp clients, a connection per enrollment (ratio = x openssl)"

# ---------------------------------------------------------------- floor
echo
echo "== crypto floor of one enrollment on this machine (bench/floor)"
"$BENCH_BIN/floor" -cakey "$certs/interm.key" | tee "$tmp/floor_rsa" | grep -v '^FLOOR'
"$BENCH_BIN/floor" -cakey "$tmp/ca256.key" | tee "$tmp/floor_p256" | grep -v '^FLOOR'
floor_of() { sed -n "s/^FLOOR us=\([0-9.]*\) .*/\1/p" "$tmp/floor_$1"; }
f_rsa=$(floor_of rsa) f_p256=$(floor_of p256)
# without issuing, the floor is the floor minus the CA signature
f_fixed=$(awk -v f="$f_p256" -v s="$(sed -n 's/.* sign_us=\([0-9.]*\).*/\1/p' "$tmp/floor_p256")" \
  'BEGIN { printf "%.1f", f - s }')
# a server under load keeps every core busy, and a core computes more
# slowly then (shared caches, turbo, a VM's neighbours): the same floor
# with one copy per core at once is the fair measure for the loaded server
ncores=$(nproc)
for i in $(seq "$ncores"); do
  "$BENCH_BIN/floor" -cakey "$tmp/ca256.key" >"$tmp/floor_busy$i" &
done
wait
f_busy=$(cat "$tmp"/floor_busy* | sed -n "s/^FLOOR us=\([0-9.]*\) .*/\1/p" \
  | awk '{ s += $1; n++ } END { if (n) printf "%.1f", s / n }')
echo "  P-256 CA with $ncores copies at once (every core busy): $f_busy us per enrollment"

# the server core alone: pkixcmp_srv_process_der() in one thread, no HTTP
echo
echo "== pkixcmp's server core alone (bench/core: P-256 CA, one thread, no HTTP, no sockets)"
"$BENCH_BIN/core" -cacert "$tmp/ca256.crt" -cakey "$tmp/ca256.key" -seconds "$dur" \
  >"$tmp/core" 2>"$tmp/core.err" || { cat "$tmp/core.err" >&2; failed=1; }
c_core=$(sed -n "s/^CORE us=\([0-9.]*\) .*/\1/p" "$tmp/core")
echo "   ${c_core:--} us CPU per enrollment = $(awk -v f="$f_p256" -v c="${c_core:-0}" \
  'BEGIN { if (c <= 0) print "-"; else printf "%.0f", 100 * f / c }')% of the floor ($f_p256 us);"\
  "the rest is ASN.1, the transaction table and the mock CA's bookkeeping"

echo
echo "== server CPU per enrollment (replayed, a connection per enrollment) and share of the"
echo "   crypto floor reached per core in use (= floor / CPU per enrollment; target >= 75%;"
echo "   in brackets: against the floor with every core busy, as they are under this load)"
printf '%-3s' T
for name in $servers; do printf ' | %-36s' "${title[$name]}"; done
echo
for t in $threads; do
  printf '%-3s' "$t"
  for name in $servers; do
    case $name in rsa) f=$f_rsa ;; p256) f=$f_p256 ;; *) f=$f_fixed ;; esac
    c=$(field "$name" "replay0,$t" srv_cpu_us)
    printf ' | %6s us %4s cores %5s%% %7s' "$c" "$(field "$name" "replay0,$t" srv_cores)" \
      "$(awk -v f="$f" -v c="$c" 'BEGIN { if (c == "-" || c <= 0) print "-"; else printf "%.0f", 100 * f / c }')" \
      "$(if [ "$name" = p256 ]; then awk -v f="$f_busy" -v c="$c" \
           'BEGIN { if (c == "-" || c <= 0) print "-"; else printf "(%.0f%%)", 100 * f / c }'; fi)"
  done
  echo
done
echo "   (floor: RSA CA $f_rsa us, P-256 CA $f_p256 us alone, $f_busy us with every core busy,"\
     "no signing $f_fixed us; openssl's mock and pkixcmp fixed do not issue)"
echo "   clients keeping their connection, ${threads##* } threads: openssl $(field openssl "replay1,${threads##* }" srv_cpu_us) us,"\
     "pkixcmp P-256 CA $(field p256 "replay1,${threads##* }" srv_cpu_us) us per enrollment"

# ------------------------------------------------------- idle connections
echo
echo "== $idle idle keep-alive connections on pkixcmp P-256 CA (each did one genm, then idles)"
start_server p256
"$LOAD" -port "$port" -threads 2 -count 10 >/dev/null 2>&1 || true
run p256 idle_base -threads 2 -duration "$dur" -replay 64 -check_every 16 -keep_alive 0
run p256 idle -threads 2 -duration "$dur" -replay 64 -check_every 16 -keep_alive 0 \
  -idle "$idle" -idle_mode request
stop_server
r0=$(field p256 idle rss0) r1=$(field p256 idle rss_idle) r2=$(field p256 idle rss1)
echo "   server VmRSS: $r0 KiB before, $r1 KiB with $idle idle connections" \
     "($(awk -v a="$r0" -v b="$r1" -v n="$idle" 'BEGIN { printf "%.1f", (b - a) / n }') KiB each)," \
     "$r2 KiB after $dur s of load besides them; target < 65536 KiB"
echo "   served meanwhile (2 threads replaying): $(field p256 idle rate)/s, without idle" \
     "connections $(field p256 idle_base rate)/s; idle connections still open afterwards:" \
     "$(field p256 idle idle_open) of $idle"
echo "== openssl cmp -port with one idle connection (sending nothing):"
start_server openssl
if "$LOAD" -port "$port" -pid "$srv" -label openssl -threads 1 -duration 2 -keep_alive 0 \
     -key "$certs/client_p256.key" -idle 1 -idle_mode silent -msg_timeout 3 >/dev/null 2>&1; then
  echo "   still served"
else
  echo "   serves no one (enrollment timed out after 3 s)"
fi
stop_server
echo
echo "== load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$failed" = 0 ] || { echo "some runs FAILED (see above)"; exit 1; }
