using System.Security.Cryptography;
using EvidenceChain.Ledger;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Node.Auth;
using EvidenceChain.Node.Certificates;
using EvidenceChain.Node.Http;
using EvidenceChain.Node.Internal;
using EvidenceChain.Node.Jobs;
using EvidenceChain.Node.Services;
using EvidenceChain.Node.Witnessing;
using EvidenceChain.Storage;
using EvidenceChain.Witness;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace EvidenceChain.Node;

/// <summary>
/// A running node: the ledger over the storage driver its settings name (<c>Storage:Driver</c>), and the Kestrel host
/// serving gRPC (HTTP/2) on one address and JSON, tlog-tiles and raw file transfer (HTTP/1.1) on another. The
/// composition root.
/// </summary>
public sealed class EvidenceNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly NodeLedger _ledger;
    private readonly NodeTimestamping _timestamping;
    private readonly ListenOptions _grpc;
    private readonly ListenOptions _http;
    private readonly NodeSearch _search;
    private readonly NodeWitnessing _witnessing;
    private readonly NodeJobs _jobs;
    private int _disposed;

    private EvidenceNode(
        WebApplication app, NodeLedger ledger, NodeTimestamping timestamping, ListenOptions grpc, ListenOptions http, string? adminKeyPath, NodeSearch search, NodeWitnessing witnessing, NodeJobs jobs)
    {
        _jobs = jobs;
        _witnessing = witnessing;
        _search = search;
        _app = app;
        _ledger = ledger;
        _timestamping = timestamping;
        _grpc = grpc;
        _http = http;
        AdminKeyPath = adminKeyPath;
    }

    /// <summary>The gRPC address, e.g. <c>http://127.0.0.1:5080</c> (the bound port when configured as 0).</summary>
    public Uri GrpcAddress => ToUri(_grpc);

    /// <summary>The HTTP/1.1 address (JSON, tiles, raw files).</summary>
    public Uri HttpAddress => ToUri(_http);

    /// <summary>The data folder's full path.</summary>
    public string DataPath => _ledger.DataPath;

    /// <summary>Where this start wrote the first admin key's secret; null when the node already had keys.</summary>
    public string? AdminKeyPath { get; }

    /// <summary>The running ledger.</summary>
    public EvidenceLedger Ledger => _ledger.Ledger;

    /// <summary>The storage driver's ports (tests read through them whatever the driver).</summary>
    internal IStorageDriver Storage => _ledger.Driver;

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a node configured from appsettings.json, <c>EVIDENCECHAIN__*</c> environment variables and
    /// <paramref name="args"/> (<c>--data DIR --grpc URL --http URL</c>, or any setting as <c>--Section:Key value</c>).
    /// </summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="configure">Changes to the builder before it is built (tests add logging providers here).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<EvidenceNode> StartAsync(
        string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddEnvironmentVariables("EVIDENCECHAIN__");
        builder.Configuration.AddCommandLine(args);
        configure?.Invoke(builder);
        builder.AddWebPage();

        var options = builder.Configuration.Get<NodeOptions>() ?? new NodeOptions();
        var limits = builder.Configuration.GetSection("Limits").Get<NodeLimits>() ?? new NodeLimits();
        var intakeOptions = builder.Configuration.GetSection("Limits").Get<IntakeOptions>() ?? new IntakeOptions();
        intakeOptions.Sm3 = builder.Configuration.GetValue<bool>("NationalCrypto");
        var ledgerOptions = builder.Configuration.GetSection("Ledger").Get<LedgerOptions>() ?? new LedgerOptions();
        var timestampingOptions = builder.Configuration.GetSection("Timestamping").Get<TimestampingOptions>() ?? new TimestampingOptions();
        // Witnesses: the witnesses that cosign this node's checkpoints; Witness: the other logs this node witnesses.
        var witnessOptions = builder.Configuration.GetSection("Witnesses").Get<Witnessing.WitnessOptions>() ?? new Witnessing.WitnessOptions();
        NodeWitnessing.Validate(witnessOptions); // bad witness settings stop the start here, with one line
        var witnessServerOptions = new EvidenceChain.Witness.WitnessOptions();
        builder.Configuration.GetSection("Witness").Bind(witnessServerOptions);
        var witnessedLogs = witnessServerOptions.LogKeys(); // a bad Witness:Logs entry stops the start here
        var storageOptions = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        StorageDrivers.Validate(storageOptions); // an unknown driver stops the start here, with one line
        var grpcEndPoint = ListenAddress.Parse(options.Grpc, "Grpc");
        var httpEndPoint = ListenAddress.Parse(options.Http, "Http");
        if (grpcEndPoint.Equals(httpEndPoint) && grpcEndPoint.Port != 0)
        {
            throw new ArgumentException($"Grpc and Http must listen on different addresses; both are {options.Grpc}.");
        }

        // A configured certificate font that cannot be used stops the start here, not the first certificate later.
        CertificateFonts.Family(builder.Configuration["Certificate:FontFile"]);

        ListenOptions? grpc = null, http = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(grpcEndPoint, o => { o.Protocols = HttpProtocols.Http2; grpc = o; });
            k.Listen(httpEndPoint, o => { o.Protocols = HttpProtocols.Http1; http = o; });
        });

        // The ledger opens after the host is built, so that it logs through the host's logging like everything else;
        // the services below are resolved on first use, once it is open.
        var parts = new Parts();
        var time = TimeProvider.System;
        var services = builder.Services;
        services.AddSingleton(time);
        services.AddSingleton(_ => parts.Ledger.Ledger);
        services.AddSingleton(_ => parts.Ledger.Driver.Blobs);
        services.AddSingleton(_ => parts.Keys);
        services.AddSingleton(_ => parts.Time.Authority);
        services.AddSingleton(_ => parts.Time.Timestamper);
        services.AddSingleton(_ => parts.Time);
        services.AddSingleton(_ => parts.Witnessing);
        services.AddSingleton(_ => LogKeys.Read(parts.Ledger));
        services.AddSingleton<ReceiptBuilder>();
        services.Configure<CertificateOptions>(builder.Configuration.GetSection("Certificate"));
        services.AddSingleton(sp => new CertificateFactsReader(
            parts.Ledger.Driver.Blobs, parts.Keys, sp.GetRequiredService<EntryDisclosure>(), sp.GetRequiredService<IOptions<CertificateOptions>>().Value, time));
        services.AddSingleton(_ => parts.Signing);
        services.AddSingleton<CertificateIssuer>();
        services.AddTsaRateLimit(limits.TsaRequestsPerSecondPerClient);
        services.AddSingleton(_ => parts.Cases);
        services.AddSingleton<CaseExporter>();
        services.AddSingleton<WatchExporter>();
        services.AddSingleton<CaseView>();
        services.AddSingleton(_ => parts.Openings);
        services.AddSingleton(_ => parts.Search.Search);
        services.AddSingleton<EntryDisclosure>();
        services.AddSingleton(_ => new FileIntake(parts.Ledger.Ledger, parts.Ledger.Driver.Blobs, intakeOptions, parts.Openings));
        services.AddSingleton<UploadSlots>();
        services.AddCapture(builder.Configuration, intakeOptions.Sm3);
        services.AddSingleton(_ => parts.Jobs);
        services.Configure<NodeOptions>(builder.Configuration);
        services.Configure<NodeLimits>(builder.Configuration.GetSection("Limits"));
        services.AddSingleton<AuthInterceptor>();
        services.AddGrpc(o =>
        {
            o.Interceptors.Add<ErrorInterceptor>();
            o.Interceptors.Add<AuthInterceptor>();
            // Room above the chunk limit, so that a chunk somewhat too large gets the clear Limits:MaxChunkSize error.
            o.MaxReceiveMessageSize = Math.Max(4 << 20, 2 * limits.MaxChunkSize) + (64 * 1024);
            // The limit above bounds a message's compressed length only; this bounds what it inflates to.
            o.CompressionProviders = [new BoundedGzipCompressionProvider(o.MaxReceiveMessageSize.Value)];
            o.EnableDetailedErrors = options.DetailedErrors;
        }).AddJsonTranscoding(o => o.JsonSettings.WriteInt64sAsStrings = true); // proto3 JSON: 64-bit integers are strings
        StrictServiceMethodProvider<object>.Replace(services); // a malformed request message is INVALID_ARGUMENT, not UNKNOWN
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks(o =>
        {
            // The node serves ("") while its ledger works; an unreachable external TSA shows as the "timestamping" service.
            o.Services.Map(string.Empty, r => r.Name == "ledger");
            o.Services.Map("timestamping", r => r.Name == "timestamping");
            o.Services.Map("witnesses", r => r.Name == "witnesses");
        })
            .AddCheck<LedgerHealthCheck>("ledger")
            .AddCheck<TimestampingHealthCheck>("timestamping")
            .AddCheck<WitnessingHealthCheck>("witnesses");

        var app = builder.Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var log = loggers.CreateLogger<EvidenceNode>();
        NodeLedger ledger;
        try
        {
            ledger = await NodeLedger.OpenAsync(
                storageOptions, Path.GetFullPath(options.Data), options.Origin, intakeOptions.Sm3, ledgerOptions, time, loggers, cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        ApiKeyService? keys = null;
        NodeTimestamping? timestamping = null;
        NodeSearch? search = null;
        NodeWitnessing? witnessing = null;
        CheckpointWitness? witness = null;
        NodeJobs? jobs = null;
        try
        {
            NodeLog.Storage(log, ledger.Driver.Name, ledger.Driver.Location, ledger.KeysPath);
            if (ledger.Sm2VerifierKey is { } sm2)
            {
                NodeLog.NationalCrypto(log, sm2, ledger.KeysPath);
            }

            timestamping = NodeTimestamping.Start(ledger, timestampingOptions, time, loggers);
            parts.Time = timestamping;
            witnessing = NodeWitnessing.Start(ledger, witnessOptions, LogKeys.Read(ledger), time, loggers);
            parts.Witnessing = witnessing;
            parts.Signing = LoadDocumentSigning(ledger, time);
            app.Lifetime.ApplicationStopped.Register(parts.Signing.Dispose);
            // Salts of committed fields: the node's CSPRNG, named here once (docs/formats.md §1.5).
            var openings = new EntryOpenings(
                ledger.Driver.Openings, intakeOptions.Sm3 ? Core.Entries.CommitmentAlgorithm.Sm3 : Core.Entries.CommitmentAlgorithm.Sha256, RandomNumberGenerator.Fill);
            parts.Openings = openings;
            keys = new ApiKeyService(ledger.Driver.ApiKeys, ledger.Ledger, openings, time);
            var adminKeyPath = keys.IsEmpty ? await WriteFirstAdminKeyAsync(keys, ledger.KeysPath, log) : null;
            parts.Ledger = ledger;
            parts.Keys = keys;
            parts.Cases = await NodeCases.OpenAsync(ledger, openings, loggers, cancellationToken);
            search = await NodeSearch.OpenAsync(ledger, openings, time, loggers, cancellationToken);
            parts.Search = search;
            jobs = await NodeJobs.OpenAsync(ledger, parts.Cases, app.Services, time, intakeOptions.Sm3, loggers, cancellationToken);
            parts.Jobs = jobs;
            app.Lifetime.ApplicationStopping.Register(jobs.Cancel); // before the cases' store closes

            app.UseDownloadHeaders();
            app.MapGrpcService<EvidenceApi>();
            app.MapGrpcService<LogApi>();
            app.MapGrpcService<AdminApi>();
            app.MapGrpcService<CaptureApi>();
            app.MapGrpcService<CaptureJobApi>();
            app.MapGrpcService<WatchApi>();
            app.MapGrpcHealthChecksService();
            app.MapGrpcReflectionService();
            app.MapTiles();
            app.MapFiles();
            app.UseRateLimiter();
            app.MapTsa();
            app.MapReceipts();
            app.MapCertificates();
            app.MapGrpcService<CaseApi>();
            app.MapCaseExports();
            app.MapWebPage(ledger, timestamping, log);
            if (witnessedLogs.Count > 0)
            {
                // The node as a C2SP witness of other logs: unauthenticated by design (the log's signature is the
                // authentication), so outside the API key checks. Its key sits with the node's other keys.
                var witnessSigner = WitnessKeyFiles.LoadOrCreate(ledger.KeysPath, witnessServerOptions.Name ?? ledger.Ledger.Origin + "/witness");
                witness = new CheckpointWitness(
                    witnessSigner, witnessedLogs, Path.Combine(ledger.DataPath, "witness"), time, loggers.CreateLogger("EvidenceChain.Witness"));
                app.Lifetime.ApplicationStopped.Register(witness.Dispose);
                app.MapWitness(witness);
            }

            await app.StartAsync(cancellationToken);
            app.Lifetime.ApplicationStopped.Register(keys.Dispose);
            var node = new EvidenceNode(app, ledger, timestamping, grpc!, http!, adminKeyPath, search, witnessing, jobs);
            string grpcAddress = node.GrpcAddress.ToString(), httpAddress = node.HttpAddress.ToString();
            NodeLog.Listening(log, grpcAddress, httpAddress);
            return node;
        }
        catch
        {
            if (jobs is not null)
            {
                await jobs.DisposeAsync();
            }

            await app.DisposeAsync();
            keys?.Dispose();
            if (search is not null)
            {
                await search.DisposeAsync();
            }

            if (witnessing is not null)
            {
                await witnessing.DisposeAsync();
            }

            witness?.Dispose();
            if (timestamping is not null)
            {
                await timestamping.DisposeAsync();
            }

            await ledger.DisposeAsync();
            throw;
        }
    }

    /// <summary>Completes when the host is asked to stop (Ctrl+C, SIGTERM).</summary>
    internal Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>Stops accepting calls, lets those in flight finish, drains the sequencer, and releases the data folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var logger = _app.Services.GetRequiredService<ILogger<EvidenceNode>>();
        NodeLog.Stopping(logger);
        await _app.StopAsync();
        await _jobs.DisposeAsync();
        await _app.DisposeAsync();
        await _witnessing.DisposeAsync();
        await _timestamping.DisposeAsync();
        await _search.DisposeAsync();
        await _ledger.DisposeAsync();
    }

    private static DocumentSigningCredentials LoadDocumentSigning(NodeLedger ledger, TimeProvider time)
    {
        var keysPath = ledger.KeysPath;
        try
        {
            var certificate = DocumentSigningKeyFiles.LoadOrCreate(keysPath, ledger.Ledger.Origin, time);
            return new DocumentSigningCredentials(certificate, DocumentSigningKeyFiles.LoadAuthority(keysPath));
        }
        catch (InvalidDataException e)
        {
            throw new DataFolderDamagedException(ledger.DataPath, "keys/" + DocumentSigningKeyFiles.CertificateFile, e);
        }
    }

    private static async Task<string> WriteFirstAdminKeyAsync(ApiKeyService keys, string keysPath, ILogger log)
    {
        // Its create event (by the node itself) is entry 0 of a new ledger.
        var (key, token, _) = await keys.CreateAsync(Role.Admin, "first admin key, created at first start", Core.Keys.ApiKeyEvent.NodeActor);
        var path = Path.Combine(keysPath, "admin.apikey");
        SecretFile.Write(path, token + "\n", overwrite: true); // a fresh 0600 file, even over a leftover with a wider mode

        NodeLog.AdminKeyCreated(log, key.Id, path);
        return path;
    }

    private sealed class Parts
    {
        public NodeLedger Ledger { get; set; } = null!;

        public ApiKeyService Keys { get; set; } = null!;

        public NodeTimestamping Time { get; set; } = null!;

        public DocumentSigningCredentials Signing { get; set; } = null!;

        public NodeCases Cases { get; set; } = null!;

        public EntryOpenings Openings { get; set; } = null!;

        public NodeSearch Search { get; set; } = null!;

        public NodeWitnessing Witnessing { get; set; } = null!;

        public NodeJobs Jobs { get; set; } = null!;
    }

    private static Uri ToUri(ListenOptions listen)
    {
        var endPoint = listen.IPEndPoint ?? throw new InvalidOperationException("Not an IP listener.");
        var host = endPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]" : endPoint.Address.ToString();
        return new Uri($"http://{host}:{endPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }
}
