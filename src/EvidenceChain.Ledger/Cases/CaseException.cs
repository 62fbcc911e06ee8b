namespace EvidenceChain.Ledger.Cases;

/// <summary>A case request that was refused, with a message naming the field, case or entry. Nothing was recorded.</summary>
public sealed class CaseException : Exception
{
    /// <summary>Creates the exception.</summary>
    internal CaseException(CaseFailure failure, string message)
        : base(message) => Failure = failure;

    /// <summary>Creates the exception (for serializers; prefer the other constructor).</summary>
    internal CaseException()
        : this(CaseFailure.InvalidArgument, "The case request was refused.")
    {
    }

    /// <summary>Creates the exception (for serializers; prefer the other constructor).</summary>
    internal CaseException(string message)
        : this(CaseFailure.InvalidArgument, message)
    {
    }

    /// <summary>Creates the exception (for serializers; prefer the other constructor).</summary>
    internal CaseException(string message, Exception innerException)
        : base(message, innerException) => Failure = CaseFailure.InvalidArgument;

    /// <summary>Why it was refused.</summary>
    public CaseFailure Failure { get; }
}
