using System.Globalization;
using System.Text.Json.Nodes;
using EvidenceChain.Cli.Client;
using EvidenceChain.Verifier;
using EvidenceChain.Verifier.Watches;

namespace EvidenceChain.Cli.Commands;

/// <summary>
/// <c>verify-watch FILE.zip --log-key VKEY --tsa-ca PEM [--policy FILE] [--json] [--verbose]</c>: checks a watch export
/// offline with <see cref="WatchExportVerifier"/>: one line per export-wide step, then the timeline with each slot's
/// capture checked.
/// </summary>
internal static class VerifyWatchCommand
{
    public static async Task<int> RunAsync(Arguments args, CliConsole console)
    {
        var json = args.Flag("json");
        var verbose = args.Flag("verbose");
        var (trust, policy, file) = ExportVerification.Read(args, "verify-watch");

        WatchExportReport report;
        await using (var stream = ExportVerification.Open(file))
        {
            report = await WatchExportVerifier.VerifyAsync(stream, trust, cancellationToken: console.Cancellation);
        }

        if (json)
        {
            await JsonOutput.WriteAsync(console, new JsonObject
            {
                ["file"] = file,
                ["verified"] = report.IsValid,
                ["watch"] = report.Timeline?.WatchId,
                ["steps"] = ExportVerification.Steps(report.Export),
                ["entries"] = new JsonArray([.. report.Entries.Select(e => new JsonObject
                {
                    ["member"] = e.Member,
                    ["index"] = e.Index,
                    ["kind"] = e.IsSummary ? "summary" : "capture",
                    ["slot"] = e.Slot?.Slot,
                    ["verified"] = e.IsValid,
                    ["steps"] = ExportVerification.Steps(e.Report),
                })]),
            });
            return report.IsValid ? ExitCode.Verified : ExitCode.Failed;
        }

        foreach (var step in report.Export.Steps)
        {
            await console.Out.WriteLineAsync(ExportVerification.Line(step));
        }

        foreach (var entry in report.Entries.Where(e => e.IsSummary))
        {
            await WriteEntryAsync(console, entry, "summary", verbose);
        }

        if (report.Timeline is { } timeline)
        {
            var captures = report.Entries.Where(e => !e.IsSummary).ToDictionary(e => e.Index);
            foreach (var slot in timeline.Slots)
            {
                if (slot.EntryIndex is { } index && captures.Remove(index, out var entry))
                {
                    await WriteEntryAsync(console, entry, Slot(slot), verbose);
                }
                else
                {
                    await console.Out.WriteLineAsync("     " + Slot(slot));
                }
            }

            foreach (var unnamed in captures.Values)
            {
                await WriteEntryAsync(console, unnamed, "unnamed", verbose);
            }
        }
        else
        {
            foreach (var entry in report.Entries.Where(e => !e.IsSummary))
            {
                await WriteEntryAsync(console, entry, "capture", verbose);
            }
        }

        var count = report.Entries.Count(e => !e.IsSummary);
        await console.Out.WriteLineAsync(report.IsValid
            ? string.Create(CultureInfo.InvariantCulture, $"verified: watch {report.Timeline!.WatchId}, {report.Timeline.Slots.Count} slot(s), {count} capture(s), every receipt timestamped and matching the signed timeline{(policy is null ? string.Empty : $", every checkpoint cosigned as the witness policy requires ({policy.DescribeQuorum()})")}")
            : string.Create(CultureInfo.InvariantCulture, $"FAILED: {report.Export.Steps.Count(s => s.Failed) + report.Entries.Count(e => !e.IsValid)} check(s) failed"));
        return report.IsValid ? ExitCode.Verified : ExitCode.Failed;
    }

    private static string Slot(WatchSlotLine slot)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"slot {slot.Slot} {slot.Time} {slot.Kind}");
        if (slot.EntryIndex is { } index)
        {
            line += string.Create(CultureInfo.InvariantCulture, $" entry {index} HTTP {slot.HttpStatus}");
        }

        return slot.Reason.Length > 0 ? line + ": " + Text.Printable(slot.Reason) : line;
    }

    private static async Task WriteEntryAsync(CliConsole console, WatchExportEntryReport entry, string label, bool verbose)
    {
        var timestamp = entry.Report.Steps.FirstOrDefault(s => s.Name == "timestamp");
        if (entry.IsValid)
        {
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"PASS {label}: entry {entry.Index}; {timestamp?.Detail}"));
        }
        else
        {
            var failure = entry.Report.FirstFailure ?? timestamp ?? new VerificationStep("timestamp", false, "not checked");
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"FAIL {label}: entry {entry.Index} ({entry.Member}): {failure.Name}: {failure.Detail}"));
        }

        if (verbose)
        {
            foreach (var step in entry.Report.Steps)
            {
                await console.Out.WriteLineAsync("    " + ExportVerification.Line(step));
            }
        }
    }
}
