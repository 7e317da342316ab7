#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster (Debian's postgresql
# package): a private data directory and socket directory under /tmp, no TCP
# port, trust authentication on that socket only. The command finds the
# cluster in PORTIER_TEST_PG_DSN (a libpq connection string). The cluster is
# stopped and removed when the command ends, whatever its outcome.
#   scripts/with-postgres.sh build/contract_tests --gtest_brief=1
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "with-postgres: PostgreSQL is not installed (make test-deps installs it)" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/portier-pg-XXXXXX)
# initdb refuses to run as root: the cluster then belongs to the postgres user.
as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  as=(runuser -u postgres --)
fi
port=5432

stop() {
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
# fsync off: a test cluster need not survive a power cut, and it is faster.
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses='' -k $dir -p $port -c fsync=off -c max_connections=200" start >/dev/null ||
  { cat "$dir/server.log" >&2; exit 1; }

export PORTIER_TEST_PG_DSN="host=$dir port=$port user=postgres dbname=postgres"
"$@"
