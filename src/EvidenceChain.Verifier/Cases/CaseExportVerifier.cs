using System.Globalization;
using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Core.Cases;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Text;
using EvidenceChain.Verifier.Internal;
using EvidenceChain.Verifier.Receipts;

namespace EvidenceChain.Verifier.Cases;

/// <summary>
/// Verifies a case export offline under pinned trust anchors: every receipt in it (as <see cref="ReceiptVerifier"/>,
/// with its trusted time required), the manifest's signature under the log key, that every item and event the
/// manifest lists has a receipt of that entry (index and leaf hash; an item's artefact digests too), that no receipt
/// is unlisted, that the listed events are the case's whole history (each names the one before, from the create event)
/// and replay to exactly the listed items and status, and that the export event follows them and carries the
/// SHA-256 of <c>manifest.note</c>.
/// </summary>
/// <remarks>Stateless and thread-safe. Independent checks all run, so one report shows everything that fails.</remarks>
public static class CaseExportVerifier
{
    private const string Layout = "export layout";

    /// <summary>Verifies the case export zip read from <paramref name="source"/> (readable and seekable; left open).</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static async Task<CaseExportReport> VerifyAsync(
        Stream source, ReceiptTrust trust, CaseExportLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(trust);
        limits ??= CaseExportLimits.Default;
        var export = new VerificationReport();
        var entries = new List<CaseExportEntryReport>();
        var budget = new WorkBudget(limits.MaxWorkBytes, limits.MaxDuration);
        Dictionary<string, byte[]> members;
        try
        {
            members = await ExportReceipts.ReadMembersAsync(
                source, limits, budget, [CaseExportMembers.ReceiptFolder, CaseExportMembers.EventFolder],
                [CaseExportMembers.Manifest, CaseExportMembers.Instructions, CaseExportMembers.LogKey, CaseExportMembers.TsaChain],
                CaseExportMembers.Manifest, $"The export has no {CaseExportMembers.Manifest}.", "; docs/formats.md lists the members of a case export.", cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            export.Add(Layout, false, e.Message);
            return new CaseExportReport(export, entries, null);
        }
        catch (WorkLimitException e)
        {
            export.Add(ReceiptVerifier.WorkLimitStep, false, e.Message + ", while reading the export's members");
            return new CaseExportReport(export, entries, null);
        }

        var items = ExportReceipts.InFolder(members, CaseExportMembers.ReceiptFolder);
        var events = ExportReceipts.InFolder(members, CaseExportMembers.EventFolder);
        export.Add(Layout, true, string.Create(CultureInfo.InvariantCulture, $"{CaseExportMembers.Manifest}, {items.Count} item receipt(s), {events.Count} event receipt(s)"));

        var manifestBytes = members[CaseExportMembers.Manifest];
        var manifest = OpenManifest(export, manifestBytes, trust.LogKey);

        // Every receipt, verified on its own, all within the one budget. All are opened first, so that their inclusion
        // proofs are checked in one batch (side by side in SIMD lanes); each entry step then uses its receipt's result.
        var leaves = new Dictionary<(bool IsEvent, ulong Index), (LedgerEntry Entry, Hash LeafHash, VerificationReport Report)>();
        var opened = new List<OpenedExportReceipt>();
        try
        {
            foreach (var (isEvent, folder, receipts) in new[] { (false, CaseExportMembers.ReceiptFolder, items), (true, CaseExportMembers.EventFolder, events) })
            {
                foreach (var (index, bytes) in receipts.OrderBy(r => r.Key))
                {
                    budget.ThrowIfSpent();
                    opened.Add(await ExportReceipts.OpenAsync(isEvent, folder, index, bytes, budget, cancellationToken));
                }
            }

            var inclusions = PrecomputedInclusion.ForReceipts(opened.Select(o => o.Package?.Evidence).ToList());
            for (var i = 0; i < opened.Count; i++)
            {
                budget.ThrowIfSpent();
                var receipt = opened[i];
                var report = await ExportReceipts.VerifyAsync(receipt, inclusions[i], trust, cancellationToken);
                entries.Add(new CaseExportEntryReport(CaseExportMembers.ReceiptName(receipt.Folder, receipt.Index), receipt.Index, receipt.IsEvent, report.Report));
                if (report.Entry is { } entry)
                {
                    leaves[(receipt.IsEvent, receipt.Index)] = (entry, report.LeafHash, report.Report);
                }

                budget.ThrowIfSpent();
            }
        }
        catch (WorkLimitException e)
        {
            export.Add(ReceiptVerifier.WorkLimitStep, false, string.Create(CultureInfo.InvariantCulture,
                $"{e.Message}; {entries.Count} of {items.Count + events.Count} receipts were checked, so the export is not verified"));
            return new CaseExportReport(export, entries, null);
        }
        finally
        {
            await ExportReceipts.DisposeAllAsync(opened);
        }

        if (manifest is null)
        {
            foreach (var e in entries)
            {
                e.Report.Skip("manifest", "not checked: the manifest did not verify");
            }

            return new CaseExportReport(export, entries, null);
        }

        MatchItems(manifest, entries, leaves);
        var history = MatchEvents(manifest, entries, leaves);
        CheckExportEvent(export, manifest, manifestBytes, entries, leaves);
        CheckHistory(export, manifest, history);
        return new CaseExportReport(export, entries, manifest);
    }

