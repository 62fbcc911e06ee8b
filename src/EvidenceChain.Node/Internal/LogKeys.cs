using EvidenceChain.Storage;

namespace EvidenceChain.Node.Internal;

/// <summary>The log's public keys, as receipts carry them (copies for convenience; verifiers pin their own).</summary>
/// <param name="LogVerifierKey">The Ed25519 verifier key <c>name+hex8+base64</c>.</param>
/// <param name="Sm2VerifierKey">The SM2 verifier key under the national crypto profile; null when it is off.</param>
internal sealed record LogKeys(string LogVerifierKey, string? Sm2VerifierKey)
{
    /// <summary>The keys of an open ledger: the Ed25519 key from <c>keys/log.vkey</c>, the SM2 key when the profile is on.</summary>
    public static LogKeys Read(NodeLedger ledger) =>
        new(File.ReadAllText(Path.Combine(ledger.KeysPath, LogKeyFiles.VerifierKeyFile)).TrimEnd('\n'), ledger.Sm2VerifierKey?.ToString());
}
