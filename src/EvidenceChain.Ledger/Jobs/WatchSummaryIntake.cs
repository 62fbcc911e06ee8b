using System.Globalization;
using System.Text;
using EvidenceChain.Core.Entries;

namespace EvidenceChain.Ledger.Jobs;

/// <summary>
/// Appends a watch's <c>watch-summary</c> entry when it ends: its timeline as a signed note (artefact
/// <c>timeline.note</c>, signed with the log's key) and the watch's facts as attributes (docs/formats.md §20).
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class WatchSummaryIntake
{
    /// <summary>The entry kind.</summary>
    public const string Kind = "watch-summary";

    /// <summary>The artefact's name.</summary>
    public const string ArtefactName = "timeline.note";

    private readonly EvidenceLedger _ledger;
    private readonly IBlobStore _blobs;
    private readonly bool _sm3;
    private readonly Func<string, string> _sign;

    /// <summary>Creates the intake.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="blobs">Where the timeline is stored.</param>
    /// <param name="sm3">Record an SM3 digest beside SHA-256.</param>
    /// <param name="sign">Signs a note's text with the log's key(s), returning the signed note.</param>
    public WatchSummaryIntake(EvidenceLedger ledger, IBlobStore blobs, bool sm3, Func<string, string> sign)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(sign);
        _ledger = ledger;
        _blobs = blobs;
        _sm3 = sm3;
        _sign = sign;
    }

    /// <summary>Appends the summary of <paramref name="watch"/> (ended) with <paramref name="events"/>; completes once durable.</summary>
    public Task<AppendResult> AppendAsync(Watch watch, IReadOnlyList<WatchEvent> events, CancellationToken cancellationToken) =>
        AppendAsync(watch, events, null, cancellationToken);

    /// <summary>
    /// Appends the summary of <paramref name="watch"/> with <paramref name="events"/>: of an ended watch when
    /// <paramref name="export"/> is null, else of a running one, made for an export (attributes <c>exported</c> and
    /// <c>exported-by</c>, and the timeline's <c>exported</c> line); completes once durable.
    /// </summary>
    public async Task<AppendResult> AppendAsync(Watch watch, IReadOnlyList<WatchEvent> events, WatchSummaryExport? export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watch);
        ArgumentNullException.ThrowIfNull(events);
        var note = Encoding.UTF8.GetBytes(_sign(WatchTimeline.ToText(watch, events, export)));
        var upload = _blobs.BeginUpload(_sm3);
        Artefact artefact;
        await using (upload)
        {
            await upload.WriteAsync(note, cancellationToken);
            var digests = await upload.CompleteAsync(cancellationToken);
            await upload.CommitAsync(cancellationToken);
            artefact = new Artefact(ArtefactName, "text/plain; charset=utf-8", digests.Size, digests.Sha256, digests.Sm3);
        }

        var timeline = events.Where(e => e.Kind != WatchEventKind.Running).ToList();
        string Count(WatchEventKind kind) => timeline.Count(e => e.Kind == kind).ToString(CultureInfo.InvariantCulture);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["watch"] = watch.Id,
            ["url"] = watch.Url,
            ["every-seconds"] = ((long)watch.Every.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ["start"] = WatchTimeline.Time(watch.Start),
            ["until"] = WatchTimeline.Time(watch.Until),
            ["ended"] = watch.Ended is { } ended ? WatchTimeline.Time(ended) : string.Empty,
            ["end-reason"] = watch.EndReason,
            ["slots"] = timeline.Count.ToString(CultureInfo.InvariantCulture),
            ["captures"] = timeline.Count(e => e.EntryIndex is not null).ToString(CultureInfo.InvariantCulture),
            ["changed"] = Count(WatchEventKind.Changed),
            ["gone"] = Count(WatchEventKind.Gone),
            ["missed"] = Count(WatchEventKind.Missed),
        };
        if (timeline.FirstOrDefault(e => e.Kind == WatchEventKind.FirstSeen) is { } first)
        {
            attributes["first-seen"] = WatchTimeline.Time(first.SlotTime);
        }

        if (watch.CaseId.Length > 0)
        {
            attributes["case"] = watch.CaseId;
        }

        if (export is not null)
        {
            attributes["exported"] = WatchTimeline.Time(export.Time);
            attributes["exported-by"] = export.By;
        }

        return await _ledger.AppendAsync(new EntryDraft(Kind, watch.Submitter, [artefact], attributes), cancellationToken);
    }
}