    private static CaseManifest? OpenManifest(VerificationReport export, byte[] bytes, NoteVerifier logKey)
    {
        var opened = SignedNote.Open(bytes, [logKey]);
        if (!export.Add("manifest signature", opened.IsValid, opened.IsValid ? $"signed by {logKey.Name}+{logKey.KeyId:x8}" : opened.Message))
        {
            export.Skip("manifest format", "not checked: the signature did not verify");
            return null;
        }

        try
        {
            var manifest = CaseManifest.Parse(opened.Text!);
            export.Add("manifest format", true, string.Create(CultureInfo.InvariantCulture,
                $"case {manifest.CaseId} \"{UntrustedText.Printable(manifest.Title)}\", {manifest.Status.ToString().ToLowerInvariant()}, {manifest.Items.Count} item(s), {manifest.Events.Count} event(s), at ledger size {manifest.LedgerSize}"));
            return manifest;
        }
        catch (FormatException e)
        {
            export.Add("manifest format", false, e.Message);
            return null;
        }
    }

    private static void MatchItems(
        CaseManifest manifest, List<CaseExportEntryReport> entries, Dictionary<(bool, ulong), (LedgerEntry Entry, Hash LeafHash, VerificationReport Report)> leaves)
    {
        foreach (var item in manifest.Items)
        {
            if (!leaves.TryGetValue((false, item.Index), out var leaf))
            {
                var missing = new VerificationReport();
                if (entries.Find(e => !e.IsEvent && e.Index == item.Index) is { } unreadable)
                {
                    unreadable.Report.Add("manifest", false, "the receipt's entry could not be read, so it cannot match the manifest");
                    continue;
                }

                missing.Add("manifest", false, string.Create(CultureInfo.InvariantCulture, $"the manifest lists item {item.Index}, but the export has no {CaseExportMembers.ReceiptName(CaseExportMembers.ReceiptFolder, item.Index)}"));
                entries.Add(new CaseExportEntryReport(CaseExportMembers.ReceiptName(CaseExportMembers.ReceiptFolder, item.Index), item.Index, false, missing));
                continue;
            }

            var listed = string.Join(", ", leaf.Entry.Draft.Artefacts.Select(a => $"{a.Sha256}"));
            var expected = item.Artefacts.Select(a => (a.Size, a.Sha256, a.Sm3)).ToList();
            var actual = leaf.Entry.Draft.Artefacts.Select(a => (a.Size, a.Sha256, a.Sm3)).ToList();
            var why = leaf.LeafHash != item.LeafHash ? $"leaf hash {leaf.LeafHash}, but the manifest lists {item.LeafHash}"
                : leaf.Entry.Origin != manifest.Origin ? $"the entry is in log {UntrustedText.Printable(leaf.Entry.Origin)}, the manifest's is {UntrustedText.Printable(manifest.Origin)}"
                : !expected.SequenceEqual(actual) ? "the artefact digests differ from the manifest's"
                : null;
            leaf.Report.Add("manifest", why is null, why ?? string.Create(CultureInfo.InvariantCulture,
                $"item {item.Index}, leaf hash {item.LeafHash}, attached by {item.AttachedBy} (event {item.AttachEvent}); artefacts sha256 {listed}"));
        }

        foreach (var e in entries.Where(e => !e.IsEvent && !manifest.Items.Any(i => i.Index == e.Index)))
        {
            e.Report.Add("manifest", false, "the manifest does not list this item: the receipt does not belong in this export");
        }
    }

