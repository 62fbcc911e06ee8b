namespace EvidenceChain.Node.Internal;

/// <summary>The node's log messages. Never put secrets (API keys, key material) in them.</summary>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Storage: the {Driver} driver at {Location}; keys in {KeysPath}")]
    public static partial void Storage(ILogger logger, string driver, string location, string keysPath);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "Created the first admin API key {KeyId}; its secret is in {Path} (mode 0600). Keep it safe and delete the file once stored elsewhere")]
    public static partial void AdminKeyCreated(ILogger logger, string keyId, string path);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Listening: gRPC on {Grpc}, HTTP/JSON and tiles on {Http}")]
    public static partial void Listening(ILogger logger, string grpc, string http);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Unexpected error in {Method}")]
    public static partial void UnexpectedError(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "API key {KeyId} created with role {Role} by {Actor}")]
    public static partial void KeyCreated(ILogger logger, string keyId, string role, string actor);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "API key {KeyId} revoked by {Actor}")]
    public static partial void KeyRevoked(ILogger logger, string keyId, string actor);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Stopping: draining the sequencer")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 107, Level = LogLevel.Debug, Message = "Preserved {Name} ({Size} bytes) as entry {Index} for {KeyId}")]
    public static partial void Preserved(ILogger logger, string name, long size, ulong index, string keyId);

    [LoggerMessage(EventId = 120, Level = LogLevel.Information,
        Message = "National crypto profile: SM3 artefact digests, and an SM2 line on every checkpoint under verifier key {VerifierKey} (log-sm2.vkey, and log-sm2.pub.pem for openssl, in {KeysPath})")]
    public static partial void NationalCrypto(ILogger logger, EvidenceChain.Core.Notes.NoteVerifier verifierKey, string keysPath);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning,
        Message = "The verification page is not served: its files were not found (no {Manifest} or no index.html); build or publish the node with src/EvidenceChain.Web")]
    public static partial void WebPageMissing(ILogger logger, string manifest);
}
