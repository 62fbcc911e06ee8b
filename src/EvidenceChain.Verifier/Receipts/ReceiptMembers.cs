namespace EvidenceChain.Verifier.Receipts;

/// <summary>The member names of a receipt zip (docs/formats.md, "Receipt").</summary>
public static class ReceiptMembers
{
    /// <summary>The leaf bytes exactly as stored.</summary>
    public const string Entry = "entry.json";

    /// <summary>The C2SP tlog-proof@v1: index, inclusion path and signed checkpoint.</summary>
    public const string Proof = "proof.tlog-proof";

    /// <summary>The checkpoint's note text: exactly the bytes the RFC 3161 token is over.</summary>
    public const string CheckpointText = "checkpoint.txt";

    /// <summary>The DER RFC 3161 TimeStampResp over <see cref="CheckpointText"/>.</summary>
    public const string TimestampResponse = "checkpoint.tsr";

    /// <summary>A copy of the log's verifier key (convenience only; verifiers pin their own).</summary>
    public const string LogKey = "trust/log.vkey";

    /// <summary>A copy of the TSA certificate and its CA certificate(s), PEM (convenience only).</summary>
    public const string TsaChain = "trust/tsa-chain.pem";

    /// <summary>A copy of the log's SM2 verifier key, under the national profile (convenience only).</summary>
    public const string Sm2Key = "trust/log-sm2.vkey";

    /// <summary>
    /// Optional: the openings of the entry's committed fields (docs/formats.md §1.5), present when the receipt was made
    /// for someone allowed to see them.
    /// </summary>
    public const string Disclosed = "disclosed.json";

    /// <summary>The folder of preserved artefacts, each under its manifest name.</summary>
    public const string ArtefactFolder = "artefacts/";

    /// <summary>The exact commands to verify the receipt with openssl and evidencectl.</summary>
    public const string Instructions = "VERIFY.txt";
}
