using EvidenceChain.Core.Digests;

namespace EvidenceChain.Ledger;

/// <summary>
/// Content being stored: written in order, hashed as it is written, then completed and committed (made durable)
/// under its digest. Disposing an upload that was not committed removes everything it wrote.
/// </summary>
/// <remarks>Not thread-safe: one writer.</remarks>
public interface IBlobUpload : IAsyncDisposable
{
    /// <summary>Bytes written so far.</summary>
    long Length { get; }

    /// <summary>Appends <paramref name="data"/> to the content.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the content and returns its size and digests. No more writes after this. Nothing is stored under a digest
    /// before <see cref="CommitAsync"/>; a store may make the content durable here or only then.
    /// </summary>
    Task<ArtefactDigests> CompleteAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores the completed content under its SHA-256, durably (content that is already stored is kept once).
    /// Requires <see cref="CompleteAsync"/> first.
    /// </summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
