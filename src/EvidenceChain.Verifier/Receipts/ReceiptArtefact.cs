using EvidenceChain.Core.Digests;

namespace EvidenceChain.Verifier.Receipts;

/// <summary>
/// An artefact's bytes, opened on demand so that a file of many gigabytes is streamed, never buffered: written into
/// a receipt's <c>artefacts/</c> folder, or checked against an entry's manifest.
/// </summary>
/// <param name="Name">The artefact's name as the entry's manifest lists it (for example <c>page.warc</c>).</param>
/// <param name="OpenAsync">Opens a readable stream of the bytes; the caller disposes it. Called at most once per use.</param>
/// <remarks>Immutable; thread-safe when <paramref name="OpenAsync"/> is.</remarks>
public sealed record ReceiptArtefact(string Name, Func<CancellationToken, Task<Stream>> OpenAsync)
{
    /// <summary>
    /// Optional: the artefact's size and digests computed elsewhere (the offline page hashes a dropped file in the
    /// browser's JavaScript, far faster than .NET in the WebAssembly interpreter). Given whether SM3 is needed, it
    /// returns the digests (with <see cref="ArtefactDigests.Sm3"/> set when asked for), or <see langword="null"/>
    /// when it cannot, and then <see cref="OpenAsync"/> is streamed as without it. The Verifier compares the result
    /// with the entry exactly as it compares its own; read errors are reported as <see cref="IOException"/>.
    /// </summary>
    public Func<bool, CancellationToken, Task<ArtefactDigests?>>? DigestsAsync { get; init; }
}
