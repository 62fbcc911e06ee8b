using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using EvidenceChain.Ledger.Jobs;

namespace EvidenceChain.Node.Jobs;

/// <summary>
/// Runs capture jobs: a queue of URLs worked by a fixed number of workers (the browser pool's size), each URL marked
/// running (durably, with the ledger's size) before its capture and done or failed after its entry is durable.
/// </summary>
/// <remarks>
/// After a crash, a URL still marked running is looked up in the ledger from the recorded size onwards by its tags
/// (<c>capture-job</c>, <c>capture-job-item</c>): found, it is finished from that entry (attached to the case when it
/// was not yet); not found, it is captured again. So nothing is captured twice and nothing is skipped
/// (docs/formats.md §20). Thread-safe.
/// </remarks>
internal sealed class CaptureJobRunner : IAsyncDisposable
{
    /// <summary>The tag naming the job on each of its entries.</summary>
    public const string JobTag = "capture-job";

    /// <summary>The tag naming the URL's position in the job.</summary>
    public const string ItemTag = "capture-job-item";

    private readonly ICaptureJobStore _store;
    private readonly TaggedCapture _capture;
    private readonly CaseAttacher _cases;
    private readonly ILogger _log;
    private readonly Channel<CaptureJobItem> _queue = Channel.CreateUnbounded<CaptureJobItem>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;

    // A URL starts (is marked running) and a job is cancelled (its pending URLs marked cancelled) one at a time, so that
    // no URL of a cancelled job starts after the cancel returned.
    private readonly Lock _starting = new();
    private readonly ConcurrentDictionary<string, bool> _cancelled = new(StringComparer.Ordinal);

    public CaptureJobRunner(ICaptureJobStore store, TaggedCapture capture, CaseAttacher cases, int concurrency, ILogger log)
    {
        _store = store;
        _capture = capture;
        _cases = cases;
        _log = log;
        _workers = [.. Enumerable.Range(0, Math.Max(1, concurrency)).Select(_ => Task.Run(WorkAsync))];
    }

    /// <summary>Queues every unfinished URL of every job, finishing first those whose entry a crash left behind.</summary>
    public async Task ResumeAsync(CancellationToken ct)
    {
        var unfinished = _store.UnfinishedItems();
        var found = 0;
        foreach (var item in unfinished)
        {
            if (item.State == CaptureItemState.Running)
            {
                var job = _store.FindJob(item.JobId)!;
                if (await _capture.FindTaggedAsync(item.StartedAtSize, Tags(item), ct) is { } entry)
                {
                    await FinishAsync(job, item, TaggedCapture.FromEntry(entry.Index, entry.Entry.Draft), ct);
                    found++;
                    continue;
                }
            }

            _queue.Writer.TryWrite(item);
        }

        if (unfinished.Count > 0)
        {
            JobLog.Resuming(_log, unfinished.Count, found);
        }
    }

    /// <summary>Stores a new job (durable when this returns) and queues its URLs.</summary>
    public void Submit(CaptureJob job, IReadOnlyList<string> urls)
    {
        _store.CreateJob(job, urls);
        JobLog.JobAccepted(_log, job.Id, urls.Count, job.Submitter);
        for (var i = 0; i < urls.Count; i++)
        {
            _queue.Writer.TryWrite(new CaptureJobItem(job.Id, i, urls[i], CaptureItemState.Pending, null, string.Empty, 0));
        }
    }

    /// <summary>
    /// Cancels the job's pending URLs, durably: they are marked cancelled (reason <c>cancelled: by KEY</c>) and never
    /// captured. URLs under way finish. Returns how many were cancelled (0: none was pending).
    /// </summary>
    public int CancelJob(CaptureJob job, string keyId)
    {
        var count = 0;
        lock (_starting)
        {
            foreach (var item in _store.Items(job.Id).Where(i => i.State == CaptureItemState.Pending))
            {
                _store.UpdateItem(item with { State = CaptureItemState.Cancelled, Reason = "cancelled: by " + keyId });
                count++;
            }

            _cancelled[job.Id] = true;
        }

        if (count > 0)
        {
            JobLog.JobCancelled(_log, job.Id, count, keyId);
        }

        return count;
    }

    /// <summary>Signals the stop without waiting.</summary>
    public void Cancel() => _stop.Cancel();

    /// <summary>Stops the workers; a URL under way stays marked running, to be resumed at the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_workers);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static Dictionary<string, string> Tags(CaptureJobItem item) => new(StringComparer.Ordinal)
    {
        [JobTag] = item.JobId,
        [ItemTag] = item.Position.ToString(CultureInfo.InvariantCulture),
    };

    private async Task WorkAsync()
    {
        var ct = _stop.Token;
        await foreach (var queued in _queue.Reader.ReadAllAsync(ct))
        {
            var job = _store.FindJob(queued.JobId)!;
            var item = queued with { State = CaptureItemState.Running, StartedAtSize = _capture.LedgerSize };
            try
            {
                lock (_starting)
                {
                    if (_cancelled.ContainsKey(item.JobId))
                    {
                        continue; // marked cancelled by the cancel
                    }

                    _store.UpdateItem(item);
                }

                var outcome = await _capture.CaptureAsync(item.Url, job.NoBrowser, job.Submitter, Tags(item), ct);
                await FinishAsync(job, item, outcome, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return; // the node stops: the URL stays running and is resumed at the next start
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                JobLog.ItemError(_log, job.Id, item.Position, e);
                _store.UpdateItem(item with { State = CaptureItemState.Failed, Reason = "error: " + e.Message });
            }
        }
    }

    private async Task FinishAsync(CaptureJob job, CaptureJobItem item, CaptureOutcome outcome, CancellationToken ct)
    {
        var reason = outcome.Reason;
        if (outcome.EntryIndex is { } index)
        {
            var attach = await _cases.AttachAsync(job.CaseId, index, job.Submitter, ct);
            reason = reason.Length > 0 ? reason : attach;
        }

        var state = outcome.Complete && reason.Length == 0 ? CaptureItemState.Done : CaptureItemState.Failed;
        _store.UpdateItem(item with { State = state, EntryIndex = outcome.EntryIndex, Reason = reason });
    }
}
