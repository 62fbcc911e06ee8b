using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Storage;
using EvidenceChain.Verifier.Timestamps;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// The node's trusted time: the built-in TSA (always there, served at <c>POST /tsa</c>), the token store, and the
/// timestamper that stamps checkpoints with the built-in TSA or, when <c>Timestamping:Url</c> is set, an external one.
/// </summary>
internal sealed class NodeTimestamping : IAsyncDisposable
{
    private readonly TsaCredentials _credentials;
    private readonly HttpClient? _http;
    private SequencerOnly? _start;

    private NodeTimestamping(
        TsaCredentials credentials,
        TimeStampAuthority authority,
        CheckpointTimestamper timestamper,
        HttpClient? http,
        string trustPem,
        TimestampingOptions options)
    {
        Options = options;
        _credentials = credentials;
        Authority = authority;
        Timestamper = timestamper;
        _http = http;
        TrustPem = trustPem;
    }

    /// <summary>The settings (section Timestamping).</summary>
    public TimestampingOptions Options { get; }

    /// <summary>The built-in TSA.</summary>
    public TimeStampAuthority Authority { get; }

    /// <summary>The checkpoint timestamper.</summary>
    public CheckpointTimestamper Timestamper { get; }

    /// <summary>
    /// The certificates a receipt carries for the checkpoint tokens: the built-in TSA's chain, or the external TSA's
    /// configured CA file (the token itself carries the signer certificate).
    /// </summary>
    public string TrustPem { get; }

    public static NodeTimestamping Start(NodeLedger ledger, TimestampingOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        string? externalTrust = null;
        IReadOnlyList<TsaCertificate>? externalCas = null;
        if (options.Url is not null)
        {
            // Receipts must name the CA that verifiers pin for the external TSA, and the node checks every token under it.
            if (options.TrustedCaFile is not { Length: > 0 } caFile)
            {
                throw new ArgumentException(
                    "Timestamping:TrustedCaFile is required with Timestamping:Url: the external TSA's CA certificate(s), PEM, which receipts carry and every token is checked against.");
            }

            externalTrust = File.Exists(caFile)
                ? File.ReadAllText(caFile)
                : throw new ArgumentException($"Timestamping:TrustedCaFile {Path.GetFullPath(caFile)} does not exist.");
            externalCas = TimestampVerifier.ReadPem(externalTrust);
            if (externalCas.Count == 0)
            {
                throw new ArgumentException($"Timestamping:TrustedCaFile {Path.GetFullPath(caFile)} holds no PEM certificate.");
            }
        }

        TsaCredentials credentials;
        try
        {
            credentials = TsaKeyFiles.LoadOrCreate(ledger.KeysPath, ledger.Ledger.Origin, time);
        }
        catch (Exception e) when (DataFolderDamagedException.IsDamage(e))
        {
            throw new DataFolderDamagedException(ledger.DataPath, DataFolderDamage.TsaFile(ledger.KeysPath), e);
        }

        HttpClient? http = null;
        try
        {
            var authority = new TimeStampAuthority(credentials, ledger.Driver.TsaSerials, time, options.Accuracy);
            ITimestampSource source = authority;
            var mode = TimestampingMode.EveryCheckpoint;
            if (options.Url is { } url)
            {
                http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan }; // the timestamper bounds each request
                source = new CheckedTimestampSource(new HttpTimestampSource(http, url), externalCas!);
                mode = TimestampingMode.Cadence;
            }

            var timestamper = new CheckpointTimestamper(
                ledger.Ledger, source, ledger.Driver.Timestamps, mode, options, time, loggers.CreateLogger<CheckpointTimestamper>());
            var node = new NodeTimestamping(credentials, authority, timestamper, http, externalTrust ?? credentials.ChainPem, options);
            node._start = new SequencerOnly(ledger.Ledger.Sequencing, timestamper.Start);
            return node;
        }
        catch
        {
            http?.Dispose();
            credentials.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _start?.Stop();
        await Timestamper.DisposeAsync();
        _http?.Dispose();
        _credentials.Dispose();
    }
}
