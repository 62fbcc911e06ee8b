namespace EvidenceChain.Storage.Internal;

/// <summary>
/// The audit's account of every file in the data folder outside <c>log/tile</c>, <c>blobs</c> and <c>openings</c> (which their own
/// checks walk): a file some check reads is left to it; anything else is listed as a note saying why it is harmless.
/// </summary>
internal static class FolderAudit
{
    private static readonly string[] Checked =
    [
        "LOCK", "index.db", "node.db",
        "log/checkpoint", "log/checkpoints", "log/" + FileTimestampStore.RecordsFile, "log/" + FileTimestampStore.IndexFile,
        "keys/" + LogKeyFiles.PrivateKeyFile, "keys/" + LogKeyFiles.VerifierKeyFile,
        "keys/" + LogKeyFiles.Sm2PrivateKeyFile, "keys/" + LogKeyFiles.Sm2VerifierKeyFile, "keys/" + LogKeyFiles.Sm2PublicKeyPemFile,
        "keys/" + TsaKeyFiles.AuthorityCertificateFile, "keys/" + TsaKeyFiles.AuthorityKeyFile,
        "keys/" + TsaKeyFiles.CertificateFile, "keys/" + TsaKeyFiles.KeyFile, "keys/" + TsaSerialFile.FileName, "keys/admin.apikey",
        "keys/" + DocumentSigningKeyFiles.CertificateFile, "keys/" + DocumentSigningKeyFiles.KeyFile,
    ];

    public static void NoteOthers(DataFolder folder, AuditReport report)
    {
        foreach (var path in Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(folder.Path, path).Replace('\\', '/');
            if (relative.StartsWith("log/tile/", StringComparison.Ordinal)
                || relative.StartsWith("blobs/", StringComparison.Ordinal)
                || relative.StartsWith("openings/", StringComparison.Ordinal)
                || Checked.Contains(relative, StringComparer.Ordinal)
                || (relative.StartsWith("keys/tsa-", StringComparison.Ordinal) && relative.EndsWith(".pem", StringComparison.Ordinal))
                || relative.StartsWith("keys/tsa.key.orphaned-", StringComparison.Ordinal))
            {
                continue;
            }

            var note = relative switch
            {
                "log/" + FileCosignatureStore.FileName => "holds the witnesses' cosignatures of the newest checkpoints (docs/formats.md, cosigned checkpoint); verifiers check them under the witness keys, the audit does not",
                LiteDbCaseStore.FileName => "is the cases' copy of the ledger's case events, derived data not compared here; delete it and the node rebuilds it from the ledger at its next start",
                LiteDbSearchStore.FileName => "is the search store (evidence entries with their committed fields, for SearchEntries), derived data not compared here; delete it and the node rebuilds it from the ledger at its next start",
                LiteDbJobStore.FileName => "holds the capture jobs and watches with their progress (the node's own state, docs/formats.md §20), not compared here: every capture they made is an entry of the ledger, checked above",
                _ when relative.EndsWith("-log.db", StringComparison.Ordinal) => "is a LiteDB log file of unfinished writes; LiteDB replays or discards it when the file next opens",
                _ when relative.EndsWith(".tmp", StringComparison.Ordinal) => "is a temporary file of a write a crash interrupted; nothing reads it",
                _ => "is not a file the node writes; nothing reads it",
            };
            report.Note($"{relative} {note}");
        }
    }
}
