namespace EvidenceChain.Node;

/// <summary>
/// Node settings, from the configuration root: appsettings.json, <c>EVIDENCECHAIN__*</c> environment variables and the
/// command line (<c>--data DIR --grpc URL --http URL</c>).
/// </summary>
internal sealed class NodeOptions
{
    /// <summary>The data folder (ledger files, blobs, LiteDB files, keys). Default <c>./data</c>.</summary>
    public string Data { get; set; } = "data";

    /// <summary>
    /// The log's origin line for a new ledger (e.g. <c>evidence.example.org/log1</c>); an existing ledger keeps its own.
    /// Default: a generated unique origin.
    /// </summary>
    public string? Origin { get; set; }

    /// <summary>
    /// Where gRPC (HTTP/2 without TLS) listens. Default <c>http://127.0.0.1:5080</c>; port 0 picks a free port.
    /// </summary>
    public string Grpc { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// Where HTTP/1.1 listens: JSON API, tlog-tiles reads and raw upload/download. Default <c>http://127.0.0.1:5081</c>.
    /// </summary>
    public string Http { get; set; } = "http://127.0.0.1:5081";

    /// <summary>Put unexpected exceptions' messages into error statuses. Default false (they go to the log only).</summary>
    public bool DetailedErrors { get; set; }
}
