using System.Globalization;
using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Core.Digests;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Text;
using EvidenceChain.Verifier.Cases;
using EvidenceChain.Verifier.Internal;
using EvidenceChain.Verifier.Receipts;

namespace EvidenceChain.Verifier.Watches;

/// <summary>
/// Verifies a watch export offline under pinned trust anchors: every receipt in it (as <see cref="ReceiptVerifier"/>,
/// with its trusted time required), the timeline's signature under the log key, that the summary receipt's entry is
/// this watch's <c>watch-summary</c> and lists the timeline's digests (so the ledger fixed exactly this timeline), that
/// every slot naming a capture has that capture's receipt, a <c>webpage</c> entry tagged with this watch and slot and
/// the slot's HTTP status, and that no receipt is unnamed.
/// </summary>
/// <remarks>Stateless and thread-safe. Independent checks all run, so one report shows everything that fails.</remarks>
public static class WatchExportVerifier
{
    private const string Layout = "export layout";
    private const string SummaryStep = "summary entry";
    private const string TimelineStep = "timeline";

    /// <summary>Verifies the watch export zip read from <paramref name="source"/> (readable and seekable; left open).</summary>
    /// <param name="source">The zip.</param>
    /// <param name="trust">The pinned log key and TSA CA(s) (and witness policy, if any).</param>
    /// <param name="limits">Bounds on the work; <see cref="CaseExportLimits.Default"/> when null (a watch export is read as a case export is).</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static async Task<WatchExportReport> VerifyAsync(
        Stream source, ReceiptTrust trust, CaseExportLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(trust);
        limits ??= CaseExportLimits.Default;
        var export = new VerificationReport();
        var entries = new List<WatchExportEntryReport>();
        var budget = new WorkBudget(limits.MaxWorkBytes, limits.MaxDuration);
        Dictionary<string, byte[]> members;
        try
        {
            members = await ExportReceipts.ReadMembersAsync(
                source, limits, budget, [WatchExportMembers.SummaryFolder, WatchExportMembers.CaptureFolder],
                [WatchExportMembers.Timeline, WatchExportMembers.Instructions, WatchExportMembers.LogKey, WatchExportMembers.TsaChain],
                WatchExportMembers.Timeline, $"The export has no {WatchExportMembers.Timeline}: it is not a watch export.", "; docs/formats.md §20 lists the members of a watch export.", cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            export.Add(Layout, false, e.Message);
            return new WatchExportReport(export, entries, null);
        }
        catch (WorkLimitException e)
        {
            export.Add(ReceiptVerifier.WorkLimitStep, false, e.Message + ", while reading the export's members");
            return new WatchExportReport(export, entries, null);
        }

        var summaries = ExportReceipts.InFolder(members, WatchExportMembers.SummaryFolder);
        var captures = ExportReceipts.InFolder(members, WatchExportMembers.CaptureFolder);
        if (summaries.Count != 1)
        {
            export.Add(Layout, false, string.Create(CultureInfo.InvariantCulture,
                $"the export holds {summaries.Count} receipts in {WatchExportMembers.SummaryFolder}; a watch export holds exactly one, the watch-summary entry's"));
            return new WatchExportReport(export, entries, null);
        }

        var summaryIndex = summaries.Keys.Single();
        export.Add(Layout, true, string.Create(CultureInfo.InvariantCulture,
            $"{WatchExportMembers.Timeline}, the summary receipt of entry {summaryIndex}, {captures.Count} capture receipt(s)"));

        var timelineBytes = members[WatchExportMembers.Timeline];
        var timeline = OpenTimeline(export, timelineBytes, trust.LogKey);
        var slots = SlotsByEntry(export, timeline);

        var leaves = new Dictionary<(bool IsSummary, ulong Index), (LedgerEntry Entry, Hash LeafHash, VerificationReport Report)>();
        var opened = new List<OpenedExportReceipt>();
        try
        {
            opened.Add(await ExportReceipts.OpenAsync(true, WatchExportMembers.SummaryFolder, summaryIndex, summaries[summaryIndex], budget, cancellationToken));
            foreach (var (index, bytes) in captures.OrderBy(r => r.Key))
            {
                budget.ThrowIfSpent();
                opened.Add(await ExportReceipts.OpenAsync(false, WatchExportMembers.CaptureFolder, index, bytes, budget, cancellationToken));
            }

            // Every inclusion proof in one batch (side by side in SIMD lanes); each receipt then uses its own result.
            var inclusions = PrecomputedInclusion.ForReceipts(opened.Select(o => o.Package?.Evidence).ToList());
            for (var i = 0; i < opened.Count; i++)
            {
                budget.ThrowIfSpent();
                var receipt = opened[i];
                var (report, entry, leafHash) = await ExportReceipts.VerifyAsync(receipt, inclusions[i], trust, cancellationToken);
                var slot = receipt.IsEvent ? null : slots.GetValueOrDefault(receipt.Index);
                entries.Add(new WatchExportEntryReport(CaseExportMembers.ReceiptName(receipt.Folder, receipt.Index), receipt.Index, receipt.IsEvent, slot, report));
                if (entry is not null)
                {
                    leaves[(receipt.IsEvent, receipt.Index)] = (entry, leafHash, report);
                }
            }
        }
        catch (WorkLimitException e)
        {
            export.Add(ReceiptVerifier.WorkLimitStep, false, string.Create(CultureInfo.InvariantCulture,
                $"{e.Message}; {entries.Count} of {captures.Count + 1} receipts were checked, so the export is not verified"));
            return new WatchExportReport(export, entries, null);
        }
        finally
        {
            await ExportReceipts.DisposeAllAsync(opened);
        }

        if (timeline is null)
        {
            foreach (var e in entries)
            {
                e.Report.Skip(TimelineStep, "not checked: the timeline did not verify");
            }

            return new WatchExportReport(export, entries, null);
        }

        CheckSummary(export, entries[0], leaves.GetValueOrDefault((true, summaryIndex)).Entry, timelineBytes, timeline);
        MatchCaptures(export, timeline, entries, leaves);
        return new WatchExportReport(export, entries, timeline);
    }

