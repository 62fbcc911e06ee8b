using System.Globalization;
using EvidenceChain.Core.Notes;

namespace EvidenceChain.Verifier.Receipts;

/// <summary>Ready-made <see cref="ReceiptTrust.CheckpointChecks"/>.</summary>
public static class CheckpointChecks
{
    /// <summary>
    /// The national crypto profile's SM2 signature line (docs/formats.md §6a) under a pinned SM2 verifier key (the
    /// node's keys/log-sm2.vkey), reported as the step <c>SM2 checkpoint signature</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not an SM2 key.</exception>
    public static Func<string, VerificationStep> Sm2Signature(NoteVerifier sm2Key)
    {
        ArgumentNullException.ThrowIfNull(sm2Key);
        if (sm2Key.Type != NoteKeyType.Sm2)
        {
            throw new ArgumentException($"{sm2Key.Name}+{sm2Key.KeyId:x8} is an {sm2Key.Type} key, not an SM2 key.", nameof(sm2Key));
        }

        return note =>
        {
            var opened = CheckpointNote.Open(note, sm2Key);
            return new VerificationStep(
                "SM2 checkpoint signature",
                opened.IsValid,
                opened.IsValid
                    ? string.Create(CultureInfo.InvariantCulture, $"signed by {sm2Key.Name}+{sm2Key.KeyId:x8} (SM2 with SM3, GM/T 0003)")
                    : opened.Message);
        };
    }
}
