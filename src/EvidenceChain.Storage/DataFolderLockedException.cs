namespace EvidenceChain.Storage;

/// <summary>Another process (or another open in this one) holds the data folder's lock.</summary>
public sealed class DataFolderLockedException : IOException
{
    /// <summary>Creates the exception.</summary>
    internal DataFolderLockedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    internal DataFolderLockedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    internal DataFolderLockedException()
    {
    }
}
