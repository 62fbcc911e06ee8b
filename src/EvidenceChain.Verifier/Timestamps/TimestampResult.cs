namespace EvidenceChain.Verifier.Timestamps;

/// <summary>
/// The outcome of checking an RFC 3161 timestamp: whether it holds and why not, and what the token says (genTime,
/// serial, policy, accuracy, signer), filled in as far as the token could be read even when a check failed.
/// </summary>
/// <remarks>Immutable.</remarks>
public sealed class TimestampResult
{
    internal TimestampResult(TimestampFailure failure, string message, TimestampInfo? info)
    {
        Failure = failure;
        Message = message;
        Info = info;
    }

    /// <summary>True when every check passed.</summary>
    public bool IsValid => Failure == TimestampFailure.None;

    /// <summary>The failure, or <see cref="TimestampFailure.None"/>.</summary>
    public TimestampFailure Failure { get; }

    /// <summary>What was found (on success) or what was wrong.</summary>
    public string Message { get; }

    /// <summary>What the token says; null when it could not be decoded.</summary>
    public TimestampInfo? Info { get; }

    /// <inheritdoc/>
    public override string ToString() => Message;
}
