using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Capture.Tests.Infrastructure;

/// <summary>A logger that keeps every formatted message, for tests of what reaches the log.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => [.. _messages];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _messages.Enqueue(formatter(state, exception) + (exception is null ? string.Empty : " " + exception.Message));
    }
}
