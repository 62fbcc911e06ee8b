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
    private readonly FileTimestampStore _store;
    private readonly HttpClient? _http;

    private NodeTimestamping(
        TsaCredentials credentials,
        TimeStampAuthority authority,
        FileTimestampStore store,
        CheckpointTimestamper timestamper,
        HttpClient? http,
        string trustPem,
        TimestampingOptions options)
    {
        Options = options;
        _credentials = credentials;
        Authority = authority;
        _store = store;
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

    public static NodeTimestamping Start(FileLedger ledger, TimestampingOptions options, TimeProvider time, ILoggerFactory loggers)
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
            credentials = TsaKeyFiles.LoadOrCreate(ledger.Folder.KeysPath, ledger.Ledger.Origin, time);
        }
        catch (Exception e) when (DataFolderDamagedException.IsDamage(e))
        {
            throw new DataFolderDamagedException(ledger.Folder.Path, DataFolderDamage.TsaFile(ledger.Folder.KeysPath), e);
        }

        FileTimestampStore? store = null;
        HttpClient? http = null;
        try
        {
            var serials = DataFolderDamage.Open(ledger.Folder.Path, "keys/" + TsaSerialFile.FileName, [], () => new TsaSerialFile(ledger.Folder.KeysPath));
            var authority = new TimeStampAuthority(credentials, serials, time, options.Accuracy);
            store = DataFolderDamage.Open(
                ledger.Folder.Path,
                "log/" + FileTimestampStore.IndexFile,
                ["log/" + FileTimestampStore.IndexFile, "log/" + FileTimestampStore.RecordsFile],
                () => new FileTimestampStore(ledger.Folder.LogPath));
            ITimestampSource source = authority;
            var mode = TimestampingMode.EveryCheckpoint;
            if (options.Url is { } url)
            {
                http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan }; // the timestamper bounds each request
                source = new CheckedTimestampSource(new HttpTimestampSource(http, url), externalCas!);
                mode = TimestampingMode.Cadence;
            }

            var timestamper = new CheckpointTimestamper(
                ledger.Ledger, source, store, mode, options, time, loggers.CreateLogger<CheckpointTimestamper>());
            timestamper.Start();
            return new NodeTimestamping(credentials, authority, store, timestamper, http, externalTrust ?? credentials.ChainPem, options);
        }
        catch
        {
            store?.Dispose();
            http?.Dispose();
            credentials.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Timestamper.DisposeAsync();
        _store.Dispose();
        _http?.Dispose();
        _credentials.Dispose();
    }
}
