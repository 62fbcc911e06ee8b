namespace EvidenceChain.Ledger.Timestamping;

/// <summary>An RFC 3161 time-stamping authority the ledger asks for tokens over its checkpoints.</summary>
public interface ITimestampSource
{
    /// <summary>Names the authority in logs and health reports (the built-in TSA, or the external URL).</summary>
    string Name { get; }

    /// <summary>
    /// Obtains a granted RFC 3161 TimeStampResp (DER) whose token's message imprint is SHA-256(<paramref name="data"/>)
    /// and which carries the signer's certificate.
    /// </summary>
    /// <exception cref="TimestampException">The authority refused, could not be reached, or answered wrongly.</exception>
    Task<byte[]> TimestampAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
