namespace EvidenceChain.Capture.Browser;

/// <summary>
/// What the browser gets for an <see cref="InterceptedRequest"/>: a response (status, fields, decoded body) it takes as
/// if from the network, or, when <see cref="ErrorReason"/> is set, a network error (<c>Fetch.failRequest</c>). Immutable.
/// </summary>
internal sealed record InterceptedAnswer(int Status, string Phrase, IReadOnlyList<KeyValuePair<string, string>> Fields, byte[] Body)
{
    /// <summary>The DevTools <c>Network.ErrorReason</c> (<c>AccessDenied</c>, <c>Failed</c>, ...), or null for a response.</summary>
    public string? ErrorReason { get; init; }

    public static InterceptedAnswer Error(string reason) => new(0, string.Empty, [], []) { ErrorReason = reason };
}