    private static WatchTimelineNote? OpenTimeline(VerificationReport export, byte[] bytes, NoteVerifier logKey)
    {
        var opened = SignedNote.Open(bytes, [logKey]);
        if (!export.Add("timeline signature", opened.IsValid, opened.IsValid ? $"signed by {logKey.Name}+{logKey.KeyId:x8}" : opened.Message))
        {
            export.Skip("timeline format", "not checked: the signature did not verify");
            return null;
        }

        try
        {
            var timeline = WatchTimelineNote.Parse(opened.Text!);
            var kinds = string.Join(", ", timeline.Slots.GroupBy(s => s.Kind).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()}")));
            export.Add("timeline format", true, string.Create(CultureInfo.InvariantCulture,
                $"watch {timeline.WatchId} of {UntrustedText.Printable(timeline.Url, 200)}, every {timeline.Every}, {timeline.Slots.Count} slot(s){(kinds.Length > 0 ? $" ({kinds})" : string.Empty)}; {Ended(timeline)}"));
            return timeline;
        }
        catch (FormatException e)
        {
            export.Add("timeline format", false, e.Message);
            return null;
        }
    }

    private static string Ended(WatchTimelineNote timeline) => timeline.Exported is { } exported
        ? $"summarised for an export of the running watch at {UntrustedText.Printable(exported, 120)}"
        : $"ended {UntrustedText.Printable(timeline.Ended, 200)}";

    private static Dictionary<ulong, WatchSlotLine> SlotsByEntry(VerificationReport export, WatchTimelineNote? timeline)
    {
        var slots = new Dictionary<ulong, WatchSlotLine>();
        foreach (var slot in timeline?.Slots ?? [])
        {
            if (slot.EntryIndex is { } index && !slots.TryAdd(index, slot))
            {
                export.Add(TimelineStep, false, string.Create(CultureInfo.InvariantCulture,
                    $"slots {slots[index].Slot} and {slot.Slot} both name entry {index}; each capture is one slot's"));
            }
        }

        return slots;
    }

    private static void CheckSummary(VerificationReport export, WatchExportEntryReport summary, LedgerEntry? entry, byte[] timelineBytes, WatchTimelineNote timeline)
    {
        string? why;
        var withSm3 = false;
        var sha256 = new Hash(SHA256.HashData(timelineBytes));
        if (entry is null)
        {
            why = "the summary receipt's entry could not be read (see its steps)";
        }
        else
        {
            var draft = entry.Draft;
            var artefact = draft.Artefacts.FirstOrDefault(a => a.Name == WatchExportMembers.Timeline);
            withSm3 = artefact?.Sm3 is not null;
            var named = timeline.Slots.Where(s => s.EntryIndex is not null).Select(s => s.EntryIndex!.Value).DefaultIfEmpty().Max();
            why = draft.Kind != "watch-summary" ? $"entry {entry.Index} is a {UntrustedText.Printable(draft.Kind, 40)} entry, not a watch-summary"
                : !draft.Attributes.TryGetValue("watch", out var watch) || watch != timeline.WatchId
                    ? $"entry {entry.Index} summarises watch {UntrustedText.Printable(draft.Attributes.GetValueOrDefault("watch") ?? "(none)", 40)}, the timeline is watch {timeline.WatchId}"
                : artefact is null ? $"entry {entry.Index} lists no artefact {WatchExportMembers.Timeline}"
                : artefact.Sha256 != sha256 || artefact.Size != timelineBytes.Length
                    ? $"entry {entry.Index} lists {WatchExportMembers.Timeline} with sha256 {artefact.Sha256} ({artefact.Size} bytes); this timeline.note has {sha256} ({timelineBytes.Length} bytes)"
                : artefact.Sm3 is { } sm3 && sm3 != ArtefactHasher.Sm3(timelineBytes) ? $"entry {entry.Index} lists another SM3 digest of {WatchExportMembers.Timeline} than this file's"
                : named >= entry.Index ? string.Create(CultureInfo.InvariantCulture, $"the timeline names entry {named}, which is not before the summary entry {entry.Index}")
                : null;
        }

        var detail = why ?? string.Create(CultureInfo.InvariantCulture,
            $"entry {entry!.Index}, the watch's watch-summary, lists {WatchExportMembers.Timeline} with sha256 {sha256}{(withSm3 ? " and its SM3" : string.Empty)}: the ledger fixed this timeline when it recorded the summary");
        export.Add(SummaryStep, why is null && summary.IsValid, why ?? (summary.IsValid ? detail : $"entry {entry!.Index} fixes this timeline, but its receipt does not verify"));
        summary.Report.Add(TimelineStep, why is null, why ?? detail);
    }

