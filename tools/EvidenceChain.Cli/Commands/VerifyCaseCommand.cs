using System.Globalization;
using System.Text.Json.Nodes;
using EvidenceChain.Verifier;
using EvidenceChain.Verifier.Cases;

namespace EvidenceChain.Cli.Commands;

/// <summary>
/// <c>verify-case FILE.zip --log-key VKEY --tsa-ca PEM [--policy FILE] [--json]</c>: checks a case export offline with
/// <see cref="CaseExportVerifier"/>, one line per export-wide step and one per item and event.
/// </summary>
internal static class VerifyCaseCommand
{
    public static async Task<int> RunAsync(Arguments args, CliConsole console)
    {
        var json = args.Flag("json");
        var verbose = args.Flag("verbose");
        var (trust, policy, file) = ExportVerification.Read(args, "verify-case");

        CaseExportReport report;
        await using (var stream = ExportVerification.Open(file))
        {
            report = await CaseExportVerifier.VerifyAsync(stream, trust, cancellationToken: console.Cancellation);
        }

        if (json)
        {
            await Client.JsonOutput.WriteAsync(console, new JsonObject
            {
                ["file"] = file,
                ["verified"] = report.IsValid,
                ["case"] = report.Manifest?.CaseId,
                ["steps"] = ExportVerification.Steps(report.Export),
                ["entries"] = new JsonArray([.. report.Entries.Select(e => new JsonObject
                {
                    ["member"] = e.Member,
                    ["index"] = e.Index,
                    ["kind"] = e.IsEvent ? "event" : "item",
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

        foreach (var entry in report.Entries)
        {
            var kind = entry.IsEvent ? "event" : "item ";
            var timestamp = entry.Report.Steps.FirstOrDefault(s => s.Name == "timestamp");
            var match = entry.Report.Steps.LastOrDefault(s => s.Name == "manifest");
            if (entry.IsValid)
            {
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"PASS {kind} {entry.Index}: {match?.Detail}; {timestamp?.Detail}"));
            }
            else
            {
                var failure = entry.Report.FirstFailure ?? timestamp ?? new VerificationStep("timestamp", false, "not checked");
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"FAIL {kind} {entry.Index} ({entry.Member}): {failure.Name}: {failure.Detail}"));
            }

            if (verbose)
            {
                foreach (var step in entry.Report.Steps)
                {
                    await console.Out.WriteLineAsync("    " + ExportVerification.Line(step));
                }
            }
            else if (entry.Report.Steps.FirstOrDefault(s => s.Name == "disclosed") is { } disclosed)
            {
                // The committed fields the receipt opens (titles, parties, private URLs): shown as verify shows them.
                await console.Out.WriteLineAsync("    " + ExportVerification.Line(disclosed));
            }
        }

        var items = report.Entries.Count(e => !e.IsEvent);
        var events = report.Entries.Count(e => e.IsEvent);
        await console.Out.WriteLineAsync(report.IsValid
            ? string.Create(CultureInfo.InvariantCulture, $"verified: case {report.Manifest!.CaseId}, {items} item(s) and {events} event(s), every receipt timestamped and matching the signed manifest{(policy is null ? string.Empty : $", every checkpoint cosigned as the witness policy requires ({policy.DescribeQuorum()})")}")
            : string.Create(CultureInfo.InvariantCulture, $"FAILED: {report.Export.Steps.Count(s => s.Failed) + report.Entries.Count(e => !e.IsValid)} check(s) failed"));
        return report.IsValid ? ExitCode.Verified : ExitCode.Failed;
    }
}
