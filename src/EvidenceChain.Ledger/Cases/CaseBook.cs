using System.Collections.Concurrent;
using System.Globalization;
using EvidenceChain.Core;
using EvidenceChain.Core.Cases;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Text;
using EvidenceChain.Ledger.Internal;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Ledger.Cases;

/// <summary>
/// The cases of a ledger. Every change is first appended to the ledger as a <c>case-event</c> entry (acknowledged once
/// durable) and only then applied to the cases in memory and to the <see cref="ICaseStore"/>, which is a copy: the
/// ledger's case events are the source of truth, and <see cref="OpenAsync"/> checks the copy against them and rescans
/// what it may have missed (docs/formats.md, "Cases").
/// </summary>
/// <remarks>
/// Thread-safe. Changes to one case are serialized (each waits for the previous one's append), so two concurrent
/// attaches of one entry cannot both succeed; different cases proceed in parallel.
/// </remarks>
public sealed class CaseBook
{
    private readonly EvidenceLedger _ledger;
    private readonly EntryOpenings _openings;
    private readonly ICaseStore _store;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, CaseState> _cases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _broken = new(StringComparer.Ordinal);
    private readonly List<ulong> _inFlight = [];
    private readonly Lock _storeLock = new();

    private CaseBook(EvidenceLedger ledger, EntryOpenings openings, ICaseStore store, ILogger logger)
    {
        _ledger = ledger;
        _openings = openings;
        _store = store;
        _logger = logger;
    }

    /// <summary>The number of cases.</summary>
    public int Count => _cases.Count;

    /// <summary>
    /// Loads the cases from <paramref name="store"/>, checks every stored event against the ledger (same index, same
    /// leaf hash), rebuilds the store from the ledger when they disagree, and applies the case events the store has
    /// not seen (those at or above its watermark). Events read their committed fields (title, reference, parties,
    /// text) from <paramref name="openings"/>, where new events keep them too.
    /// </summary>
    /// <exception cref="LedgerCorruptException">A case event's openings are missing or do not match its leaf.</exception>
    public static async Task<CaseBook> OpenAsync(
        EvidenceLedger ledger, EntryOpenings openings, ICaseStore store, ILogger<CaseBook> logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(openings);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(logger);
        var book = new CaseBook(ledger, openings, store, logger);
        var size = ledger.Size;
        var stored = store.Load();
        var from = store.Watermark;
        if (await book.LoadAsync(stored, size, cancellationToken) is { } problem)
        {
            CaseLog.Rebuilding(logger, problem);
            store.Reset();
            book._cases.Clear();
            from = 0;
        }

        CaseLog.Opened(logger, book._cases.Count, stored.Count, from, size);
        for (var index = from; index < size; index++)
        {
            var entry = await ledger.GetEntryAsync(index, cancellationToken);
            if (entry.Entry.Draft.Kind != CaseEvent.Kind)
            {
                continue;
            }

            entry = entry with { Entry = await openings.RevealAsync(entry.Entry, cancellationToken) };
            if (book.TryApply(entry, out var reason))
            {
                store.Add(new StoredCaseEvent(index, entry.Leaf.ToArray()), index);
            }
            else
            {
                CaseLog.Ignored(logger, index, reason);
            }
        }

        store.SetWatermark(size);
        return book;
    }

    /// <summary>The case with this id, or null.</summary>
    public CaseState? Find(string id) => _cases.GetValueOrDefault(id);

    /// <summary>Every case, oldest first.</summary>
    public IReadOnlyList<CaseState> List() => [.. _cases.Values.OrderBy(c => c.Created.Index)];

    /// <summary>Opens case <paramref name="caseId"/> (an id the caller made: <c>c</c> and 16 hex digits).</summary>
    /// <exception cref="CaseException">A field is malformed, or the id is taken.</exception>
    public Task<(CaseState Case, RecordedCaseEvent Event)> CreateAsync(
        string caseId, string title, string reference, IReadOnlyList<CaseParty> parties, string actor, CancellationToken cancellationToken = default)
    {
        var e = new CaseEvent
        {
            CaseId = caseId, Action = CaseAction.Create, Actor = actor, Title = title, Reference = reference, Parties = [.. parties],
        };
        return RecordAsync(caseId, e, isNew: true, cancellationToken);
    }

