using System.Collections.Concurrent;
using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Ledger;

namespace EvidenceChain.Testing;

/// <summary>In-memory <see cref="IOpeningStore"/> for tests. Thread-safe.</summary>
public sealed class MemoryOpeningStore : IOpeningStore
{
    private readonly ConcurrentDictionary<Hash, byte[]> _files = new();

    /// <summary>The stored disclosures by key.</summary>
    public IReadOnlyDictionary<Hash, byte[]> Files => _files;

    /// <summary>An <see cref="EntryOpenings"/> over a new store, with SHA-256 commitments and the system CSPRNG.</summary>
    public static EntryOpenings NewOpenings() => new(new MemoryOpeningStore(), CommitmentAlgorithm.Sha256, RandomNumberGenerator.Fill);

    public Task SaveAsync(Hash key, ReadOnlyMemory<byte> disclosure, CancellationToken cancellationToken)
    {
        _files[key] = disclosure.ToArray();
        return Task.CompletedTask;
    }

    public Task<byte[]?> ReadAsync(Hash key, CancellationToken cancellationToken) =>
        Task.FromResult(_files.TryGetValue(key, out var bytes) ? bytes : null);
}
