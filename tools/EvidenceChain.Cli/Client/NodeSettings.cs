namespace EvidenceChain.Cli.Client;

/// <summary>
/// The options every node command takes: the node's gRPC address (<c>--node</c>, else <c>EVIDENCECHAIN_NODE</c>, else
/// <see cref="DefaultAddress"/>), the API key (<c>--api-key</c>, <c>--api-key-file</c>, else
/// <c>EVIDENCECHAIN_API_KEY</c>; none is fine for the public calls) and <c>--json</c>.
/// </summary>
/// <remarks>Immutable. <see cref="ToString"/> never shows the key.</remarks>
internal sealed class NodeSettings
{
    /// <summary>The node's default gRPC address.</summary>
    public const string DefaultAddress = "http://127.0.0.1:5080";

    /// <summary>The environment variable that names the node.</summary>
    public const string NodeVariable = "EVIDENCECHAIN_NODE";

    /// <summary>The environment variable that holds the API key.</summary>
    public const string KeyVariable = "EVIDENCECHAIN_API_KEY";

    private const int MaxKeyFileBytes = 4096;

    private NodeSettings(Uri address, string? apiKey, bool json)
    {
        Address = address;
        ApiKey = apiKey;
        Json = json;
    }

    /// <summary>The node's gRPC address.</summary>
    public Uri Address { get; }

    /// <summary>The bearer token, or null when none was given.</summary>
    public string? ApiKey { get; }

    /// <summary>True for one JSON document on stdout instead of text.</summary>
    public bool Json { get; }

    /// <summary>Reads the node options from <paramref name="args"/> and the environment.</summary>
    /// <exception cref="UsageException">A malformed address, or a key that is missing from its file or malformed.</exception>
    public static NodeSettings Read(Arguments args, CliConsole console)
    {
        var json = args.Flag("json");
        var option = args.Optional("node");
        var fromEnvironment = NonEmpty(console.Environment(NodeVariable));
        var text = option ?? fromEnvironment ?? DefaultAddress;
        var source = option is not null ? "--node" : fromEnvironment is not null ? NodeVariable : "the default address";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https") || address.Host.Length == 0)
        {
            throw new UsageException($"{source} must be an http:// or https:// URL such as {DefaultAddress}; got \"{text}\"");
        }

        return new NodeSettings(address, ReadKey(args, console), json);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Address} ({(ApiKey is null ? "no API key" : "with an API key")})";

    private static string? ReadKey(Arguments args, CliConsole console)
    {
        var key = args.Optional("api-key") is { } given ? KeyArgument.Read("--api-key", given) : null;
        var file = args.Optional("api-key-file");
        string source;
        if (key is not null && file is not null)
        {
            throw new UsageException("give --api-key or --api-key-file, not both");
        }

        if (key is not null)
        {
            source = "--api-key";
        }
        else if (file is not null)
        {
            key = ReadKeyFile(file);
            source = $"--api-key-file {file}";
        }
        else
        {
            key = NonEmpty(console.Environment(KeyVariable));
            source = KeyVariable;
            if (key is null)
            {
                return null;
            }
        }

        key = key.Trim();
        if (key.Length == 0)
        {
            throw new UsageException($"the API key from {source} is empty");
        }

        // Header values must be visible ASCII; the key itself is never echoed.
        if (!key.All(c => c is > ' ' and < (char)0x7f))
        {
            throw new UsageException(
                $"the API key from {source} holds spaces or characters a header cannot carry; it looks like <id>.<secret>, as \"evidencectl keys create\" prints it");
        }

        return key;
    }

    private static string ReadKeyFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new UsageException($"--api-key-file {path}: no such file");
            }

            return info.Length > MaxKeyFileBytes
                ? throw new UsageException($"--api-key-file {path} is {info.Length} bytes; an API key file holds one short line")
                : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new UsageException($"--api-key-file {path} cannot be read: {e.Message}");
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
