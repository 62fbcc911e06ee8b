namespace EvidenceChain.Ledger.Timestamping;

/// <summary>A time-stamping authority refused a request, could not be reached, or answered with a bad response.</summary>
public sealed class TimestampException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TimestampException()
    {
    }

    /// <summary>Creates the exception with a message that says what went wrong.</summary>
    public TimestampException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TimestampException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
