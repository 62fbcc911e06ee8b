namespace EvidenceChain.Verifier.Receipts;

/// <summary>
/// An artefact's bytes, opened on demand so that a file of many gigabytes is streamed, never buffered: written into
/// a receipt's <c>artefacts/</c> folder, or checked against an entry's manifest.
/// </summary>
/// <param name="Name">The artefact's name as the entry's manifest lists it (for example <c>page.warc</c>).</param>
/// <param name="OpenAsync">Opens a readable stream of the bytes; the caller disposes it. Called at most once per use.</param>
/// <remarks>Immutable; thread-safe when <paramref name="OpenAsync"/> is.</remarks>
public sealed record ReceiptArtefact(string Name, Func<CancellationToken, Task<Stream>> OpenAsync);
