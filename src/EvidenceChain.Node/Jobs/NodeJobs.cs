using EvidenceChain.Capture;
using EvidenceChain.Ledger;
using EvidenceChain.Ledger.Jobs;
using EvidenceChain.Node.Internal;

namespace EvidenceChain.Node.Jobs;

/// <summary>
/// The node's capture jobs and watches: their stores (the storage driver's ports), the job runner and the watch
/// scheduler, opened once the ledger and the cases are. The composition hook for <see cref="EvidenceNode"/>.
/// </summary>
internal sealed class NodeJobs : IAsyncDisposable
{
    /// <summary>
    /// The key of a <see cref="TimeProvider"/> registered for the watches' slots (tests register a fake clock under
    /// it); without one, the node's clock.
    /// </summary>
    public const string ClockKey = "jobs";

    private int _disposed;
    private readonly Task _sequencing;
    private SequencerOnly? _start;

    private NodeJobs(IStorageDriver driver, Task sequencing, CaptureJobRunner jobs, WatchScheduler watches, CaseAttacher cases)
    {
        _sequencing = sequencing;
        JobStore = driver.Jobs;
        WatchStore = driver.Watches;
        Cases = cases;
        Jobs = jobs;
        Watches = watches;
    }

    public CaptureJobRunner Jobs { get; }

    /// <summary>The case checks and attaches of jobs and watches.</summary>
    public CaseAttacher Cases { get; }

    public WatchScheduler Watches { get; }

    /// <summary>The job store, for the API's reads.</summary>
    public ICaptureJobStore JobStore { get; }

    /// <summary>The watch store, for the API's reads.</summary>
    public IWatchStore WatchStore { get; }

    /// <summary>
    /// Refuses a change to jobs or watches on a front-end of a shared log: the one process that sequences the log runs
    /// every job and watch (resumed when another takes sequencing over), so no URL or slot is captured twice.
    /// </summary>
    /// <exception cref="Grpc.Core.RpcException">UNAVAILABLE: this process is a front-end.</exception>
    public void RequireRunner()
    {
        if (!_sequencing.IsCompleted)
        {
            throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unavailable,
                "This node is a front-end of a shared log: capture jobs and watches are created, cancelled and stopped on the node that " +
                "sequences the log (the one whose log did not say \"as a front-end\"), or retry when this one takes sequencing over. Nothing was changed."));
        }
    }

    /// <summary>
    /// Opens the store; resumes unfinished jobs, settles and starts the watches when this process sequences the log (at
    /// once, or when a front-end of a shared log takes sequencing over).
    /// </summary>
    public static async Task<NodeJobs> OpenAsync(
        NodeLedger ledger, NodeCases cases, IServiceProvider services, TimeProvider time, bool sm3, ILoggerFactory loggers, CancellationToken ct)
    {
        var options = services.GetRequiredService<CaptureOptions>();
        var capture = new TaggedCapture(services.GetRequiredService<PageCapturer>(), services.GetRequiredService<WebPageIntake>(), ledger.Ledger, time);
        var attacher = new CaseAttacher(cases);
        var log = loggers.CreateLogger("EvidenceChain.Node.Jobs");
        var jobs = new CaptureJobRunner(ledger.Driver.Jobs, capture, attacher, Math.Min(options.BrowserPoolSize, options.MaxConcurrentCaptures), log);
        var clock = services.GetKeyedService<TimeProvider>(ClockKey) ?? time;
        var watches = new WatchScheduler(ledger.Driver.Watches, capture, attacher, new WatchSummaryIntake(ledger.Ledger, ledger.Driver.Blobs, sm3, cases.SignManifest), clock, log);
        var sequencing = ledger.Ledger.Sequencing;
        var node = new NodeJobs(ledger.Driver, sequencing, jobs, watches, attacher);
        try
        {
            if (sequencing.IsCompleted)
            {
                await jobs.ResumeAsync(ct);
                await watches.StartAsync(ct);
            }
            else
            {
                node._start = new SequencerOnly(sequencing, () => _ = node.TakeOverAsync(log));
            }

            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    private async Task TakeOverAsync(ILogger log)
    {
        try
        {
            await Jobs.ResumeAsync(CancellationToken.None);
            await Watches.StartAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            JobLog.TakeOverFailed(log, e);
        }
    }

    /// <summary>Asks the workers and the schedule to stop (the host is stopping); <see cref="DisposeAsync"/> waits for them.</summary>
    public void Cancel()
    {
        Jobs.Cancel();
        Watches.Cancel();
    }

    /// <summary>Stops the workers and the schedule (what is under way is resumed at the next start); the driver closes the stores.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return; // the node disposes it before its host does, and the host's container again
        }

        _start?.Stop();

        await Jobs.DisposeAsync();
        await Watches.DisposeAsync();
    }
}
