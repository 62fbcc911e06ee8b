namespace EvidenceChain.Ledger.Witnessing;

/// <summary>
/// A witness could not be reached, timed out, or answered outside the protocol (another status, a malformed or
/// unverifiable body). The cosigner retries later with back-off; the message says what happened.
/// </summary>
public sealed class WitnessException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WitnessException()
    {
    }

    /// <summary>Creates the exception with its reason.</summary>
    public WitnessException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its reason and cause.</summary>
    public WitnessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
