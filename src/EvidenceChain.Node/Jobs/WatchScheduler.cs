using System.Globalization;
using EvidenceChain.Ledger.Jobs;

namespace EvidenceChain.Node.Jobs;

/// <summary>
/// Runs watches on the jobs clock: at each slot it captures the URL (tagged <c>watch</c>, <c>watch-slot</c>) and
/// records what the slot saw; a slot that passed without a capture is recorded as missed; when the last slot is
/// recorded, or the watch is stopped, it appends the watch's <c>watch-summary</c> entry (docs/formats.md §20).
/// </summary>
/// <remarks>
/// State changes are serialised by one gate; captures of different watches run at once, one at a time per watch.
/// A slot whose capture a stop cut off is looked up in the ledger at the next start: found, it is recorded from its
/// entry; not, it is recorded as missed. Thread-safe.
/// </remarks>
internal sealed class WatchScheduler : IAsyncDisposable
{
    /// <summary>The tag naming the watch on each of its entries.</summary>
    public const string WatchTag = "watch";

    /// <summary>The tag naming the slot.</summary>
    public const string SlotTag = "watch-slot";

    private const string NotRunning = "the node was not running at this slot";
    private const string Overrun = "the capture of an earlier slot was still under way";
    private const string CutOff = "the node stopped during this slot's capture";

    private readonly IWatchStore _store;
    private readonly TaggedCapture _capture;
    private readonly CaseAttacher _cases;
    private readonly WatchSummaryIntake _summaries;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stopping = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _startedAt;
    private Task _loop = Task.CompletedTask;

    public WatchScheduler(IWatchStore store, TaggedCapture capture, CaseAttacher cases, WatchSummaryIntake summaries, TimeProvider clock, ILogger log)
    {
        _store = store;
        _capture = capture;
        _cases = cases;
        _summaries = summaries;
        _clock = clock;
        _log = log;
    }

    /// <summary>The jobs clock (the node's, or a test's).</summary>
    public TimeProvider Clock => _clock;

    /// <summary>Settles what a stop left (cut-off slots, unwritten summaries), then starts the schedule.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        _startedAt = _clock.GetUtcNow();
        foreach (var watch in _store.Watches())
        {
            foreach (var e in _store.Events(watch.Id).Where(e => e.Kind == WatchEventKind.Running))
            {
                var found = await _capture.FindTaggedAsync(e.StartedAtSize, Tags(watch.Id, e.Slot), ct);
                if (found is null)
                {
                    Record(e with { Kind = WatchEventKind.Missed, Reason = CutOff });
                }
                else
                {
                    await RecordCaptureAsync(watch, e, TaggedCapture.FromEntry(found.Index, found.Entry.Draft), ct);
                }
            }

            if (watch.State == WatchState.Ended && watch.SummaryIndex is null)
            {
                await SummariseAsync(watch, ct);
            }
        }

        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Creates a watch whose slot 0 is now, and wakes the schedule to capture it.</summary>
    public async Task<Watch> CreateAsync(string url, TimeSpan every, DateTimeOffset until, string caseId, bool noBrowser, string submitter, CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        var watch = new Watch(NewId(), url, submitter, caseId, every, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()), until, noBrowser);
        await _gate.WaitAsync(ct);
        try
        {
            _store.PutWatch(watch);
        }
        finally
        {
            _gate.Release();
        }

