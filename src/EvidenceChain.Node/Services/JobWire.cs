using EvidenceChain.Ledger.Jobs;

namespace EvidenceChain.Node.Services;

/// <summary>Maps capture jobs and watches to their proto messages.</summary>
internal static class JobWire
{
    public static Api.V1.CaptureJob ToProto(CaptureJob job, IReadOnlyList<CaptureJobItem> items)
    {
        int Count(CaptureItemState s) => items.Count(i => i.State == s);
        var reply = new Api.V1.CaptureJob
        {
            Id = job.Id,
            CaseId = job.CaseId,
            Created = WatchTimeline.Time(job.Created),
            Total = (uint)items.Count,
            Pending = (uint)Count(CaptureItemState.Pending),
            Running = (uint)Count(CaptureItemState.Running),
            Done = (uint)Count(CaptureItemState.Done),
            Failed = (uint)Count(CaptureItemState.Failed),
            Cancelled = (uint)Count(CaptureItemState.Cancelled),
        };
        reply.State = reply.Pending + reply.Running > 0 ? "running" : reply.Cancelled > 0 ? "cancelled" : "done";
        foreach (var item in items)
        {
            var wire = new Api.V1.CaptureJobItem { Position = (uint)item.Position, Url = item.Url, State = item.State.ToString().ToLowerInvariant(), Reason = item.Reason };
            if (item.EntryIndex is { } index)
            {
                wire.EntryIndex = index;
            }

            reply.Items.Add(wire);
        }

        return reply;
    }

    public static Api.V1.Watch ToProto(Watch watch, TimeProvider clock)
    {
        var reply = new Api.V1.Watch
        {
            Id = watch.Id,
            Url = watch.Url,
            EveryMinutes = (uint)watch.Every.TotalMinutes,
            Start = WatchTimeline.Time(watch.Start),
            Until = WatchTimeline.Time(watch.Until),
            CaseId = watch.CaseId,
            State = watch.State == WatchState.Active ? "active" : "ended",
            EndReason = watch.EndReason,
            Ended = watch.Ended is { } ended ? WatchTimeline.Time(ended) : string.Empty,
        };
        if (watch.SummaryIndex is { } summary)
        {
            reply.SummaryIndex = summary;
        }

        if (watch.State == WatchState.Active)
        {
            var next = watch.SlotAt(clock.GetUtcNow()) + 1;
            reply.NextSlot = next <= watch.LastSlot ? WatchTimeline.Time(watch.SlotTime(next)) : string.Empty;
        }

        return reply;
    }

    public static Api.V1.WatchEvent ToProto(WatchEvent e)
    {
        var reply = new Api.V1.WatchEvent
        {
            Slot = (ulong)e.Slot,
            Time = WatchTimeline.Time(e.SlotTime),
            Kind = WatchTimeline.Name(e.Kind),
            HttpStatus = (uint)e.HttpStatus,
            PayloadSha256 = e.PayloadSha256,
            Reason = e.Reason,
        };
        if (e.EntryIndex is { } index)
        {
            reply.EntryIndex = index;
        }

        return reply;
    }
}
