using EvidenceChain.Core.Notes;
using EvidenceChain.Storage;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// Turns what opening a damaged data-folder file throws into one <see cref="DataFolderDamagedException"/> naming the
/// file and what to do, so the node refuses to start with one line instead of an unhandled exception.
/// </summary>
internal static class DataFolderDamage
{
    /// <summary>The files opening the ledger reads, most specific first (matched against the exception's message).</summary>
    public static readonly string[] LedgerFiles =
    [
        "keys/" + LogKeyFiles.Sm2PublicKeyPemFile, "keys/" + LogKeyFiles.Sm2VerifierKeyFile, "keys/" + LogKeyFiles.Sm2PrivateKeyFile,
        "keys/" + LogKeyFiles.VerifierKeyFile, "keys/" + LogKeyFiles.PrivateKeyFile, "log/checkpoints", "log/checkpoint", "index.db",
    ];

    /// <summary>
    /// The exception to throw instead of <paramref name="e"/> when it is data-folder damage: it names the first of
    /// <paramref name="files"/> the message mentions, else <paramref name="fallback"/>; null to rethrow unchanged.
    /// </summary>
    public static DataFolderDamagedException? Name(Exception e, string dataPath, string? fallback, params string[] files)
    {
        if (e is DataFolderDamagedException || !DataFolderDamagedException.IsDamage(e))
        {
            return null;
        }

        var message = e.Message.Replace('\\', '/');
        var file = files.FirstOrDefault(f => message.Contains(f, StringComparison.Ordinal))
            ?? files.FirstOrDefault(f => message.Contains(Path.GetFileName(f), StringComparison.Ordinal))
            ?? fallback;
        if (file == "log/checkpoints" && !CheckpointOpens(dataPath))
        {
            // "The published checkpoint is not in the history": the one that does not verify is the damaged one.
            file = "log/checkpoint";
        }

        return file is null ? null : new DataFolderDamagedException(dataPath, file, e);
    }

    private static bool CheckpointOpens(string dataPath)
    {
        try
        {
            var key = NoteVerifier.Parse(File.ReadAllText(Path.Combine(dataPath, "keys", LogKeyFiles.VerifierKeyFile)).TrimEnd('\n'));
            return CheckpointNote.Open(File.ReadAllText(Path.Combine(dataPath, "log", "checkpoint")), key).IsValid;
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Runs one step of opening; damage it meets is rethrown as <see cref="DataFolderDamagedException"/>.</summary>
    public static T Open<T>(string dataPath, string fallback, string[] files, Func<T> open)
    {
        try
        {
            return open();
        }
        catch (Exception e) when (Name(e, dataPath, fallback, files) is { } damaged)
        {
            throw damaged;
        }
    }

    /// <summary>Runs one asynchronous step of opening; damage it meets is rethrown as <see cref="DataFolderDamagedException"/>.</summary>
    public static async Task<T> OpenAsync<T>(string dataPath, string file, Func<Task<T>> open)
    {
        try
        {
            return await open();
        }
        catch (Exception e) when (Name(e, dataPath, file) is { } damaged)
        {
            throw damaged;
        }
    }

    /// <summary>The TSA file at fault when the TSA's credentials do not load: the first one the audit's checks fault.</summary>
    public static string TsaFile(string keysPath) => TsaKeyFiles.FindDamaged(keysPath) ?? "keys/" + TsaKeyFiles.KeyFile;
}
