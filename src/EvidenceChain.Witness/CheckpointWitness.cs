using System.Globalization;
using System.Text;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Witness.Internal;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Witness;

/// <summary>
/// A C2SP tlog-witness: cosigns a checkpoint of a known log only when the log's key signed it and it is consistent
/// with the last checkpoint this witness cosigned for that log (docs/formats.md §6d). Shared by the node and
/// <c>evidencectl witness serve</c>; <see cref="WitnessEndpoints"/> puts it on HTTP.
/// </summary>
/// <remarks>
/// Thread-safe. Requests for one log are serialised, and the new state is durable (fsync'd) before the cosignature
/// is returned, so no crash makes it cosign two different trees of one size. The state folder is held exclusively
/// until <see cref="Dispose"/>.
/// </remarks>
public sealed class CheckpointWitness : IDisposable
{
    private readonly WitnessSigner _signer;
    private readonly Dictionary<string, LogState> _logs;
    private readonly StateFolder _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>
    /// Opens the witness state in <paramref name="statePath"/> (created 0700 if missing) for the logs whose keys are
    /// <paramref name="logKeys"/>: a log is its origin, the keys' name; several keys of one origin are all trusted.
    /// </summary>
    /// <exception cref="ArgumentException">No log keys.</exception>
    /// <exception cref="IOException">The state folder is in use by another process or cannot be created.</exception>
    /// <exception cref="InvalidDataException">A state file is damaged, or not cosigned by <paramref name="signer"/>.</exception>
    public CheckpointWitness(
        WitnessSigner signer, IReadOnlyCollection<NoteVerifier> logKeys, string statePath, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(logKeys);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (logKeys.Count == 0)
        {
            throw new ArgumentException("A witness needs at least one log to cosign for.", nameof(logKeys));
        }

        _signer = signer;
        _time = time;
        _logger = logger;
        _state = new StateFolder(statePath);
        try
        {
            _logs = logKeys
                .GroupBy(k => k.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Load(g.Key, [.. g.Distinct()]), StringComparer.Ordinal);
        }
        catch
        {
            _state.Dispose();
            throw;
        }

        string vkey = signer.Key.ToString(), origins = string.Join(", ", _logs.Keys);
        WitnessLog.Started(logger, vkey, _logs.Count, origins, _state.Path);
    }

    /// <summary>The witness's public key; its <see cref="WitnessKey.ToString"/> is the vkey logs and verifiers pin.</summary>
    public WitnessKey Key => _signer.Key;

    /// <summary>The origins of the logs this witness cosigns for.</summary>
    public IReadOnlyCollection<string> Origins => _logs.Keys;

    /// <summary>The size of the latest checkpoint cosigned for <paramref name="origin"/>: 0 when none, null for an unknown log.</summary>
    public ulong? CosignedSize(string origin) =>
        _logs.TryGetValue(origin, out var log) ? Volatile.Read(ref log.Latest)?.Checkpoint.Size ?? 0 : null;

    /// <inheritdoc/>
    public void Dispose() => _state.Dispose();

    /// <summary>
    /// The latest cosigned checkpoint (with the log's verified lines and this witness's cosignature) of the log whose
    /// origin hashes to <paramref name="originHash"/> (lowercase hex SHA-256), for the monitoring endpoint; null when
    /// unknown or never cosigned.
    /// </summary>
    internal string? LatestCheckpoint(string originHash)
    {
        foreach (var (origin, log) in _logs)
        {
            if (StateFolder.FileName(origin) == originHash + ".checkpoint")
            {
                return Volatile.Read(ref log.Latest)?.Note;
            }
        }

        return null;
    }

