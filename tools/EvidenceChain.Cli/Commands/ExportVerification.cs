using System.Text.Json.Nodes;
using EvidenceChain.Core.Notes;
using EvidenceChain.Verifier;
using EvidenceChain.Verifier.Receipts;

namespace EvidenceChain.Cli.Commands;

/// <summary>What <c>verify-case</c> and <c>verify-watch</c> share: the pinned trust, the export file, and how steps print.</summary>
internal static class ExportVerification
{
    /// <summary>The trust anchors the options pin (<c>--log-key</c> or <c>--policy</c>, <c>--tsa-ca</c>), and the export FILE.</summary>
    /// <exception cref="UsageException">No TSA CA pinned, no FILE, or no such file.</exception>
    public static (ReceiptTrust Trust, WitnessPolicy? Policy, string File) Read(Arguments args, string command)
    {
        var policy = PolicyOption.Read(args);
        var trust = new ReceiptTrust { LogKey = PolicyOption.LogKey(args, policy), TsaCas = VerifyCommand.ReadCas(args.All("tsa-ca")), Witnesses = policy };
        if (trust.TsaCas.Count == 0)
        {
            throw new UsageException("--tsa-ca PEM is required: pin the TSA's CA certificate");
        }

        var file = args.Positional.FirstOrDefault() ?? throw new UsageException($"{command} needs the export FILE.zip");
        return File.Exists(file) ? (trust, policy, file) : throw new UsageException($"{file}: no such file");
    }

    /// <summary>Opens the export for reading.</summary>
    public static FileStream Open(string file) => new(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);

    /// <summary>One step as a line: <c>PASS|SKIP|FAIL name: detail</c>.</summary>
    public static string Line(VerificationStep step) => $"{(step.Passed ? "PASS" : step.Skipped ? "SKIP" : "FAIL")} {step.Name}: {step.Detail}";

    /// <summary>The steps as JSON objects (<c>step</c>, <c>result</c>, <c>detail</c>).</summary>
    public static JsonArray Steps(VerificationReport report) => new([.. report.Steps.Select(s => new JsonObject
    {
        ["step"] = s.Name,
        ["result"] = s.Passed ? "pass" : s.Skipped ? "skip" : "fail",
        ["detail"] = s.Detail,
    })]);
}
