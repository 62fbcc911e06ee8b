using System.Collections.Concurrent;
using EvidenceChain.Ledger;
using Microsoft.Extensions.Options;

namespace EvidenceChain.Node.Auth;

/// <summary>Counts each API key's uploads in progress and refuses one beyond <see cref="NodeLimits.MaxConcurrentUploadsPerKey"/>.</summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class UploadSlots
{
    private readonly ConcurrentDictionary<string, int> _inUse = new(StringComparer.Ordinal);
    private readonly int _limit;

    /// <summary>Creates the counter.</summary>
    public UploadSlots(IOptions<NodeLimits> limits) => _limit = limits.Value.MaxConcurrentUploadsPerKey;

    /// <summary>Takes a slot for <paramref name="keyId"/>; dispose the result to give it back.</summary>
    /// <exception cref="LimitExceededException">The key already has the maximum number of uploads in progress.</exception>
    public IDisposable Acquire(string keyId)
    {
        var count = _inUse.AddOrUpdate(keyId, 1, (_, n) => n + 1);
        if (count > _limit)
        {
            Release(keyId);
            throw new LimitExceededException(
                $"API key {keyId} already has {_limit} uploads in progress (Limits:MaxConcurrentUploadsPerKey); wait for one to finish.");
        }

        return new Slot(this, keyId);
    }

    private void Release(string keyId) => _inUse.AddOrUpdate(keyId, 0, (_, n) => n - 1);

    private sealed class Slot(UploadSlots owner, string keyId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(keyId);
            }
        }
    }
}
