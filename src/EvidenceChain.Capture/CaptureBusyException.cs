namespace EvidenceChain.Capture;

/// <summary>
/// Capture:MaxConcurrentCaptures captures are already running. Nothing was fetched; retry later (the node answers
/// RESOURCE_EXHAUSTED).
/// </summary>
public sealed class CaptureBusyException : Exception
{
    /// <summary>Creates the exception.</summary>
    internal CaptureBusyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    internal CaptureBusyException()
    {
    }

    /// <summary>Creates the exception.</summary>
    internal CaptureBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
