using System.Text;
using EvidenceChain.Core.Notes;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// The audit's checks of the national crypto profile (docs/formats.md §6a): the SM2 key files, and the signature
/// lines of each checkpoint besides the log key's.
/// </summary>
internal static class Sm2Audit
{
    /// <summary>
    /// Checks <c>keys/log-sm2.*</c> when any of them exists and returns the SM2 verifier key; null when the log never
    /// had the profile turned on (or its files are unusable, which is reported).
    /// </summary>
    public static NoteVerifier? CheckKeys(DataFolder folder, NoteVerifier logKey, AuditReport report)
    {
        var vkeyPath = Path.Combine(folder.KeysPath, LogKeyFiles.Sm2VerifierKeyFile);
        var keyPath = Path.Combine(folder.KeysPath, LogKeyFiles.Sm2PrivateKeyFile);
        var pemPath = Path.Combine(folder.KeysPath, LogKeyFiles.Sm2PublicKeyPemFile);
        if (!File.Exists(vkeyPath))
        {
            if (File.Exists(keyPath) || File.Exists(pemPath))
            {
                report.Problem("keys/" + LogKeyFiles.Sm2VerifierKeyFile, "missing, but other SM2 key files are there");
            }

            return null;
        }

        var text = File.ReadAllText(vkeyPath, Encoding.UTF8);
        if (!NoteVerifier.TryParse(text.TrimEnd('\n'), out var sm2, out var error)
            || text != sm2 + "\n"
            || sm2.Type != NoteKeyType.Sm2
            || sm2.Name != logKey.Name)
        {
            report.Problem(
                "keys/" + LogKeyFiles.Sm2VerifierKeyFile,
                sm2 is null ? $"not a verifier key: {error}" : $"is not, in canonical form, an SM2 key named \"{logKey.Name}\"");
            return null;
        }

        if (!File.Exists(keyPath))
        {
            report.Problem("keys/" + LogKeyFiles.Sm2PrivateKeyFile, "missing: new checkpoints cannot carry the SM2 line; restore it from a backup");
        }
        else
        {
            try
            {
                if (!LogKeyFiles.Load(keyPath).VerifierKey.Equals(sm2))
                {
                    report.Problem("keys/" + LogKeyFiles.Sm2PrivateKeyFile, $"does not match {LogKeyFiles.Sm2VerifierKeyFile}");
                }
            }
            catch (InvalidDataException e)
            {
                report.Problem("keys/" + LogKeyFiles.Sm2PrivateKeyFile, e.Message);
            }
        }

        if (!File.Exists(pemPath) || File.ReadAllText(pemPath, Encoding.UTF8) != sm2.ExportSubjectPublicKeyInfoPem())
        {
            report.Problem("keys/" + LogKeyFiles.Sm2PublicKeyPemFile, $"missing or not the PEM form of {LogKeyFiles.Sm2VerifierKeyFile}");
        }

        return sm2;
    }

    /// <summary>
    /// Checks a checkpoint the log key verified: an SM2 line, when there, must verify under the SM2 key (checkpoints
    /// from before the profile was turned on have none), and the log writes no line by any other key.
    /// </summary>
    public static void CheckLines(string note, CheckpointOpenResult opened, NoteVerifier logKey, NoteVerifier? sm2, string where, AuditReport report)
    {
        if (sm2 is not null)
        {
            var bySm2 = CheckpointNote.Open(note, sm2);
            if (bySm2.Failure is not (CheckpointFailure.None or CheckpointFailure.NoVerifiedSignature))
            {
                report.Problem(where, $"SM2 line: {bySm2.Message}");
            }
        }

        foreach (var other in opened.Note.UnknownSignatures)
        {
            if (sm2 is null || other.Name != sm2.Name || other.KeyId != sm2.KeyId)
            {
                report.Problem(where, $"has a signature line by {other}, which is neither the log key {logKey.Name}+{logKey.KeyId:x8} nor its SM2 key");
            }
        }
    }
}
