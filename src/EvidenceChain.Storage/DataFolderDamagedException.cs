namespace EvidenceChain.Storage;

/// <summary>
/// A file of the data folder cannot be used as it is (a flipped byte, a truncation, a wrong value): the node refuses
/// to start. The message is one line naming the file and what to do (run <c>evidencectl audit</c> on the folder).
/// </summary>
public sealed class DataFolderDamagedException : IOException
{
    /// <summary>Creates the exception for <paramref name="file"/> of the data folder at <paramref name="dataPath"/>.</summary>
    /// <param name="dataPath">The data folder.</param>
    /// <param name="file">The damaged file, relative to the data folder (e.g. <c>keys/tsa.key</c>).</param>
    /// <param name="inner">What reading it threw.</param>
    public DataFolderDamagedException(string dataPath, string file, Exception inner)
        : base(Describe(dataPath, file, inner), inner)
    {
        File = file;
    }

    /// <summary>Creates the exception.</summary>
    public DataFolderDamagedException(string message, Exception inner)
        : base(message, inner)
    {
        File = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public DataFolderDamagedException(string message)
        : base(message)
    {
        File = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public DataFolderDamagedException()
    {
        File = string.Empty;
    }

    /// <summary>The damaged file, relative to the data folder.</summary>
    public string File { get; }

    /// <summary>
    /// True for what opening a damaged file throws: malformed data (<see cref="InvalidDataException"/>, an
    /// inconsistent ledger, bad encodings, unreadable certificates or keys, a damaged LiteDB file).
    /// </summary>
    public static bool IsDamage(Exception e) =>
        e is InvalidDataException or Ledger.LedgerCorruptException or System.Security.Cryptography.CryptographicException
            or FormatException or InvalidCastException or EndOfStreamException or LiteDB.LiteException;

    private static string Describe(string dataPath, string file, Exception inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        var detail = string.Join(' ', inner.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return $"The data folder's {file} is damaged ({detail}); run evidencectl audit --data {dataPath} to see what is wrong, and restore the file from a backup.";
    }
}