    /// <summary>
    /// Attaches entry <paramref name="index"/>; with <paramref name="ownEvidenceOnly"/>, only an entry that
    /// <paramref name="actor"/> submitted.
    /// </summary>
    /// <exception cref="CaseException">
    /// No such case or entry, the entry is a case event or is attached already, the case is closed, or the entry is
    /// another's and <paramref name="ownEvidenceOnly"/> is set.
    /// </exception>
    public async Task<(CaseState Case, RecordedCaseEvent Event)> AttachAsync(
        string caseId, ulong index, string actor, bool ownEvidenceOnly, CancellationToken cancellationToken = default)
    {
        RequireCase(caseId); // the case first: a bad or unknown case id is the error, whatever the index
        var evidence = await ReadEvidenceAsync(index, cancellationToken);
        if (ownEvidenceOnly && evidence.Entry.Draft.Submitter != actor)
        {
            throw new CaseException(CaseFailure.PermissionDenied, Invariant(
                $"Entry {index} was submitted by another key; a submitter key ({actor}) may attach only the evidence it submitted itself."));
        }

        var e = new CaseEvent { CaseId = caseId, Action = CaseAction.Attach, Actor = actor, EvidenceIndex = index, EvidenceLeafHash = evidence.LeafHash };
        return await RecordAsync(caseId, e, isNew: false, cancellationToken);
    }

    /// <summary>Detaches entry <paramref name="index"/>, with an optional reason.</summary>
    /// <exception cref="CaseException">No such case, the entry is not attached, or the case is closed.</exception>
    public async Task<(CaseState Case, RecordedCaseEvent Event)> DetachAsync(
        string caseId, ulong index, string? reason, string actor, CancellationToken cancellationToken = default)
    {
        var attached = RequireCase(caseId).Items.Find(i => i.Index == index)
            ?? throw new CaseException(CaseFailure.FailedPrecondition, Invariant($"Entry {index} is not attached to case {caseId}."));
        var e = new CaseEvent
        {
            CaseId = caseId, Action = CaseAction.Detach, Actor = actor, EvidenceIndex = index, EvidenceLeafHash = attached.LeafHash, Text = Empty(reason),
        };
        return await RecordAsync(caseId, e, isNew: false, cancellationToken);
    }

    /// <summary>Adds a note.</summary>
    /// <exception cref="CaseException">No such case, the note is empty or too long, or the case is closed.</exception>
    public Task<(CaseState Case, RecordedCaseEvent Event)> AddNoteAsync(string caseId, string text, string actor, CancellationToken cancellationToken = default) =>
        RecordAsync(caseId, new CaseEvent { CaseId = caseId, Action = CaseAction.Note, Actor = actor, Text = text ?? string.Empty }, isNew: false, cancellationToken);

    /// <summary>Closes the case, with an optional reason.</summary>
    /// <exception cref="CaseException">No such case, or it is closed already.</exception>
    public Task<(CaseState Case, RecordedCaseEvent Event)> CloseAsync(string caseId, string? reason, string actor, CancellationToken cancellationToken = default) =>
        RecordAsync(caseId, new CaseEvent { CaseId = caseId, Action = CaseAction.Close, Actor = actor, Text = Empty(reason) }, isNew: false, cancellationToken);

