#!/usr/bin/env bash
# Runs the C + OpenSSL reference (bench/reference) and EvidenceChain's BenchmarkDotNet benchmarks for
# W1 (root of 2^20 leaves, 1 core and 2 cores), W2 (100,000 inclusion proofs at size 2^20, one at a time) and
# W2_batch (the same proofs through InclusionProof.VerifyBatch, one core) in the same run, and prints each
# EvidenceChain figure as a ratio to the reference's openssl-SHA256_lowlevel line (W2_batch to the W2 line).
# Usage: bench/compare.sh            (about 4 minutes on the 2-core machine)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
reference=${REFERENCE:-$here/reference/run.sh}
out=$(mktemp -d)

# The machine is shared: show how busy it was, so that a noisy run can be recognised as one.
echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== reference: $reference"
bash "$reference" > "$out/reference.txt"
grep -E '^RESULT openssl-SHA256_lowlevel (W1|W1_2threads|W2) ' "$out/reference.txt"

echo "== EvidenceChain (BenchmarkDotNet)"
(cd "$root" && dotnet run -c Release --project bench/EvidenceChain.Benchmarks -- \
  --filter '*MerkleBenchmarks.Root*' '*ProofBenchmarks.VerifyInclusion*' --exporters json --buildTimeout 900 \
  --artifacts "$out/artifacts" > "$out/bdn.txt")
grep -E '^\|' "$out/bdn.txt" | grep -E 'Method|W1|W2' || true

echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" <<'PY'
import glob, json, re, sys
out = sys.argv[1]
ref = {}
for line in open(f"{out}/reference.txt"):
    m = re.match(r"RESULT openssl-SHA256_lowlevel (\S+) (\S+) ms", line)
    if m:
        ref[m.group(1)] = float(m.group(2))
ours = {}
for path in glob.glob(f"{out}/artifacts/results/*-report-full*.json"):
    for b in json.load(open(path))["Benchmarks"]:
        if not b.get("Statistics"):
            continue  # the benchmark failed; BenchmarkDotNet's output above says why
        median_ms = b["Statistics"]["Median"] / 1e6
        name = b["Method"]
        if name == "Root":
            ours["W1"] = median_ms
        elif name == "RootParallel":
            ours["W1_2threads"] = median_ms
        elif name == "VerifyInclusion":
            ours["W2"] = median_ms * 100_000  # reported per proof (OperationsPerInvoke)
        elif name == "VerifyInclusionBatch":
            ours["W2_batch"] = median_ms * 100_000
print()
print(f"{'workload':<14}{'reference ms':>14}{'EvidenceChain ms':>18}{'ratio':>8}")
for w in ("W1", "W1_2threads", "W2", "W2_batch"):
    line = ref.get("W2" if w == "W2_batch" else w)
    if line is not None and w in ours:
        print(f"{w:<14}{line:>14.1f}{ours[w]:>18.1f}{ours[w] / line:>8.2f}")
if "W1" in ours and "W1_2threads" in ours:
    print(f"EvidenceChain W1 on 2 cores / W1 on 1 core: {ours['W1_2threads'] / ours['W1']:.2f}")
PY
