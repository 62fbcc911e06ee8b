using System.Globalization;
using System.Net;
using EvidenceChain.Core.Notes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Witness;

/// <summary>
/// The stand-alone witness of <c>evidencectl witness serve</c>: Kestrel (HTTP/1.1) on one address serving only
/// <see cref="WitnessEndpoints"/>, with its key (<c>witness.key</c>, <c>witness.vkey</c>) and state in one folder.
/// </summary>
/// <remarks>Thread-safe. Dispose stops it and releases the folder.</remarks>
public sealed class WitnessHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CheckpointWitness _witness;

    private WitnessHost(WebApplication app, CheckpointWitness witness, Uri address)
    {
        _app = app;
        _witness = witness;
        Address = address;
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:7380</c> (the real port when 0 was asked for).</summary>
    public Uri Address { get; }

    /// <summary>The witness's public key.</summary>
    public WitnessKey Key => _witness.Key;

    /// <summary>
    /// Starts a witness listening on <paramref name="listen"/> (<c>host:port</c>, an IP address; port 0 picks one)
    /// with its key and state in <paramref name="folder"/>, cosigning for <paramref name="logKeys"/>.
    /// </summary>
    /// <param name="listen">The address to listen on, such as <c>127.0.0.1:7380</c>.</param>
    /// <param name="folder">The key and state folder (created 0700).</param>
    /// <param name="name">The witness's name; needed only to create its key.</param>
    /// <param name="logKeys">The logs' verifier keys.</param>
    /// <param name="configureLogging">Logging providers (the CLI writes to standard error).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentException">A bad address, name or no logs.</exception>
    /// <exception cref="InvalidDataException">A damaged key or state file.</exception>
    /// <exception cref="IOException">The folder is in use, or the address cannot be bound.</exception>
    public static async Task<WitnessHost> StartAsync(
        string listen,
        string folder,
        string? name,
        IReadOnlyCollection<NoteVerifier> logKeys,
        Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var endPoint = ParseEndPoint(listen);
        var signer = WitnessKeyFiles.LoadOrCreate(folder, name);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(k => k.Listen(endPoint, o => o.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        CheckpointWitness? witness = null;
        try
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EvidenceChain.Witness");
            witness = new CheckpointWitness(signer, logKeys, folder, TimeProvider.System, logger);
            app.MapWitness(witness);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Kestrel reported no address.");
            return new WitnessHost(app, witness, new Uri(bound));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            witness?.Dispose();
            throw;
        }
    }

    /// <summary>Completes when the host is asked to stop (SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _witness.Dispose();
    }

    private static IPEndPoint ParseEndPoint(string listen)
    {
        var colon = listen.LastIndexOf(':');
        if (colon <= 0
            || !IPAddress.TryParse(listen[..colon].Trim('[', ']'), out var address)
            || !ushort.TryParse(listen.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new ArgumentException($"--listen \"{listen}\" is not ADDRESS:PORT with an IP address, such as 127.0.0.1:7380.");
        }

        return new IPEndPoint(address, port);
    }
}