    // The listed events' parsed case events, in the manifest's order; null entries where one is missing or unreadable.
    private static List<RecordedCaseEvent?> MatchEvents(
        CaseManifest manifest, List<CaseExportEntryReport> entries, Dictionary<(bool, ulong), (LedgerEntry Entry, Hash LeafHash, VerificationReport Report)> leaves)
    {
        var history = new List<RecordedCaseEvent?>();
        foreach (var listed in manifest.Events)
        {
            if (!leaves.TryGetValue((true, listed.Index), out var leaf))
            {
                history.Add(null);
                if (entries.Find(e => e.IsEvent && e.Index == listed.Index) is { } unreadable)
                {
                    unreadable.Report.Add("manifest", false, "the receipt's entry could not be read, so it cannot match the manifest");
                    continue;
                }

                var missing = new VerificationReport();
                missing.Add("manifest", false, string.Create(CultureInfo.InvariantCulture, $"the manifest lists event {listed.Index}, but the export has no {CaseExportMembers.ReceiptName(CaseExportMembers.EventFolder, listed.Index)}"));
                entries.Add(new CaseExportEntryReport(CaseExportMembers.ReceiptName(CaseExportMembers.EventFolder, listed.Index), listed.Index, true, missing));
                continue;
            }

            var (recorded, error) = ReadEvent(leaf.Entry, leaf.LeafHash);
            var why = leaf.LeafHash != listed.LeafHash ? $"leaf hash {leaf.LeafHash}, but the manifest lists {listed.LeafHash}"
                : error is not null ? error
                : recorded!.Event.CaseId != manifest.CaseId ? $"the event is for case {recorded.Event.CaseId}, not {manifest.CaseId}"
                : recorded.Event.Action != listed.Action ? $"the event is a {CaseEvent.ActionName(recorded.Event.Action)}, the manifest says {CaseEvent.ActionName(listed.Action)}"
                : null;
            history.Add(why is null ? recorded : null);
            leaf.Report.Add("manifest", why is null, why ?? string.Create(CultureInfo.InvariantCulture,
                $"event {listed.Index}: {CaseEvent.ActionName(listed.Action)} by {recorded!.Event.Actor} at {recorded.Time:yyyy-MM-ddTHH:mm:ss.fffZ}"));
        }

        return history;
    }

