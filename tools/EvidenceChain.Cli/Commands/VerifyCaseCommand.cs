using System.Globalization;
using System.Text.Json.Nodes;
using EvidenceChain.Verifier;
using EvidenceChain.Verifier.Cases;
using EvidenceChain.Verifier.Receipts;

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
        var policy = PolicyOption.Read(args);
        var trust = new ReceiptTrust { LogKey = PolicyOption.LogKey(args, policy), TsaCas = VerifyCommand.ReadCas(args.All("tsa-ca")), Witnesses = policy };
        if (trust.TsaCas.Count == 0)
        {
            throw new UsageException("--tsa-ca PEM is required: pin the TSA's CA certificate");
        }

        var file = args.Positional.FirstOrDefault() ?? throw new UsageException("verify-case needs the export FILE.zip");
        if (!File.Exists(file))
        {
            throw new UsageException($"{file}: no such file");
        }

        CaseExportReport report;
        await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
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
                ["steps"] = Steps(report.Export),
                ["entries"] = new JsonArray([.. report.Entries.Select(e => new JsonObject
                {
                    ["member"] = e.Member,
                    ["index"] = e.Index,
                    ["kind"] = e.IsEvent ? "event" : "item",
                    ["verified"] = e.IsValid,
                    ["steps"] = Steps(e.Report),
                })]),
            });
            return report.IsValid ? ExitCode.Verified : ExitCode.Failed;
        }

        foreach (var step in report.Export.Steps)
        {
            await console.Out.WriteLineAsync(Line(step));
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
                    await console.Out.WriteLineAsync("    " + Line(step));
                }
            }
            else if (entry.Report.Steps.FirstOrDefault(s => s.Name == "disclosed") is { } disclosed)
            {
                // The committed fields the receipt opens (titles, parties, private URLs): shown as verify shows them.
                await console.Out.WriteLineAsync("    " + Line(disclosed));
            }
        }

        var items = report.Entries.Count(e => !e.IsEvent);
        var events = report.Entries.Count(e => e.IsEvent);
        await console.Out.WriteLineAsync(report.IsValid
            ? string.Create(CultureInfo.InvariantCulture, $"verified: case {report.Manifest!.CaseId}, {items} item(s) and {events} event(s), every receipt timestamped and matching the signed manifest{(policy is null ? string.Empty : $", every checkpoint cosigned as the witness policy requires ({policy.DescribeQuorum()})")}")
            : string.Create(CultureInfo.InvariantCulture, $"FAILED: {report.Export.Steps.Count(s => s.Failed) + report.Entries.Count(e => !e.IsValid)} check(s) failed"));
        return report.IsValid ? ExitCode.Verified : ExitCode.Failed;
    }

    private static string Line(VerificationStep step) => $"{(step.Passed ? "PASS" : step.Skipped ? "SKIP" : "FAIL")} {step.Name}: {step.Detail}";

    private static JsonArray Steps(VerificationReport report) => new([.. report.Steps.Select(s => new JsonObject
    {
        ["step"] = s.Name,
        ["result"] = s.Passed ? "pass" : s.Skipped ? "skip" : "fail",
        ["detail"] = s.Detail,
    })]);
}