    /// <summary>Answers one <c>add-checkpoint</c> request body as c2sp.org/tlog-witness requires.</summary>
    /// <exception cref="IOException">The new state could not be written; nothing was cosigned.</exception>
    internal async Task<WitnessAnswer> AddCheckpointAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!AddCheckpointRequest.TryParse(body, out var request, out var error))
        {
            return Refuse(400, $"malformed request: {error}");
        }

        if (!request!.TryReadOrigin(out var origin))
        {
            return Refuse(400, "malformed checkpoint: no origin line");
        }

        if (!_logs.TryGetValue(origin, out var log))
        {
            return Refuse(404, $"unknown log {Quote(origin)}");
        }

        var opened = SignedNote.Open(request.Note.Span, log.Keys);
        switch (opened.Failure)
        {
            case NoteFailure.None:
                break;
            case NoteFailure.InvalidSignature or NoteFailure.NoVerifiedSignature:
                return Refuse(403, $"checkpoint not signed by the key(s) of {Quote(origin)}: {opened.Message}");
            default:
                return Refuse(400, $"malformed checkpoint: {opened.Message}");
        }

        if (!Checkpoint.TryParse(opened.Text, out var checkpoint, out error))
        {
            return Refuse(400, $"malformed checkpoint: {error}");
        }

        if (request.OldSize > checkpoint.Size)
        {
            return Refuse(400, Invariant($"old size {request.OldSize} is above the checkpoint's size {checkpoint.Size}"));
        }

        await log.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Decide(log, request, checkpoint, opened);
        }
        finally
        {
            log.Gate.Release();
        }
    }

    /// <summary>The consistency checks and, when they pass, the durable update and the cosignature. Holds the log's gate.</summary>
    private WitnessAnswer Decide(LogState log, AddCheckpointRequest request, Checkpoint checkpoint, NoteOpenResult opened)
    {
        var latest = log.Latest;
        var cosignedSize = latest?.Checkpoint.Size ?? 0;
        if (request.OldSize != cosignedSize)
        {
            WitnessLog.Conflict(_logger, checkpoint.Origin, request.OldSize, cosignedSize);
            return WitnessAnswer.Conflict(cosignedSize);
        }

        if (checkpoint.Size == 0 && checkpoint.Root != Rfc6962.EmptyRoot)
        {
            return Refuse(422, "a checkpoint of size 0 must have the root of the empty tree");
        }

        if (request.OldSize == 0)
        {
            if (request.Proof.Length != 0)
            {
                return Refuse(422, "the consistency proof from size 0 must be empty");
            }
        }
        else if (checkpoint.Size == latest!.Checkpoint.Size)
        {
            if (checkpoint.Root != latest.Checkpoint.Root)
            {
                if (_logger.IsEnabled(LogLevel.Error))
                {
                    WitnessLog.SplitView(_logger, checkpoint.Origin, checkpoint.Size, latest.Checkpoint.Root.ToString(), checkpoint.Root.ToString(), Encoding.UTF8.GetString(request.Note.Span));
                }

                return Refuse(422, Invariant($"split view: this witness cosigned another root for size {checkpoint.Size}"));
            }

            if (request.Proof.Length != 0)
            {
                return Refuse(422, "the consistency proof between equal sizes must be empty");
            }
        }
        else
        {
            var proof = ConsistencyProof.Verify(latest.Checkpoint.Size, checkpoint.Size, latest.Checkpoint.Root, checkpoint.Root, request.Proof);
            if (!proof.IsValid)
            {
                if (_logger.IsEnabled(LogLevel.Warning))
                {
                    WitnessLog.Inconsistent(_logger, checkpoint.Origin, checkpoint.Size, latest.Checkpoint.Size, proof.Message, Encoding.UTF8.GetString(request.Note.Span));
                }

                return Refuse(422, $"consistency proof does not verify: {proof.Message}");
            }
        }

        var timestamp = (ulong)Math.Max(1, _time.GetUtcNow().ToUnixTimeSeconds());
        var line = Cosignature.Sign(_signer, timestamp, opened.Text!);
        if (latest is null || checkpoint.Size != latest.Checkpoint.Size)
        {
            var note = StoredNote(opened, line);
            _state.Write(checkpoint.Origin, note);
            Volatile.Write(ref log.Latest, new Cosigned(checkpoint, note));
        }

        WitnessLog.Cosigned(_logger, checkpoint.Origin, checkpoint.Size);
        return WitnessAnswer.Cosigned(line);
    }

    /// <summary>What the state file keeps: the checkpoint text, the log's verified lines and this witness's line.</summary>
    private static string StoredNote(NoteOpenResult opened, string cosignature)
    {
        var note = new StringBuilder(opened.Text).Append('\n');
        foreach (var signature in opened.VerifiedBy)
        {
            note.Append("\u2014 ").Append(signature.Name).Append(' ').Append(signature.Base64).Append('\n');
        }

        return note.Append(cosignature).ToString();
    }

    private LogState Load(string origin, NoteVerifier[] keys)
    {
        var log = new LogState(keys);
        var stored = _state.Read(origin);
        if (stored is null)
        {
            return log;
        }

        var file = Path.Combine(_state.Path, StateFolder.FileName(origin));
        var text = SignedNote.TextOf(stored);
        if (text is null || !Checkpoint.TryParse(text, out var checkpoint, out var error) || checkpoint.Origin != origin)
        {
            throw new InvalidDataException($"The witness state {file} of {origin} is damaged: it does not hold a checkpoint of that log.");
        }

        var ours = stored[(text.Length + 1)..].Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Any(l => Cosignature.TryParseLine(l, out var line) && Cosignature.TryVerify(_signer.Key, text, line, out _));
        if (!ours)
        {
            throw new InvalidDataException(
                $"The witness state {file} of {origin} is not cosigned by this witness's key {_signer.Key}: it is damaged or belongs to another key.");
        }

        log.Latest = new Cosigned(checkpoint, stored);
        return log;
    }

    private WitnessAnswer Refuse(int status, string reason)
    {
        WitnessLog.Refused(_logger, status, reason);
        return WitnessAnswer.Error(status, reason);
    }

    private static string Quote(string text) => text.Length <= 64 ? $"\"{text}\"" : $"\"{text[..64]}...\"";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Cosigned(Checkpoint Checkpoint, string Note);

    private sealed class LogState(NoteVerifier[] keys)
    {
        /// <summary>Read without the gate through <see cref="Volatile"/>; written under <see cref="Gate"/>.</summary>
        public Cosigned? Latest;

        public NoteVerifier[] Keys { get; } = keys;

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }
}
