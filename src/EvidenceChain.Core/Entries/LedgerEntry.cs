namespace EvidenceChain.Core.Entries;

/// <summary>
/// A leaf of the ledger, parsed. The stored bytes (<see cref="LeafCodec"/>) are what is hashed; this is a view
/// of them. Immutable.
/// </summary>
/// <param name="Origin">The log's origin line (its name).</param>
/// <param name="Index">Position in the log, from 0.</param>
/// <param name="Prev">The leaf hash of entry <c>Index - 1</c>; the zero hash for entry 0.</param>
/// <param name="Time">The node's time of receipt, UTC, millisecond precision.</param>
/// <param name="Draft">Kind, submitter, artefacts and attributes.</param>
public sealed record LedgerEntry(string Origin, ulong Index, Hash Prev, DateTimeOffset Time, EntryDraft Draft)
{
    /// <summary>The format version this code writes: 2, in which attributes may be salted commitments.</summary>
    public const int FormatVersion = 2;

    /// <summary>The first format version, every attribute in clear; still read and verified, never written by the node.</summary>
    public const int ClearFormatVersion = 1;

    /// <summary>The leaf's format version: <see cref="FormatVersion"/> (default) or <see cref="ClearFormatVersion"/>.</summary>
    public int Version { get; init; } = FormatVersion;
}
