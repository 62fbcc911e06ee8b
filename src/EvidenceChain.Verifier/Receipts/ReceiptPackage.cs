using EvidenceChain.Verifier.Internal;

namespace EvidenceChain.Verifier.Receipts;

/// <summary>
/// A receipt zip opened by <see cref="ReceiptArchive.OpenAsync"/>: its small members read and size-checked, its
/// artefacts still in the zip. Nothing in it is verified yet: pass <see cref="Evidence"/> to
/// <see cref="ReceiptVerifier"/>.
/// </summary>
/// <remarks>Not thread-safe: open one artefact at a time. Dispose it before the stream it was opened from.</remarks>
public sealed class ReceiptPackage : IAsyncDisposable, IDisposable
{
    private readonly UntrustedZip _archive;

    internal ReceiptPackage(UntrustedZip archive, ReceiptEvidence evidence, IReadOnlyDictionary<string, string> text)
    {
        _archive = archive;
        Evidence = evidence;
        LogVerifierKey = text.GetValueOrDefault(ReceiptMembers.LogKey);
        TsaChainPem = text.GetValueOrDefault(ReceiptMembers.TsaChain);
        Sm2VerifierKey = text.GetValueOrDefault(ReceiptMembers.Sm2Key);
        Instructions = text.GetValueOrDefault(ReceiptMembers.Instructions);
    }

    /// <summary>
    /// The evidence to verify: entry, proof, checkpoint text, timestamp response, the TSA chain as untrusted
    /// intermediates, and the artefacts in <c>artefacts/</c> (streamed from the zip when checked).
    /// </summary>
    public ReceiptEvidence Evidence { get; }

    /// <summary>The copy of the log's verifier key in <c>trust/log.vkey</c> (untrusted), or null.</summary>
    public string? LogVerifierKey { get; }

    /// <summary>The copy of the TSA chain in <c>trust/tsa-chain.pem</c> (untrusted), or null.</summary>
    public string? TsaChainPem { get; }

    /// <summary>The copy of the SM2 verifier key in <c>trust/log-sm2.vkey</c> (untrusted), or null.</summary>
    public string? Sm2VerifierKey { get; }

    /// <summary>The text of <c>VERIFY.txt</c>, or null.</summary>
    public string? Instructions { get; }

    /// <inheritdoc/>
    public void Dispose() => _archive.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _archive.DisposeAsync();
}
