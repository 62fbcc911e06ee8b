using EvidenceChain.Core;

namespace EvidenceChain.Ledger;

/// <summary>Content-addressed artefact storage, keyed by SHA-256. Implementations are thread-safe.</summary>
public interface IBlobStore
{
    /// <summary>Starts storing new content; nothing is visible until <see cref="IBlobUpload.CommitAsync"/>.</summary>
    /// <param name="withSm3">Also compute the SM3 digest.</param>
    IBlobUpload BeginUpload(bool withSm3);

    /// <summary>Opens a stored blob for reading, or returns null when there is none with this SHA-256.</summary>
    Stream? OpenRead(Hash sha256);
}
