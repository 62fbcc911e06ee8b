using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Node.IntegrationTests.Infrastructure;

/// <summary>
/// A small C2SP tlog-witness on real Kestrel (127.0.0.1, port 0), written for the tests from the spec with the Core
/// cosignature API: it checks the log's signature, the old size and the consistency proof, keeps the latest
/// cosigned size and root in memory, and answers 404/403/400/409/422 as the spec says. It can be told to hang.
/// </summary>
internal sealed class TestWitness : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly WitnessSigner _signer;
    private readonly NoteVerifier _logKey;
    private readonly Lock _lock = new();
    private ulong _size;
    private Hash _root;
    private int _requests;

    private TestWitness(WebApplication app, WitnessSigner signer, NoteVerifier logKey, Uri url)
    {
        _app = app;
        _signer = signer;
        _logKey = logKey;
        Url = url;
    }

    /// <summary>The submission prefix.</summary>
    public Uri Url { get; }

    /// <summary>The cosigner key, as the node's settings give it.</summary>
    public WitnessKey Key => _signer.Key;

    /// <summary>While true, every request waits until the client gives up.</summary>
    public bool Hang { get; set; }

    /// <summary>While true, every request is answered 503 Service Unavailable.</summary>
    public bool Refuse { get; set; }

    /// <summary>The size of the latest checkpoint it cosigned.</summary>
    public ulong Size
    {
        get
        {
            lock (_lock)
            {
                return _size;
            }
        }
    }

    /// <summary>The number of add-checkpoint requests received.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Pretends to have cosigned a checkpoint of <paramref name="size"/> with <paramref name="root"/> (a fork, or another view).</summary>
    public void Hold(ulong size, Hash root)
    {
        lock (_lock)
        {
            _size = size;
            _root = root;
        }
    }

    /// <summary>Starts a witness named <paramref name="name"/> for the log whose verifier key is <paramref name="logVerifierKey"/>.</summary>
    public static async Task<TestWitness> StartAsync(string name, string logVerifierKey)
    {
        var signer = WitnessSigner.FromSeed(name, RandomNumberGenerator.GetBytes(WitnessSigner.SeedSize));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? listen = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => { o.Protocols = HttpProtocols.Http1; listen = o; }));
        var app = builder.Build();
        TestWitness? witness = null;
        app.MapPost("/add-checkpoint", (Delegate)((HttpContext http) => witness!.AddCheckpointAsync(http)));
        await app.StartAsync();
        var url = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{listen!.IPEndPoint!.Port}"));
        witness = new TestWitness(app, signer, NoteVerifier.Parse(logVerifierKey), url);
        return witness;
    }

    /// <summary>Stops listening: the node's requests are refused from now on.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> AddCheckpointAsync(HttpContext http)
    {
        Interlocked.Increment(ref _requests);
        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        }

        if (Refuse)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        string body;
        using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(http.RequestAborted);
        }

        var blank = body.IndexOf("\n\n", StringComparison.Ordinal);
        if (blank < 0)
        {
            return Results.BadRequest();
        }

        var head = body[..blank].Split('\n');
        var note = body[(blank + 2)..];
        if (!head[0].StartsWith("old ", StringComparison.Ordinal) || !ulong.TryParse(head[0][4..], NumberStyles.None, CultureInfo.InvariantCulture, out var old))
        {
            return Results.BadRequest();
        }

        var proof = head[1..].Select(line => new Hash(Convert.FromBase64String(line))).ToArray();
        var opened = CheckpointNote.Open(note, _logKey);
        if (!opened.IsValid || opened.Checkpoint is not { } checkpoint)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        if (old > checkpoint.Size)
        {
            return Results.BadRequest();
        }

        lock (_lock)
        {
            if (old != _size)
            {
                return Results.Text(string.Create(CultureInfo.InvariantCulture, $"{_size}\n"), "text/x.tlog.size", statusCode: StatusCodes.Status409Conflict);
            }

            if (old == checkpoint.Size && _size > 0 && checkpoint.Root != _root)
            {
                return Results.Text(string.Create(CultureInfo.InvariantCulture, $"{_size}\n"), "text/x.tlog.size", statusCode: StatusCodes.Status409Conflict);
            }

            if (old > 0 && old < checkpoint.Size && !ConsistencyProof.Verify(old, checkpoint.Size, _root, checkpoint.Root, proof).IsValid)
            {
                return Results.StatusCode(StatusCodes.Status422UnprocessableEntity);
            }

            _size = checkpoint.Size;
            _root = checkpoint.Root;
        }

        var line = Cosignature.Sign(_signer, (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), SignedNote.TextOf(note)!);
        return Results.Text(line, "text/plain; charset=utf-8");
    }
}
