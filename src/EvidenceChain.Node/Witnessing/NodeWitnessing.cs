using System.Globalization;
using EvidenceChain.Core.Notes;
using EvidenceChain.Ledger.Witnessing;
using EvidenceChain.Node.Internal;

namespace EvidenceChain.Node.Witnessing;

/// <summary>
/// The node as a log that collects cosignatures: the witnesses from the <c>Witnesses</c> settings, the store
/// (<c>log/cosignatures</c>) and the <see cref="CheckpointCosigner"/>. Null cosigner when no witness is listed.
/// </summary>
internal sealed class NodeWitnessing : IAsyncDisposable
{
    private readonly HttpClient? _http;
    private SequencerOnly? _start;

    private NodeWitnessing(CheckpointCosigner? cosigner, HttpClient? http, WitnessOptions options)
    {
        Cosigner = cosigner;
        _http = http;
        Options = options;
    }

    /// <summary>The cosigner; null when no witness is configured.</summary>
    public CheckpointCosigner? Cosigner { get; }

    /// <summary>The settings.</summary>
    public WitnessOptions Options { get; }

    /// <summary>
    /// The newest checkpoint to serve: the latest published one, with the cosignatures collected for it so far (none
    /// until its round is done).
    /// </summary>
    public string LatestNote(Ledger.PublishedCheckpoint latest) => LatestCosigned(latest).SignedNote;

    /// <summary>
    /// <see cref="LatestNote"/> as a <see cref="CosignedCheckpoint"/>: the note and the witnesses whose cosignatures it
    /// carries (none when its round is not done, or no witness is configured).
    /// </summary>
    public CosignedCheckpoint LatestCosigned(Ledger.PublishedCheckpoint latest) =>
        Cosigner?.Latest is { } cosigned && cosigned.Size == latest.Size && SignedNote.TextOf(cosigned.SignedNote) == SignedNote.TextOf(latest.SignedNote)
            ? cosigned
            : new CosignedCheckpoint(latest.Size, latest.SignedNote, []);

    /// <summary>Checks the settings; one clear line when they are wrong.</summary>
    /// <exception cref="ArgumentException">A setting is wrong; the message names it.</exception>
    public static IReadOnlyList<(WitnessKey Key, Uri Url)> Validate(WitnessOptions options)
    {
        var witnesses = new List<(WitnessKey, Uri)>();
        for (var i = 0; i < options.List.Count; i++)
        {
            var entry = options.List[i];
            var where = string.Create(CultureInfo.InvariantCulture, $"Witnesses:List:{i}");
            if (!WitnessKey.TryParse(entry.Key, out var key))
            {
                throw new ArgumentException(entry.Key is null
                    ? $"{where}:Key is missing: give the witness's cosigner key, name+hex8+base64 (C2SP tlog-cosignature)."
                    : $"{where}:Key \"{entry.Key}\" is not a witness cosigner key (name+hex8+base64 of 0x04 and a 32-byte Ed25519 key).");
            }

            if (entry.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"{where}:Url must be the witness's absolute http or https URL (its submission prefix); got \"{entry.Url}\".");
            }

            if (witnesses.Any(w => w.Item1.Name == key.Name))
            {
                throw new ArgumentException($"{where}: witness {key.Name} is listed twice; each witness counts once towards the quorum.");
            }

            witnesses.Add((key, url));
        }

        if (options.Quorum is { } k && (k < 1 || k > witnesses.Count))
        {
            throw new ArgumentException(witnesses.Count == 0
                ? string.Create(CultureInfo.InvariantCulture, $"Witnesses:Quorum is {k} but Witnesses:List names no witness.")
                : string.Create(CultureInfo.InvariantCulture, $"Witnesses:Quorum must be between 1 and the {witnesses.Count} witnesses listed; got {k}."));
        }

        foreach (var (name, value) in new[] { ("MinInterval", options.MinInterval), ("RequestTimeout", options.RequestTimeout), ("MaxRetryDelay", options.MaxRetryDelay), ("MaxLag", options.MaxLag) })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentException($"Witnesses:{name} must be a positive time span (e.g. 00:00:05); got {value}.");
            }
        }

        return witnesses;
    }

    /// <summary>Starts cosigning when witnesses are listed (the settings were checked by <see cref="Validate"/>).</summary>
    public static NodeWitnessing Start(NodeLedger ledger, WitnessOptions options, LogKeys keys, TimeProvider time, ILoggerFactory loggers)
    {
        var witnesses = Validate(options);
        if (witnesses.Count == 0)
        {
            return new NodeWitnessing(null, null, options);
        }

        var store = ledger.Driver.Cosignatures;
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) }) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var logKey = NoteVerifier.Parse(keys.LogVerifierKey);
            var clients = witnesses.Select(w => (IWitnessClient)new HttpWitnessClient(http, w.Key, w.Url, logKey)).ToList();
            var cosigner = new CheckpointCosigner(
                ledger.Ledger,
                clients,
                store,
                new CosigningOptions
                {
                    Quorum = options.Quorum ?? witnesses.Count,
                    MinInterval = options.MinInterval,
                    RequestTimeout = options.RequestTimeout,
                    MaxRetryDelay = options.MaxRetryDelay,
                    MaxLag = options.MaxLag,
                },
                time,
                loggers.CreateLogger<CheckpointCosigner>());
            var node = new NodeWitnessing(cosigner, http, options);
            node._start = new SequencerOnly(ledger.Ledger.Sequencing, cosigner.Start);
            return node;
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _start?.Stop();
        if (Cosigner is not null)
        {
            await Cosigner.DisposeAsync();
        }

        _http?.Dispose();
    }
}
