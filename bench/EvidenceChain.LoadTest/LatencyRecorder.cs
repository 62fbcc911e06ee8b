using System.Diagnostics;

namespace EvidenceChain.LoadTest;

/// <summary>Per-worker latency samples (no locking on the hot path), merged for percentiles at the end.</summary>
internal sealed class LatencyRecorder
{
    private readonly List<long>[] _samples;

    public LatencyRecorder(int workers) => _samples = [.. Enumerable.Range(0, workers).Select(_ => new List<long>(1 << 16))];

    public void Record(int worker, long startTimestamp) => _samples[worker].Add(Stopwatch.GetTimestamp() - startTimestamp);

    public long Count => _samples.Sum(s => (long)s.Count);

    public string Summary()
    {
        var all = _samples.SelectMany(s => s).Order().ToArray();
        if (all.Length == 0)
        {
            return "no samples";
        }

        string Ms(double q) => (all[Math.Min(all.Length - 1, (int)(q * all.Length))] * 1000.0 / Stopwatch.Frequency).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        return $"p50 {Ms(0.50)} ms, p90 {Ms(0.90)} ms, p99 {Ms(0.99)} ms, p99.9 {Ms(0.999)} ms, max {Ms(1.0)} ms";
    }
}