    private static void CheckExportEvent(
        VerificationReport export,
        CaseManifest manifest,
        byte[] manifestBytes,
        List<CaseExportEntryReport> entries,
        Dictionary<(bool, ulong), (LedgerEntry Entry, Hash LeafHash, VerificationReport Report)> leaves)
    {
        const string Step = "export event";
        var sha256 = new Hash(SHA256.HashData(manifestBytes));
        var unlisted = entries.Where(e => e.IsEvent && !manifest.Events.Any(l => l.Index == e.Index)).ToList();
        CaseExportEntryReport? found = null;
        foreach (var e in unlisted)
        {
            if (!leaves.TryGetValue((true, e.Index), out var leaf))
            {
                continue;
            }

            var (recorded, error) = ReadEvent(leaf.Entry, leaf.LeafHash);
            if (error is null && recorded!.Event.Action == CaseAction.Export && recorded.Event.CaseId == manifest.CaseId && recorded.Event.ManifestSha256 == sha256 && found is null)
            {
                found = e;
                var last = manifest.Events.Count > 0 ? manifest.Events[^1].Index : (ulong?)null;
                var why = e.Index < manifest.LedgerSize ? string.Create(CultureInfo.InvariantCulture, $"it is entry {e.Index}, below the manifest's ledger size {manifest.LedgerSize}")
                    : recorded.Event.PreviousEvent != last ? string.Create(CultureInfo.InvariantCulture, $"it names {recorded.Event.PreviousEvent} as the previous event; the manifest's last event is {last}")
                    : null;
                leaf.Report.Add("manifest", why is null, why ?? string.Create(CultureInfo.InvariantCulture,
                    $"the export event: carries manifest-sha256 {sha256}, by {recorded.Event.Actor} at {recorded.Time:yyyy-MM-ddTHH:mm:ss.fffZ}"));
                export.Add(Step, why is null && e.IsValid, why ?? (e.IsValid
                    ? string.Create(CultureInfo.InvariantCulture, $"entry {e.Index} records this export and carries the SHA-256 of manifest.note, {sha256}")
                    : string.Create(CultureInfo.InvariantCulture, $"entry {e.Index} records this export, but its receipt does not verify")));
            }
            else
            {
                e.Report.Add("manifest", false, "the manifest does not list this event, and it is not the export event of this manifest");
            }
        }

        if (found is null)
        {
            export.Add(Step, false, $"no event receipt records an export of case {manifest.CaseId} carrying the SHA-256 of manifest.note, {sha256}: the manifest is not the one the ledger fixed");
        }
    }

    private static void CheckHistory(VerificationReport export, CaseManifest manifest, List<RecordedCaseEvent?> history)
    {
        const string Step = "custody history";
        if (history.Count == 0 || history.Exists(h => h is null))
        {
            export.Add(Step, false, "not every listed event has a matching receipt (see the events below)");
            return;
        }

        try
        {
            var state = CaseState.Create(history[0]!);
            foreach (var e in history.Skip(1))
            {
                state = state.Apply(e!);
            }

            var items = state.Items.Select(i => (i.Index, i.LeafHash, i.AttachEvent, i.AttachedBy)).ToList();
            var listed = manifest.Items.Select(i => (i.Index, i.LeafHash, i.AttachEvent, i.AttachedBy)).ToList();
            var why = state.Id != manifest.CaseId || state.Title != manifest.Title || state.Reference != manifest.Reference || !state.Parties.SequenceEqual(manifest.Parties)
                    ? "the create event's case id, title, reference or parties differ from the manifest's"
                : state.Status != manifest.Status ? $"the events leave the case {state.Status.ToString().ToLowerInvariant()}, the manifest says {manifest.Status.ToString().ToLowerInvariant()}"
                : !items.SequenceEqual(listed) ? "the events attach other items than the manifest lists"
                : null;
            export.Add(Step, why is null, why ?? string.Create(CultureInfo.InvariantCulture,
                $"{history.Count} event(s) from the create event {history[0]!.Index}, each naming the one before, give exactly the listed items and status"));
        }
        catch (ArgumentException e)
        {
            export.Add(Step, false, e.Message);
        }
    }

    private static (RecordedCaseEvent? Event, string? Error) ReadEvent(LedgerEntry entry, Hash leafHash)
    {
        try
        {
            return (new RecordedCaseEvent(entry.Index, leafHash, entry.Time, CaseEvent.FromEntry(entry)), null);
        }
        catch (FormatException e)
        {
            return (null, e.Message);
        }
    }
}