    /// <summary>
    /// Records an export: while the case cannot change, <paramref name="makeManifest"/> builds and signs the manifest
    /// of the case as it is (given the ledger size, which every listed event is below) and returns the SHA-256 of the
    /// signed manifest, which the export event then carries. Open and closed cases can be exported.
    /// </summary>
    /// <exception cref="CaseException">No such case.</exception>
    public async Task<(CaseState Case, RecordedCaseEvent Event)> ExportAsync(
        string caseId, string actor, Func<CaseState, ulong, CancellationToken, Task<Hash>> makeManifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(makeManifest);
        CheckId(caseId);
        var gate = _locks.GetOrAdd(caseId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var state = RequireCase(caseId);
            var manifest = await makeManifest(state, _ledger.Size, cancellationToken);
            var e = new CaseEvent { CaseId = caseId, Action = CaseAction.Export, Actor = actor, ManifestSha256 = manifest };
            return await RecordLockedAsync(caseId, e, isNew: false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(CaseState Case, RecordedCaseEvent Event)> RecordAsync(string caseId, CaseEvent e, bool isNew, CancellationToken cancellationToken)
    {
        CheckId(caseId);
        var gate = _locks.GetOrAdd(caseId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await RecordLockedAsync(caseId, e, isNew);
        }
        finally
        {
            gate.Release();
        }
    }

    // Holds the case's lock. The append is never cancelled: once queued it may be committed, and then it must be applied.
    private async Task<(CaseState Case, RecordedCaseEvent Event)> RecordLockedAsync(string caseId, CaseEvent e, bool isNew)
    {
        if (_broken.ContainsKey(caseId))
        {
            throw new InvalidOperationException($"Case {caseId} is unavailable until the node restarts: appending one of its events failed.");
        }

        CaseState? state = null;
        if (isNew)
        {
            if (_cases.ContainsKey(caseId))
            {
                throw new CaseException(CaseFailure.AlreadyExists, $"Case {caseId} exists already.");
            }
        }
        else
        {
            state = RequireCase(caseId);
            e = e with { PreviousEvent = state.Last.Index };
        }

        // Bidi controls are refused for new events only: FindError also judges events already in the ledger.
        if ((e.FindError() ?? BidiError(e)) is { } error)
        {
            throw new CaseException(CaseFailure.InvalidArgument, error + ".");
        }

        if (state?.Check(e) is { } broken)
        {
            throw new CaseException(broken.Violation == CaseRuleViolation.AlreadyExists ? CaseFailure.AlreadyExists : CaseFailure.FailedPrecondition, Capitalize(broken.Message) + ".");
        }

        var draft = await _openings.SealAsync(e.ToDraft(), ConfidentialFields(e.ToDraft()), CancellationToken.None);
        var action = CaseEvent.ActionName(e.Action);
        ulong lowerBound;
        Task<AppendResult> append;
        lock (_storeLock)
        {
            lowerBound = _ledger.Size;
            _inFlight.Add(lowerBound);
            try
            {
                append = _ledger.AppendAsync(draft, CancellationToken.None);
            }
            catch
            {
                _inFlight.Remove(lowerBound);
                throw;
            }
        }

        AppendResult result;
        try
        {
            result = await append;
        }
        catch (Exception ex)
        {
            // It may be in the ledger or not: keep the watermark below it (a restart rescans) and refuse the case until then.
            _broken[caseId] = true;
            CaseLog.AppendFailed(_logger, caseId, action, ex);
            throw;
        }

        var recorded = new RecordedCaseEvent(result.Index, result.LeafHash, result.Entry.Time, e);
        var next = state is null ? CaseState.Create(recorded) : state.Apply(recorded);
        lock (_storeLock)
        {
            _cases[caseId] = next;
            _inFlight.Remove(lowerBound);
            var watermark = _inFlight.Count == 0 ? _ledger.Size : Math.Min(_inFlight.Min(), _ledger.Size);
            try
            {
                _store.Add(new StoredCaseEvent(result.Index, result.Leaf.ToArray()), watermark);
            }
            catch
            {
                // The event is in the ledger and in memory but not in the copy: keep the watermark below it, so that the
                // next start rescans it, whatever other cases write meanwhile.
                _inFlight.Add(lowerBound);
                throw;
            }
        }

        CaseLog.Recorded(_logger, caseId, action, result.Index, e.Actor);
        return (next, recorded);
    }

    private async Task<StoredEntry> ReadEvidenceAsync(ulong index, CancellationToken cancellationToken)
    {
        var size = _ledger.Size;
        if (index >= size)
        {
            throw new CaseException(CaseFailure.NotFound, Invariant(
                $"Entry {index} does not exist: the log has {size} entries (indices 0 to {(size == 0 ? "none" : (size - 1).ToString(CultureInfo.InvariantCulture))})."));
        }

        var entry = await _ledger.GetEntryAsync(index, cancellationToken);
        if (entry.Entry.Draft.Kind == CaseEvent.Kind)
        {
            throw new CaseException(CaseFailure.FailedPrecondition, Invariant($"Entry {index} is a case event, not evidence; only evidence entries can be attached."));
        }

        return entry;
    }

    private CaseState RequireCase(string caseId)
    {
        CheckId(caseId);
        return _cases.GetValueOrDefault(caseId) ?? throw new CaseException(CaseFailure.NotFound, $"There is no case {caseId}.");
    }

    private static void CheckId(string caseId)
    {
        if (!CaseEvent.IsCaseId(caseId))
        {
            throw new CaseException(CaseFailure.InvalidArgument, $"case id \"{UntrustedText.Printable(caseId, 40)}\" is malformed: expected c and 16 lowercase hex digits, as CreateCase returns it.");
        }
    }

    // Folds the stored events; a description of the first disagreement with the ledger, or null.
    private async Task<string?> LoadAsync(IReadOnlyList<StoredCaseEvent> stored, ulong size, CancellationToken cancellationToken)
    {
        if (_store.Watermark > size)
        {
            return Invariant($"its watermark {_store.Watermark} is beyond the ledger's {size} entries");
        }

        foreach (var s in stored)
        {
            if (s.Index >= size)
            {
                return Invariant($"it holds event {s.Index}, beyond the ledger's {size} entries");
            }

            var leafHash = Rfc6962.HashLeaf(s.Leaf.Span);
            if (await _ledger.LeafHashAsync(s.Index, cancellationToken) != leafHash)
            {
                return Invariant($"its event {s.Index} is not the ledger's entry {s.Index}");
            }

            LedgerEntry entry;
            try
            {
                entry = LeafCodec.Parse(s.Leaf.Span);
            }
            catch (LeafFormatException e)
            {
                return Invariant($"its event {s.Index} does not parse: {e.Message}");
            }

            entry = await _openings.RevealAsync(entry, cancellationToken);
            if (!TryApply(new StoredEntry(s.Index, leafHash, s.Leaf, entry), out var reason))
            {
                return Invariant($"its event {s.Index} cannot be applied: {reason}");
            }
        }

        return null;
    }

    private bool TryApply(StoredEntry entry, out string reason)
    {
        try
        {
            var e = CaseEvent.FromEntry(entry.Entry);
            var recorded = new RecordedCaseEvent(entry.Index, entry.LeafHash, entry.Entry.Time, e);
            if (e.Action == CaseAction.Create)
            {
                if (_cases.ContainsKey(e.CaseId))
                {
                    reason = $"case {e.CaseId} was created before";
                    return false;
                }

                _cases[e.CaseId] = CaseState.Create(recorded);
            }
            else
            {
                _cases[e.CaseId] = (_cases.GetValueOrDefault(e.CaseId) ?? throw new ArgumentException($"case {e.CaseId} was never created")).Apply(recorded);
            }

            reason = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            reason = ex.Message;
            return false;
        }
    }

    /// <summary>The attributes of a case event that the leaf holds as commitments: title, reference, parties and text.</summary>
    internal static IEnumerable<string> ConfidentialFields(EntryDraft draft) =>
        draft.Attributes.Keys.Where(k => k is "title" or "reference" or "text" || k.StartsWith("party-", StringComparison.Ordinal));

    private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string? BidiError(CaseEvent e)
    {
        var error = BidiControls.Error("title", e.Title)
            ?? BidiControls.Error("reference", e.Reference)
            ?? BidiControls.Error(e.Action == CaseAction.Note ? "note" : "reason", e.Text);
        for (var i = 0; error is null && i < e.Parties.Count; i++)
        {
            error = BidiControls.Error(Invariant($"parties[{i}].name"), e.Parties[i].Name) ?? BidiControls.Error(Invariant($"parties[{i}].role"), e.Parties[i].Role);
        }

        return error;
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
