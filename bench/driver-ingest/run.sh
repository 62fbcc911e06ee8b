#!/usr/bin/env bash
# Ingest of 1 KiB files on the files driver and on the postgres driver, side by side in one run (bench/README.md).
# Starts a throw-away cluster of Debian's PostgreSQL (fsync on, as a server would run) on a unix socket in a temporary
# folder, unless EVIDENCECHAIN_BENCH_POSTGRES names a server. Usage: bench/driver-ingest/run.sh [COUNT] [IN_FLIGHT]
set -euo pipefail
cd "$(dirname "$0")"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ -n "${EVIDENCECHAIN_BENCH_POSTGRES:-}" ]; then
  conn=$EVIDENCECHAIN_BENCH_POSTGRES
else
  dir=$(mktemp -d /tmp/ec-bench-pg-XXXXXX); chmod 777 "$dir"
  trap 'as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  # pg_stat_statements: the bench prints the statements each file costs the server (it changes nothing else).
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p 5499 -k $dir -c listen_addresses='' -c shared_preload_libraries=pg_stat_statements" start >/dev/null
  conn="Host=$dir;Port=5499;Username=postgres;Database=postgres"
  # The server's processes, for its CPU time per file (the postmaster and its children, as /proc shows them).
  export EVIDENCECHAIN_BENCH_POSTGRES_PID=$(head -1 "$dir/data/postmaster.pid")
fi
dotnet run -c Release ingest.cs -- "$conn" "$@"
