using EvidenceChain.Core.Notes;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// Turns what opening a damaged data-folder file throws into one <see cref="DataFolderDamagedException"/> naming the
/// file and what to do, so the node refuses to start with one line instead of an unhandled exception.
/// </summary>
internal static class Damage
{
    /// <summary>The files opening the ledger reads, most specific first (matched against the exception's message).</summary>
    public static readonly string[] LedgerFiles = ["log/checkpoints", "log/checkpoint", "index.db"];

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
}