    private static void MatchCaptures(
        VerificationReport export, WatchTimelineNote timeline, List<WatchExportEntryReport> entries,
        Dictionary<(bool, ulong), (LedgerEntry Entry, Hash LeafHash, VerificationReport Report)> leaves)
    {
        var missing = 0;
        foreach (var slot in timeline.Slots.Where(s => s.EntryIndex is not null))
        {
            var index = slot.EntryIndex!.Value;
            if (!leaves.TryGetValue((false, index), out var leaf))
            {
                if (entries.Find(e => !e.IsSummary && e.Index == index) is { } unreadable)
                {
                    unreadable.Report.Add(TimelineStep, false, "the receipt's entry could not be read, so it cannot match the timeline");
                    continue;
                }

                missing++;
                var absent = new VerificationReport();
                var member = CaseExportMembers.ReceiptName(WatchExportMembers.CaptureFolder, index);
                absent.Add(TimelineStep, false, string.Create(CultureInfo.InvariantCulture, $"slot {slot.Slot} names entry {index}, but the export has no {member}"));
                entries.Add(new WatchExportEntryReport(member, index, false, slot, absent));
                continue;
            }

            var attributes = leaf.Entry.Draft.Attributes;
            string Attribute(string name) => UntrustedText.Printable(attributes.GetValueOrDefault(name) ?? "(none)", 40);
            var why = leaf.Entry.Draft.Kind != "webpage" ? $"entry {index} is a {UntrustedText.Printable(leaf.Entry.Draft.Kind, 40)} entry, not a webpage capture"
                : attributes.GetValueOrDefault("watch") != timeline.WatchId ? $"entry {index} is tagged with watch {Attribute("watch")}, not {timeline.WatchId}"
                : attributes.GetValueOrDefault("watch-slot") != slot.Slot.ToString(CultureInfo.InvariantCulture)
                    ? string.Create(CultureInfo.InvariantCulture, $"entry {index} is tagged with slot {Attribute("watch-slot")}, the timeline says slot {slot.Slot}")
                : attributes.GetValueOrDefault("http-status") != slot.HttpStatus?.ToString(CultureInfo.InvariantCulture)
                    ? string.Create(CultureInfo.InvariantCulture, $"entry {index} records HTTP status {Attribute("http-status")}, the timeline says {slot.HttpStatus}")
                : null;
            leaf.Report.Add(TimelineStep, why is null, why ?? string.Create(CultureInfo.InvariantCulture,
                $"slot {slot.Slot} at {slot.Time}: {slot.Kind}, HTTP {slot.HttpStatus}, captured at {leaf.Entry.Time:yyyy-MM-ddTHH:mm:ss.fffZ}"));
        }

        var unnamed = 0;
        foreach (var e in entries.Where(e => !e.IsSummary && e.Slot is null && !timeline.Slots.Any(s => s.EntryIndex == e.Index)))
        {
            unnamed++;
            e.Report.Add(TimelineStep, false, "the timeline names no slot with this entry: the receipt does not belong in this export");
        }

        var named = timeline.Slots.Count(s => s.EntryIndex is not null);
        export.Add("captures", missing == 0 && unnamed == 0, missing == 0 && unnamed == 0
            ? string.Create(CultureInfo.InvariantCulture, $"every one of the {named} capture(s) the timeline names has its receipt, and no other is in the export")
            : string.Create(CultureInfo.InvariantCulture, $"{missing} capture(s) the timeline names have no receipt; {unnamed} receipt(s) are of entries it does not name"));
    }
}
