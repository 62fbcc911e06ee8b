using System.Globalization;
using EvidenceChain.Api.V1;
using EvidenceChain.Node.Auth;
using EvidenceChain.Node.Jobs;
using Grpc.Core;

namespace EvidenceChain.Node.Services;

/// <summary>Watches: one URL captured at fixed intervals, with a timeline and a summary entry (docs/formats.md §20).</summary>
internal sealed class WatchApi(NodeJobs jobs, WatchExporter exporter) : WatchService.WatchServiceBase
{
    private const int ChunkSize = 64 * 1024;

    // RFC 3339 with its offset (Z or ±hh:mm; seconds and fractions optional), or a date: the end of that day, UTC. A time
    // without an offset is refused: the node's zone is not the caller's.
    private static readonly string[] UntilFormats =
    [
        "yyyy'-'MM'-'dd'T'HH':'mm'Z'", "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'FFFFFFF'Z'",
        "yyyy'-'MM'-'dd'T'HH':'mmzzz", "yyyy'-'MM'-'dd'T'HH':'mm':'sszzz", "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'FFFFFFFzzz",
    ];

    [RequireRole(Role.Submitter, Role.Admin)]
    public override async Task<Api.V1.Watch> CreateWatch(CreateWatchRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        JobUrls.Check(request.Url, "url");
        if (request.EveryMinutes < 1)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "every_minutes is 0; give at least 1 (minutes between captures). Nothing was created."));
        }

        if (ParseUntil(request.Until) is not { } until)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"until (\"{Core.Text.UntrustedText.Printable(request.Until, 60)}\") is not a date and time; give RFC 3339 with its offset, such as " +
                "2026-12-31T23:59:00Z or 2026-12-31T23:59:00+08:00, or a date, such as 2026-12-31 (to the end of that day, UTC). Nothing was created."));
        }

        var now = jobs.Watches.Clock.GetUtcNow();
        if (until <= now)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"until ({WatchTimelineTime(until)}) is not after now ({WatchTimelineTime(now)}); give a later time. Nothing was created."));
        }

        jobs.Cases.RequireOpen(request.CaseId);
        jobs.RequireRunner();
        var watch = await jobs.Watches.CreateAsync(
            request.Url, TimeSpan.FromMinutes(request.EveryMinutes), until, request.CaseId, request.NoBrowser, caller.KeyId, context.CancellationToken);
        return JobWire.ToProto(watch, jobs.Watches.Clock);
    }

    [RequireRole(Role.Submitter, Role.CaseManager, Role.Admin)]
    public override Task<Api.V1.Watch> GetWatch(GetWatchRequest request, ServerCallContext context) =>
        Task.FromResult(JobWire.ToProto(Find(request.Id, context), jobs.Watches.Clock));

    [RequireRole(Role.Submitter, Role.CaseManager, Role.Admin)]
    public override Task<ListWatchesResponse> ListWatches(ListWatchesRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var reply = new ListWatchesResponse();
        reply.Watches.AddRange(jobs.WatchStore.Watches()
            .Where(w => caller.Role == Role.Admin || w.Submitter == caller.KeyId)
            .Select(w => JobWire.ToProto(w, jobs.Watches.Clock)));
        return Task.FromResult(reply);
    }

    [RequireRole(Role.Submitter, Role.CaseManager, Role.Admin)]
    public override Task<WatchTimeline> GetWatchTimeline(GetWatchRequest request, ServerCallContext context)
    {
        var watch = Find(request.Id, context);
        var reply = new WatchTimeline { WatchId = watch.Id };
        reply.Events.AddRange(jobs.WatchStore.Events(watch.Id).Select(JobWire.ToProto));
        return Task.FromResult(reply);
    }

    [RequireRole(Role.Submitter, Role.Admin)]
    public override async Task<Api.V1.Watch> StopWatch(GetWatchRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var watch = Find(request.Id, context);
        jobs.RequireRunner();
        try
        {
            return JobWire.ToProto(await jobs.Watches.StopAsync(watch, caller.KeyId, context.CancellationToken), jobs.Watches.Clock);
        }
        catch (InvalidOperationException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }
    }

    [RequireRole(Role.Submitter, Role.CaseManager, Role.Admin)]
    public override async Task ExportWatch(ExportWatchRequest request, IServerStreamWriter<ExportWatchResponse> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        await using var export = await exporter.ExportAsync(Find(request.Id, context), request.FileName, context.GetCaller(), ct);
        await responseStream.WriteAsync(new ExportWatchResponse { Info = export.Info }, ct);
        var buffer = new byte[ChunkSize];
        int read;
        while ((read = await export.Content.ReadAsync(buffer, ct)) > 0)
        {
            await responseStream.WriteAsync(new ExportWatchResponse { Chunk = Google.Protobuf.ByteString.CopyFrom(buffer, 0, read) }, ct);
        }
    }

    private static string WatchTimelineTime(DateTimeOffset t) => Ledger.Jobs.WatchTimeline.Time(t);

    internal static DateTimeOffset? ParseUntil(string text)
    {
        if (DateOnly.TryParseExact(text, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date == DateOnly.MaxValue ? null : new DateTimeOffset(date.AddDays(1), TimeOnly.MinValue, TimeSpan.Zero).AddMilliseconds(-1);
        }

        return DateTimeOffset.TryParseExact(text, UntilFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
    }

    private Ledger.Jobs.Watch Find(string id, ServerCallContext context) => Find(jobs, id, context.GetCaller());

    /// <summary>The watch <paramref name="id"/> if <paramref name="caller"/> may see it (its own; a case manager's or admin's: any).</summary>
    internal static Ledger.Jobs.Watch Find(NodeJobs jobs, string id, Auth.Caller caller)
    {
        var watch = jobs.WatchStore.FindWatch(id);
        if (watch is null || (caller.Role is not (Role.Admin or Role.CaseManager) && watch.Submitter != caller.KeyId))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"No watch \"{Core.Text.UntrustedText.Printable(id, 40)}\" of this key."));
        }

        return watch;
    }
}
