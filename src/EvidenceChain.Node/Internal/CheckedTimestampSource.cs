using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Verifier.Timestamps;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// An external TSA whose every token is verified as a court would before it is stored: the signer chains to the
/// configured CA (Timestamping:TrustedCaFile) at genTime, with the critical time-stamping key usage.
/// </summary>
internal sealed class CheckedTimestampSource(ITimestampSource inner, IReadOnlyList<TsaCertificate> trustedCas) : ITimestampSource
{
    public string Name => inner.Name;

    public async Task<byte[]> TimestampAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var response = await inner.TimestampAsync(data, cancellationToken);
        var result = TimestampVerifier.VerifyResponse(response, data.Span, trustedCas);
        return result.IsValid
            ? response
            : throw new TimestampException($"{inner.Name}'s token does not verify under Timestamping:TrustedCaFile: {result.Message}");
    }
}
