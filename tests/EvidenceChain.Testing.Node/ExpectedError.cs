using Microsoft.Extensions.Logging;

namespace EvidenceChain.Testing.Node;

/// <summary>
/// An error-level log entry a test provokes on purpose, declared narrowly so that other errors cannot hide behind it:
/// the event id and the logger category must both match, and the message must contain <see cref="MessagePart"/>.
/// </summary>
public sealed record ExpectedError(int EventId, string Category, string MessagePart)
{
    public bool Matches(LogRecord record) =>
        record.EventId == EventId
        && string.Equals(record.Category, Category, StringComparison.Ordinal)
        && record.Message.Contains(MessagePart, StringComparison.Ordinal);

    /// <summary>The error-or-worse entries of <paramref name="records"/> that none of <paramref name="expected"/> matches.</summary>
    public static IReadOnlyList<LogRecord> Unexpected(IEnumerable<LogRecord> records, IEnumerable<ExpectedError> expected) =>
        [.. records.Where(r => r.Level >= LogLevel.Error && !expected.Any(e => e.Matches(r)))];
}
