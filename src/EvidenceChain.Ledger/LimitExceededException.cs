namespace EvidenceChain.Ledger;

/// <summary>
/// A configured limit was exceeded (file size, field length, uploads at once). Nothing was kept. The message names
/// the limit, its value and the setting that changes it. Maps to gRPC <c>RESOURCE_EXHAUSTED</c>.
/// </summary>
public sealed class LimitExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LimitExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public LimitExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public LimitExceededException()
    {
    }
}
