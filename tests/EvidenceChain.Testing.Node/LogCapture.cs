using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Testing.Node;

/// <summary>Records every log message of a host, so that tests can fail on unexpected errors and show the log.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogRecord> _records = new();

    public IReadOnlyCollection<LogRecord> Records => _records;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public string Dump() => string.Join('\n', _records.Select(r => r.ToString()));

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._records.Enqueue(new LogRecord(logLevel, category, eventId.Id, formatter(state, exception), exception));
    }
}

/// <summary>One captured log message.</summary>
public sealed record LogRecord(LogLevel Level, string Category, int EventId, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}[{EventId}] {Message}{(Exception is null ? string.Empty : "\n  " + Exception)}";
}
