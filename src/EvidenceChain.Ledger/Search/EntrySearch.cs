using System.Diagnostics;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Ledger.Search;

/// <summary>
/// Search over a ledger's evidence entries (kinds <c>file</c> and <c>webpage</c>): a follower of the log that copies
/// each entry, with its committed fields revealed from the openings, into an <see cref="ISearchStore"/>. The ledger is
/// the source of truth: a store that is ahead of it or saw a different entry is rebuilt, and one that is behind (after
/// a crash, or deleted) catches up. <see cref="SearchAsync"/> catches up before it answers, so an acknowledged entry is
/// found at once; <see cref="RunAsync"/> keeps up between searches.
/// </summary>
/// <remarks>Thread-safe: catching up is serialized; searches run concurrently with each other.</remarks>
public sealed class EntrySearch : IDisposable
{
    /// <summary>The kinds the search holds.</summary>
    public static readonly IReadOnlyList<string> Kinds = [FileIntake.Kind, WebPageIntake.Kind];

    private const int Batch = 256;
    private const int MaxDigestMatches = 100_000;
    private readonly EvidenceLedger _ledger;
    private readonly EntryOpenings _openings;
    private readonly ISearchStore _store;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private EntrySearch(EvidenceLedger ledger, EntryOpenings openings, ISearchStore store, ILogger logger)
    {
        _ledger = ledger;
        _openings = openings;
        _store = store;
        _logger = logger;
    }

    /// <summary>How many entries the store has followed.</summary>
    public ulong Watermark => _store.Watermark;

    /// <summary>
    /// Checks <paramref name="store"/> against <paramref name="ledger"/> (resetting it when it is ahead or saw another
    /// entry at its watermark). It does not catch up: <see cref="CatchUpAsync"/>, <see cref="SearchAsync"/> and
    /// <see cref="RunAsync"/> do.
    /// </summary>
    public static async Task<EntrySearch> OpenAsync(
        EvidenceLedger ledger, EntryOpenings openings, ISearchStore store, ILogger<EntrySearch> logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(openings);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(logger);
        var size = ledger.Size;
        var watermark = store.Watermark;
        string? problem = null;
        if (watermark > size)
        {
            problem = FormattableString.Invariant($"its watermark {watermark} is beyond the ledger's {size} entries");
        }
        else if (watermark > 0 && store.LastLeafHash != await ledger.LeafHashAsync(watermark - 1, cancellationToken))
        {
            problem = FormattableString.Invariant($"its entry {watermark - 1} is not the ledger's");
        }

        if (problem is not null)
        {
            SearchLog.Rebuilding(logger, problem);
            store.Reset();
        }

        return new EntrySearch(ledger, openings, store, logger);
    }

    /// <summary>Copies the entries the store has not seen, up to the ledger's current size.</summary>
    /// <exception cref="LedgerCorruptException">An entry's openings are missing or do not match its leaf.</exception>
    public async Task CatchUpAsync(CancellationToken cancellationToken = default)
    {
        if (_store.Watermark >= _ledger.Size)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var from = _store.Watermark;
            var size = _ledger.Size;
            if (from >= size)
            {
                return;
            }

            var clock = Stopwatch.StartNew();
            var records = new List<SearchRecord>(Batch);
            for (var start = from; start < size;)
            {
                records.Clear();
                var entries = await _ledger.GetEntriesAsync(start, (int)Math.Min(size - start, Batch), cancellationToken);
                foreach (var stored in entries)
                {
                    if (Kinds.Contains(stored.Entry.Draft.Kind))
                    {
                        var entry = stored.Entry.Draft.Commitments.Count == 0 ? stored.Entry : await _openings.RevealAsync(stored.Entry, cancellationToken);
                        records.Add(ToRecord(stored.Index, stored.LeafHash, entry));
                    }
                }

                start += (ulong)entries.Count;
                _store.Add(records, start, entries[^1].LeafHash);
            }

            if (size - from > Batch)
            {
                SearchLog.CaughtUp(_logger, from, size, clock.ElapsedMilliseconds);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Catches up, then searches.</summary>
    public async Task<IReadOnlyList<SearchRecord>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        await CatchUpAsync(cancellationToken);
        if (query.Digest is { } digest)
        {
            var found = await _ledger.FindByDigestAsync(digest, MaxDigestMatches, cancellationToken);
            query = query with { Only = query.Only is null ? found : [.. found.Intersect(query.Only)] };
        }

        return _store.Search(query);
    }

    /// <summary>
    /// Follows the ledger until <paramref name="cancellationToken"/> is cancelled: catches up now, then every
    /// <paramref name="interval"/>. A failure is retried at the next tick: logged as a warning, and as an error from the
    /// third in a row.
    /// </summary>
    public async Task RunAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        using var timer = new PeriodicTimer(interval, time);
        var failures = 0;
        do
        {
            try
            {
                await CatchUpAsync(cancellationToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The follower must outlive a failure (a damaged openings file, a full disk): searches catch up too,
                // and report the same failure to their callers.
                // One failure that the next tick clears (a racing shutdown, a busy disk) is a warning; a failure that
                // persists is an error an operator must see.
                if (++failures < 3)
                {
                    SearchLog.FollowRetrying(_logger, e);
                }
                else
                {
                    SearchLog.FollowFailed(_logger, failures, e);
                }
            }
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The gate is left to the collector: a search or catch-up still running at shutdown releases it after this, and a
    /// <see cref="SemaphoreSlim"/> whose wait handle is never asked for holds nothing unmanaged.
    /// </remarks>
    public void Dispose()
    {
    }

    /// <summary>The search record of an evidence entry whose committed fields are revealed.</summary>
    public static SearchRecord ToRecord(ulong index, Hash leafHash, LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var draft = entry.Draft;
        var attributes = draft.Attributes;
        string Attribute(string name) => attributes.TryGetValue(name, out var value) ? value : string.Empty;
        var artefacts = draft.Artefacts;
        var main = draft.Kind == FileIntake.Kind
            ? artefacts.FirstOrDefault(a => a.Name == FileIntake.ArtefactName)
            : artefacts.FirstOrDefault(a => a.Name == "payload") ?? artefacts.FirstOrDefault(a => a.Name == "capture.warc");
        main ??= artefacts.Count > 0 ? artefacts[0] : null;
        return new SearchRecord(
            index,
            leafHash,
            draft.Kind,
            entry.Time,
            draft.Submitter,
            Attribute("title"),
            draft.Kind == FileIntake.Kind ? Attribute("file-name") : string.Empty,
            draft.Kind == WebPageIntake.Kind ? Attribute("url") : string.Empty,
            main?.Size ?? 0,
            main?.MediaType ?? string.Empty,
            main?.Sha256 ?? default,
            main?.Sm3,
            artefacts.Any(a => a.Name == "screenshot.png"),
            draft.Kind == WebPageIntake.Kind ? Attribute("capture-status") : string.Empty);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
