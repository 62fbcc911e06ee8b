#!/usr/bin/env bash
# Preserving a 1 GiB file end to end, side by side with the durable-write line, in one run (issue 21):
#   dd bs=4M conv=fsync of the file into the node's data folder's disk (the line), openssl dgst -sha256 (and -sm3),
#   evidencectl preserve over gRPC and a raw POST /v1/files (curl), each into a fresh Release node, under the
#   default and the national crypto profile. Prints wall times, ratios to the dd taken just before each upload, and peak
#   RSS of the CLI (/usr/bin/time -v) and of the node (VmHWM). Each node first takes a 16 MiB warm-up file by the
#   same path, untimed.
# (curl --data-binary @FILE reads the whole file into memory and fails on 1 GiB: "out of memory"; -T streams it.)
# Usage: bench/preserve.sh [ROUNDS]   (build the node and the CLI with dotnet build -c Release first)
# FILE (default /tmp/preserve-1g.bin, made from /dev/urandom if missing) and WORK (default /tmp/preserve-bench, the
# data folders and the dd target) may be set.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
rounds=${1:-2}
file=${FILE:-/tmp/preserve-1g.bin}
work=${WORK:-/tmp/preserve-bench}
node_dll=$root/src/EvidenceChain.Node/bin/Release/net10.0/evidencechain-node.dll
cli_dll=$root/tools/EvidenceChain.Cli/bin/Release/net10.0/evidencectl.dll
grpc_port=${GRPC_PORT:-15480}
http_port=${HTTP_PORT:-15481}
[[ -f $node_dll && -f $cli_dll ]] || { echo "build the node and the CLI in Release first" >&2; exit 2; }
[[ -f $file ]] || dd if=/dev/urandom of="$file" bs=4M count=256 status=none
warm=$work/warm-up.bin # 16 MiB through the same path first: a node runs for long, its upload path is compiled
size=$(stat -c %s "$file")
rm -rf "$work" && mkdir -p "$work"
dd if=/dev/urandom of="$warm" bs=1M count=16 status=none
results=$work/results.tsv
: > "$results"

now() { date +%s.%N; }
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$results"; } # round profile what seconds rss_kb

node_pid=
start_node() { # $1 = profile (default|national)
  local data=$work/data
  rm -rf "$data"
  if curl -s "http://127.0.0.1:$http_port/" > /dev/null 2>&1; then
    echo "something already listens on port $http_port" >&2
    exit 1
  fi
  local extra=()
  [[ $1 == national ]] && extra=(--NationalCrypto true)
  dotnet "$node_dll" --data "$data" --grpc "http://127.0.0.1:$grpc_port" --http "http://127.0.0.1:$http_port" \
    "${extra[@]}" > "$work/node.log" 2>&1 &
  node_pid=$!
  for _ in $(seq 1 300); do
    if curl -sf "http://127.0.0.1:$http_port/v1/checkpoint" > /dev/null 2>&1 && [[ -f $data/keys/admin.apikey ]]; then
      dotnet "$cli_dll" keys create --role submitter --node "http://127.0.0.1:$grpc_port" \
        --api-key "$data/keys/admin.apikey" --out "$work/submitter.apikey" > /dev/null
      sync
      return
    fi
    sleep 0.2
  done
  cat "$work/node.log" >&2
  exit 1
}
stop_node() {
  kill "$node_pid" && wait "$node_pid" || true
  node_pid=
  rm -f "$work/submitter.apikey"
}
trap '[[ -n $node_pid ]] && kill "$node_pid" 2> /dev/null || true' EXIT
node_hwm() { awk '/VmHWM/ { print $2 }' "/proc/$node_pid/status"; }

dd_line() { # $1 round
  rm -f "$work/dd.out" && sync
  local t0; t0=$(now)
  dd if="$file" of="$work/dd.out" bs=4M conv=fsync status=none
  record "$1" - "dd bs=4M conv=fsync" "$(echo "$(now) - $t0" | bc)" -
  rm -f "$work/dd.out" && sync
}

post() {
  curl -sS --fail-with-body -o /dev/null -X POST -H "authorization: Bearer $(cat "$work/submitter.apikey")" \
    -H 'content-type: application/octet-stream' -T "$1" "http://127.0.0.1:$http_port/v1/files?file_name=$(basename "$1")"
}
cli_rss() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt"; }

echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(dotnet --version); $(openssl version)"
echo "== file: $file, $size bytes; work: $work ($(df -h --output=source "$work" | tail -1))"
echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  cat "$file" > /dev/null # the file is read from the page cache by every line below
  for algo in sha256 sm3; do
    t0=$(now); openssl dgst "-$algo" "$file" > /dev/null
    record "$round" - "openssl dgst -$algo" "$(echo "$(now) - $t0" | bc)" -
  done
  for profile in default national; do
    dd_line "$round"
    start_node "$profile"
    dotnet "$cli_dll" preserve "$warm" --node "http://127.0.0.1:$grpc_port" --api-key "$work/submitter.apikey" > /dev/null
    echo 5 > "/proc/$node_pid/clear_refs" # reset the node's peak RSS to its current RSS
    t0=$(now)
    /usr/bin/time -v -o "$work/time.txt" dotnet "$cli_dll" preserve "$file" --node "http://127.0.0.1:$grpc_port" \
      --api-key "$work/submitter.apikey" > /dev/null
    record "$round" "$profile" "preserve (gRPC)" "$(echo "$(now) - $t0" | bc)" "$(cli_rss)"
    record "$round" "$profile" "node, during preserve" - "$(node_hwm)"
    stop_node

    dd_line "$round"
    start_node "$profile"
    post "$warm" > /dev/null
    echo 5 > "/proc/$node_pid/clear_refs"
    t0=$(now)
    post "$file"
    record "$round" "$profile" "POST /v1/files (curl)" "$(echo "$(now) - $t0" | bc)" -
    record "$round" "$profile" "node, during POST" - "$(node_hwm)"
    stop_node
  done
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$results" "$size" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
size = int(sys.argv[2])
# Each upload is compared with the dd line taken just before it (same round, same disk state); openssl with the
# round's first dd line.
first_dd = {}
for r, _, what, s, _ in rows:
    if what.startswith("dd"):
        first_dd.setdefault(r, float(s))
print(f"{'round':>5}  {'profile':<8}  {'what':<24} {'seconds':>8} {'MB/s':>7} {'x dd':>6} {'peak RSS':>9}")
line = None
for r, profile, what, s, rss in rows:
    if what.startswith("dd"):
        line = float(s)
    ref = line if profile != "-" or what.startswith("dd") else first_dd[r]
    secs = f"{float(s):8.2f}" if s != "-" else f"{'':>8}"
    mbs = f"{size / float(s) / 1e6:7.0f}" if s != "-" else f"{'':>7}"
    ratio = f"{float(s) / ref:6.2f}" if s != "-" else f"{'':>6}"
    mem = f"{int(rss) / 1024:5.0f} MiB" if rss != "-" else ""
    print(f"{r:>5}  {profile:<8}  {what:<24} {secs} {mbs} {ratio} {mem:>9}")
PY
