using EvidenceChain.Digests;

namespace EvidenceChain.Ledger;

/// <summary>
/// Content being stored: written in order, hashed as it is written, then completed (made durable in a temporary
/// place) and committed under its digest. Disposing an upload that was not committed removes everything it wrote.
/// </summary>
/// <remarks>Not thread-safe: one writer.</remarks>
public interface IBlobUpload : IAsyncDisposable
{
    /// <summary>Bytes written so far.</summary>
    long Length { get; }

    /// <summary>Appends <paramref name="data"/> to the content.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Ends the content, makes it durable and returns its size and digests. No more writes after this.</summary>
    Task<ArtefactDigests> CompleteAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores the completed content under its SHA-256, durably (content that is already stored is kept once).
    /// Requires <see cref="CompleteAsync"/> first.
    /// </summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
