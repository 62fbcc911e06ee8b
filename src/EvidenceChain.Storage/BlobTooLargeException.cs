namespace EvidenceChain.Storage;

/// <summary>An artefact was larger than the configured limit; nothing was stored.</summary>
public sealed class BlobTooLargeException : Exception
{
    /// <summary>Creates the exception.</summary>
    internal BlobTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    internal BlobTooLargeException()
    {
    }

    /// <summary>Creates the exception.</summary>
    internal BlobTooLargeException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