        JobLog.WatchCreated(_log, watch.Id, every, until);
        Wake();
        return watch;
    }

    /// <summary>
    /// The summary entry that fixes <paramref name="watch"/>'s timeline for an export: an ended watch's own
    /// <c>watch-summary</c>; for a running watch, a new one of the slots recorded so far, marked as made for an export
    /// by <paramref name="actor"/> (the watch goes on), attached to the watch's case when it names one.
    /// </summary>
    /// <exception cref="InvalidOperationException">The watch has ended and its summary is not appended yet.</exception>
    public async Task<ulong> ExportSummaryAsync(Watch watch, string actor, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var current = _store.FindWatch(watch.Id) ?? watch;
            if (current.State == WatchState.Ended)
            {
                return current.SummaryIndex
                    ?? throw new InvalidOperationException($"Watch {watch.Id} has ended and its summary entry is still being appended; ask again in a moment.");
            }

            var summary = await _summaries.AppendAsync(current, _store.Events(current.Id), new WatchSummaryExport(_clock.GetUtcNow(), actor), ct);
            await _cases.AttachAsync(current.CaseId, summary.Index, current.Submitter, ct);
            JobLog.WatchExported(_log, current.Id, summary.Index);
            return summary.Index;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops an active watch: waits for its capture under way, then ends it and appends its summary.</summary>
    /// <exception cref="InvalidOperationException">It has ended already.</exception>
    public async Task<Watch> StopAsync(Watch watch, string actor, CancellationToken ct)
    {
        Task running;
        await _gate.WaitAsync(ct);
        try
        {
            if (_store.FindWatch(watch.Id) is not { State: WatchState.Active } || !_stopping.Add(watch.Id))
            {
                throw new InvalidOperationException($"Watch {watch.Id} has ended already.");
            }

            running = _running.GetValueOrDefault(watch.Id) ?? Task.CompletedTask;
        }
        finally
        {
            _gate.Release();
        }

        await running.WaitAsync(ct);
        await _gate.WaitAsync(ct);
        try
        {
            var ended = await EndAsync(_store.FindWatch(watch.Id)!, "stopped by " + actor, ct);
            _stopping.Remove(watch.Id);
            return ended;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Signals the stop without waiting.</summary>
    public void Cancel() => _stop.Cancel();

    /// <summary>Stops the schedule; a capture under way is left marked running, settled at the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task[] captures;
        lock (_running)
        {
            captures = [.. _running.Values];
        }

        try
        {
            await Task.WhenAll([_loop, .. captures]);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static Dictionary<string, string> Tags(string watchId, long slot) => new(StringComparer.Ordinal)
    {
        [WatchTag] = watchId,
        [SlotTag] = slot.ToString(CultureInfo.InvariantCulture),
    };

    private static string NewId() => "w" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    private void Wake() => Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task LoopAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var woken = Volatile.Read(ref _wake).Task;
                DateTimeOffset? next;
                await _gate.WaitAsync(ct);
                try
                {
                    next = await TickAsync(ct);
                }
                finally
                {
                    _gate.Release();
                }

                var waits = new List<Task> { woken };
                if (next is { } at)
                {
                    var delay = at - _clock.GetUtcNow();
                    waits.Add(delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _clock, ct));
                }

                await Task.WhenAny(waits).WaitAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            JobLog.SchedulerFailed(_log, e);
        }
    }

    /// <summary>Records missed slots, starts due captures, ends finished watches; returns when it next has work.</summary>
    private async Task<DateTimeOffset?> TickAsync(CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        DateTimeOffset? next = null;
        foreach (var watch in _store.Watches().Where(w => w.State == WatchState.Active && !_stopping.Contains(w.Id)))
        {
            bool busy;
            lock (_running)
            {
                busy = _running.ContainsKey(watch.Id);
            }

            if (busy)
            {
                continue;
            }

            var events = _store.Events(watch.Id);
            var last = events.Count > 0 ? events[^1].Slot : -1;
            var due = watch.SlotAt(now);
            // A due slot is captured while it is the latest (before the next slot's time); one left behind by a
            // long stop (past the watch's end) is missed like the others.
            var capture = due > last && now < watch.SlotTime(due) + watch.Every;
            var missedUpTo = capture ? due - 1 : due;
            for (var slot = last + 1; slot <= missedUpTo; slot++)
            {
                var time = watch.SlotTime(slot);
                Record(new WatchEvent(watch.Id, slot, time, WatchEventKind.Missed, null, 0, string.Empty, time < _startedAt ? NotRunning : Overrun, 0));
            }

            if (capture)
            {
                StartSlot(watch, due, ct);
            }
            else if (Math.Max(last, missedUpTo) >= watch.LastSlot)
            {
                await EndAsync(watch, "until reached", ct);
                continue;
            }

            var upcoming = watch.SlotTime(Math.Max(due, last) + 1);
            if (Math.Max(due, last) + 1 <= watch.LastSlot && (next is null || upcoming < next))
            {
                next = upcoming;
            }
        }

        return next;
    }

    private void StartSlot(Watch watch, long slot, CancellationToken ct)
    {
        var running = new WatchEvent(watch.Id, slot, watch.SlotTime(slot), WatchEventKind.Running, null, 0, string.Empty, string.Empty, _capture.LedgerSize);
        _store.PutEvent(running);
        lock (_running)
        {
            _running[watch.Id] = Task.Run(() => RunSlotAsync(watch, running, ct), CancellationToken.None);
        }
    }

    private async Task RunSlotAsync(Watch watch, WatchEvent running, CancellationToken ct)
    {
        try
        {
            var outcome = await _capture.CaptureAsync(watch.Url, watch.NoBrowser, watch.Submitter, Tags(watch.Id, running.Slot), ct);
            await _gate.WaitAsync(ct);
            try
            {
                await RecordCaptureAsync(watch, running, outcome, ct);
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return; // the node stops: settled at the next start
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            JobLog.SlotError(_log, watch.Id, running.Slot, e);
            Record(running with { Kind = WatchEventKind.Missed, Reason = "error: " + e.Message });
        }
        finally
        {
            lock (_running)
            {
                _running.Remove(watch.Id);
            }

            Wake();
        }
    }

    private async Task RecordCaptureAsync(Watch watch, WatchEvent running, CaptureOutcome outcome, CancellationToken ct)
    {
        if (outcome.EntryIndex is { } index)
        {
            await _cases.AttachAsync(watch.CaseId, index, watch.Submitter, ct);
        }

        var earlier = _store.Events(watch.Id).Where(e => e.Slot < running.Slot).ToList();
        var answered = WatchTimeline.Answered(outcome.Complete, outcome.HttpStatus);
        var kind = WatchTimeline.Classify(earlier, answered, outcome.PayloadSha256);
        var reason = answered ? string.Empty
            : outcome.Reason.Length > 0 ? outcome.Reason
            : "http-status: HTTP " + outcome.HttpStatus.ToString(CultureInfo.InvariantCulture);
        Record(running with
        {
            Kind = kind, EntryIndex = outcome.EntryIndex, HttpStatus = outcome.HttpStatus, PayloadSha256 = answered ? outcome.PayloadSha256 : string.Empty, Reason = reason,
        });
    }

    private void Record(WatchEvent e)
    {
        _store.PutEvent(e);
        JobLog.Slot(_log, e.WatchId, e.Slot, e.Kind);
    }

    private async Task<Watch> EndAsync(Watch watch, string reason, CancellationToken ct)
    {
        var ended = watch with { State = WatchState.Ended, Ended = _clock.GetUtcNow(), EndReason = reason };
        _store.PutWatch(ended);
        return await SummariseAsync(ended, ct);
    }

    private async Task<Watch> SummariseAsync(Watch ended, CancellationToken ct)
    {
        var summary = await _summaries.AppendAsync(ended, _store.Events(ended.Id), ct);
        await _cases.AttachAsync(ended.CaseId, summary.Index, ended.Submitter, ct);
        var done = ended with { SummaryIndex = summary.Index };
        _store.PutWatch(done);
        JobLog.WatchEnded(_log, ended.Id, ended.EndReason, summary.Index);
        return done;
    }
}
