using System.Globalization;
using EvidenceChain.Capture;
using EvidenceChain.Core.Entries;
using EvidenceChain.Ledger;

namespace EvidenceChain.Node.Jobs;

/// <summary>
/// The node's own captures for jobs and watches: the same path as CaptureService.CaptureUrl (PageCapturer, then
/// WebPageIntake), with tags naming the job or watch on the entry, and the search for such an entry after a crash.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class TaggedCapture(PageCapturer capturer, WebPageIntake intake, EvidenceLedger ledger, TimeProvider time)
{
    private static readonly TimeSpan BusyRetry = TimeSpan.FromMilliseconds(250);

    /// <summary>The ledger's size now: an entry made from here on has this index or a higher one.</summary>
    public ulong LedgerSize => ledger.Size;

    /// <summary>Captures <paramref name="url"/> for <paramref name="submitter"/>, waiting while the capturer or the ledger is busy.</summary>
    public async Task<CaptureOutcome> CaptureAsync(
        string url, bool noBrowser, string submitter, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await CaptureOnceAsync(url, noBrowser, submitter, tags, ct);
            }
            catch (Exception e) when (e is CaptureBusyException or LedgerBusyException)
            {
                await Task.Delay(BusyRetry, time, ct); // interactive captures hold the slots; wait for one
            }
            catch (CaptureRefusedException e)
            {
                // The guard's reasons already begin "refused: "; say it once.
                var reason = e.Message.StartsWith("refused", StringComparison.Ordinal) ? e.Message : "refused: " + e.Message;
                return new CaptureOutcome(null, false, 0, string.Empty, reason);
            }
        }
    }

    /// <summary>
    /// The entry at index <paramref name="from"/> or later whose attributes hold each of <paramref name="tags"/>, or
    /// null: the capture a crash cut off before its progress was written.
    /// </summary>
    public async Task<StoredEntry?> FindTaggedAsync(ulong from, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        var index = from;
        while (index < ledger.Size)
        {
            var entries = await ledger.GetEntriesAsync(index, 256, ct);
            foreach (var entry in entries)
            {
                var attributes = entry.Entry.Draft.Attributes;
                if (entry.Entry.Draft.Kind == "webpage" && tags.All(t => attributes.TryGetValue(t.Key, out var v) && v == t.Value))
                {
                    return entry;
                }
            }

            index += (ulong)entries.Count;
        }

        return null;
    }

    /// <summary>The outcome an existing webpage entry records.</summary>
    public static CaptureOutcome FromEntry(ulong index, EntryDraft draft)
    {
        var a = draft.Attributes;
        var complete = a.GetValueOrDefault("capture-status") == "complete";
        var status = int.TryParse(a.GetValueOrDefault("http-status"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var payload = draft.Artefacts.FirstOrDefault(x => x.Name == "payload")?.Sha256.ToString() ?? string.Empty;
        var reason = complete ? string.Empty : $"{a.GetValueOrDefault("failure-reason", "failed")}: {a.GetValueOrDefault("failure", "(the failure is a commitment)")}";
        return new CaptureOutcome(index, complete, status, payload, reason);
    }

    private async Task<CaptureOutcome> CaptureOnceAsync(
        string url, bool noBrowser, string submitter, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        using var result = await capturer.CaptureAsync(url, render: !noBrowser, ct);
        var capture = new WebPageCapture(
            result.Url, result.FinalUrl, result.HttpStatus, result.Failure?.ReasonName ?? string.Empty, result.Failure?.Message ?? string.Empty,
            result.Rendering, result.RemoteAddress, result.Redirects, result.EnvironmentSha256,
            [.. result.Artefacts.Select(a => new WebPageArtefact(a.Name, a.MediaType, a.Path, a.Digests))]) { Tags = tags };
        var appended = await intake.PreserveAsync(capture, submitter, ct);
        return FromEntry(appended.Index, appended.Entry.Draft);
    }
}
