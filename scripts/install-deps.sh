#!/usr/bin/env bash
# Installs every Debian package portier needs to build, run and test.
# Idempotent: does nothing when everything is present. Uses sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsodium-dev libcurl4-openssl-dev libopendkim-dev libsqlite3-dev sqlite3 libpq-dev libunistring-dev
  liboath-dev libqrencode-dev
  libhowardhinnant-date-dev  # time zones (common/display_time.h)
  libkainjow-mustache-dev libtomlplusplus-dev libcli11-dev libspdlog-dev libexpected-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libzxcvbn-dev
  # Default password word lists (security.password_wordlists): French and
  # English dictionaries, john's common passwords. portier refuses to start
  # when a configured list is missing.
  john-data wfrench wamerican
  nodejs
)
# `make assets` installs the ALTCHA widget with npm, for `make run` too.
# Debian's npm package, unless npm is already there: NodeSource's nodejs
# bundles it and conflicts with Debian's.
command -v npm >/dev/null 2>&1 || packages+=(npm)
# Test and benchmark tools: a real browser for the e2e tier, wrk for bench/,
# oathtool (an independent TOTP implementation) for the authenticator-app tests,
# clang with its libFuzzer and sanitizer runtimes for tests/fuzz, and the
# PostgreSQL server (and its psql) the contract and integration tiers start a
# throwaway cluster of (scripts/with-postgres.sh), and nginx, which
# tests/integration/nodes.test.js runs (as the test user, its own prefix and
# port) in front of two nodes, and Apache with mod_auth_openidc, a real
# OpenID Connect relying party (tests/support/apache.js runs its own instance
# on loopback; the packaged service is not used).
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium wrk procps curl oathtool clang libclang-rt-14-dev postgresql nginx apache2 libapache2-mod-auth-openidc)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
