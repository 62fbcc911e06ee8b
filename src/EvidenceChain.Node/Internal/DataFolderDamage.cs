using EvidenceChain.Storage;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// Turns what loading a damaged key file (in the data folder's <c>keys/</c>, for every storage driver) throws into one
/// <see cref="DataFolderDamagedException"/> naming the file and what to do, so the node refuses to start with one line
/// instead of an unhandled exception. The stores' own damage is the driver's to name (<see cref="Ledger.IStorageDriver.Diagnose"/>).
/// </summary>
internal static class DataFolderDamage
{
    /// <summary>
    /// The exception to throw instead of <paramref name="e"/> when it is data-folder damage: it names the first of
    /// <paramref name="files"/> the message mentions, else <paramref name="fallback"/> (for an inconsistent ledger,
    /// <c>log</c>); null to rethrow unchanged.
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
            ?? fallback ?? (e is Ledger.LedgerCorruptException ? "log" : null);
        return file is null ? null : new DataFolderDamagedException(dataPath, file, e);
    }

    /// <summary>Runs one step of opening; damage it meets is rethrown as <see cref="DataFolderDamagedException"/>.</summary>
    public static T Open<T>(string dataPath, string? fallback, string[] files, Func<T> open)
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

    /// <summary>The TSA file at fault when the TSA's credentials do not load: the first one the audit's checks fault.</summary>
    public static string TsaFile(string keysPath) => TsaKeyFiles.FindDamaged(keysPath) ?? "keys/" + TsaKeyFiles.KeyFile;
}
