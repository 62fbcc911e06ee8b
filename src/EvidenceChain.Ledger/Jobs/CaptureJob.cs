namespace EvidenceChain.Ledger.Jobs;

/// <summary>
/// A list of URLs to capture, each into its own <c>webpage</c> entry, submitted at once (docs/formats.md §20).
/// Immutable; the progress is in its <see cref="CaptureJobItem"/>s.
/// </summary>
/// <param name="Id">The job's id: <c>j</c> and 16 lowercase hex digits.</param>
/// <param name="Submitter">The API key id that submitted it; its entries are that key's.</param>
/// <param name="CaseId">The case each entry is attached to; empty for none.</param>
/// <param name="Created">When the node accepted it.</param>
/// <param name="UrlCount">How many URLs it holds.</param>
/// <param name="NoBrowser">Capture without the browser (network record only).</param>
public sealed record CaptureJob(string Id, string Submitter, string CaseId, DateTimeOffset Created, int UrlCount, bool NoBrowser);
