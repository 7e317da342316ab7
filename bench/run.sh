#!/usr/bin/env bash
# Benchmarks portier on loopback, in one run, on this machine:
#   - the argon2id verification rate (1 and 2 threads): the hash bound
#   - the cost of the common-password check (bench_password)
#   - successful sign-ins per second through HTTP, and its ratio to the bound
#   - requests/s and p99 latency of the sign-in page and /healthz
#   - the server's resident memory
#   - portier as an OpenID Connect provider beside npm oidc-provider (bench/oidc.mjs)
#   - TLS: handshakes/s and HTTPS requests/s against plain HTTP and beside nginx (bench/tls.mjs)
# Prints the figures; writes them to bench/results/latest.txt as well.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}
command -v wrk >/dev/null || ./scripts/install-deps.sh --test
mkdir -p bench/results
out=bench/results/latest.txt
data=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && { kill $pid 2>/dev/null; wait $pid 2>/dev/null; }; rm -rf "$data"' EXIT

log() { echo "$*" | tee -a "$out"; }
: > "$out"
log "portier benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

# 1. Hash bound (same argon2id parameters as the server: m=19 MiB, t=2, p=1).
hash_json=$("$BUILD"/bench_hash --benchmark_filter='BM_Argon2idVerify' --benchmark_format=json 2>/dev/null)
rate() { echo "$hash_json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const b=JSON.parse(s).benchmarks.find(x=>x.threads==='"$1"');console.log(b.items_per_second.toFixed(1))})'; }
hash1=$(rate 1)
hash2=$(rate 2)
log "argon2id verify: ${hash1}/s on 1 thread, ${hash2}/s on 2 threads (hash bound)"

# 1b. The cost of refusing common passwords: loading the word lists once, a
# lookup, zxcvbn's estimate, the whole check a password form runs.
"$BUILD"/bench_password --benchmark_min_time=0.2 2>/dev/null | grep -E '^(word lists|BM_)' | tee -a "$out"

# 2. Start the server with default parameters and one member.
# The sign-in figures measure the password step and the session it opens
# (the second step is a separate page with its own cost: a code to send).
export PORTIER_DATA_DIR=$data PORTIER_LISTEN=127.0.0.1:0 PORTIER_LOG_LEVEL=warn PORTIER_SECOND_STEP=off
echo "correct horse battery staple" | "$BUILD"/portier user add --identifier loadtest --email loadtest@example.org --password-stdin >/dev/null
"$BUILD"/portier serve > "$data/serve.log" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q 'listening on' "$data/serve.log" && break; sleep 0.1; done
port=$(sed -n 's/.*listening on http:\/\/[0-9.]*:\([0-9]*\).*/\1/p' "$data/serve.log")
base=http://127.0.0.1:$port
rss_idle=$(awk '/VmRSS/{print $2}' /proc/$pid/status)

# CSRF cookie and token from one page view, reused by every benchmark request.
page=$(curl -s -c "$data/jar" "$base/connexion")
token=$(echo "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
csrf_cookie=$(awk '$6=="portier_csrf"{print $7}' "$data/jar")
export BENCH_COOKIE="portier_csrf=$csrf_cookie"
export BENCH_BODY="csrf=$token&identifier=loadtest&password=correct+horse+battery+staple"

# 3. Sign-ins: every request is a full successful sign-in (hash + session + audit).
signin=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/signin.lua "$base/connexion")
signin_rps=$(echo "$signin" | awk '/Requests\/sec/{print $2}')
signin_p99=$(echo "$signin" | awk '/ 99%/{print $2}')
counts=$(echo "$signin" | grep signed_in=)
ratio=$(node -e "console.log(($signin_rps/$hash2).toFixed(2))")
log "sign-ins: ${signin_rps}/s, p99 ${signin_p99} (${counts}); ratio to hash bound: ${ratio}"
rss_peak=$(awk '/VmHWM/{print $2}' /proc/$pid/status)

# 4. Cheap pages.
for path in /connexion /healthz; do
  r=$(wrk -t2 -c32 -d"$DURATION" --latency "$base$path")
  log "GET $path: $(echo "$r" | awk '/Requests\/sec/{print $2}')/s, p50 $(echo "$r" | awk '/ 50%/{print $2}'), p99 $(echo "$r" | awk '/ 99%/{print $2}'), non-2xx: $(echo "$r" | awk '/Non-2xx/{print $NF}' | grep . || echo 0)"
done
rss_end=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
log "resident memory: ${rss_idle} KiB idle, ${rss_end} KiB after the run, ${rss_peak} KiB peak during sign-ins"

# 5. Recovery: forgot-password timing for known and unknown accounts, outbox drain rate.
node bench/recovery.mjs "${RECOVERY_REQUESTS:-300}" "${OUTBOX_MESSAGES:-500}" | tee -a "$out"

# 6. Lockout: a guessing attack while members sign in.
node bench/guessing.mjs "${GUESSING_SECONDS:-15}" 16 2 | tee -a "$out"

# 7. A sign-in flood (80 connections, right password) while a client GETs pages.
node bench/starvation.mjs "${STARVATION_SECONDS:-10}" 80 | tee -a "$out"

# 8. The backends: SQLite, PostgreSQL with one node, two nodes behind nginx.
node bench/backends.mjs "${BACKENDS_SECONDS:-15}" "$CONNECTIONS" | tee -a "$out"

# 9. OpenID Connect: portier beside npm oidc-provider (grants, round trips, discovery, JWKS, memory).
node bench/oidc.mjs "${OIDC_SECONDS:-10}" "$CONNECTIONS" 2>&1 | grep -v '^oidc-provider \(WARNING\|NOTICE\)' | tee -a "$out"

# 10. TLS: handshakes (full, resumed), HTTPS keep-alive against plain HTTP, and nginx terminating TLS.
node bench/tls.mjs "${TLS_SECONDS:-5}" 32 | tee -a "$out"
