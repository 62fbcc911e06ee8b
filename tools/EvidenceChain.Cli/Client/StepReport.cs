using System.Text.Json.Nodes;
using EvidenceChain.Verifier;

namespace EvidenceChain.Cli.Client;

/// <summary>
/// The steps of a verification against a node, each PASS, FAIL or SKIP, printed one per line and followed by
/// <c>verified: ...</c> or <c>FAILED: ...</c>. Verified means no step failed; a skipped step is named in the output.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class StepReport
{
    private readonly List<(string Result, string Name, string Detail)> _steps = [];

    /// <summary>True while no step failed.</summary>
    public bool IsValid => _steps.TrueForAll(s => s.Result != "fail");

    /// <summary>Adds a step and returns whether it passed.</summary>
    public bool Add(string name, bool passed, string detail)
    {
        _steps.Add((passed ? "pass" : "fail", name, detail));
        return passed;
    }

    /// <summary>Adds a step that was not checked, with the reason.</summary>
    public void Skip(string name, string reason) => _steps.Add(("skip", name, reason));

    /// <summary>Adds the steps of an offline verification (skipped ones as SKIP); true when none failed.</summary>
    public bool Add(VerificationReport report)
    {
        foreach (var step in report.Steps)
        {
            if (step.Skipped)
            {
                Skip(step.Name, step.Detail);
            }
            else
            {
                Add(step.Name, step.Passed, step.Detail);
            }
        }

        return report.IsValid;
    }

    /// <summary>
    /// Prints the steps and the verdict (text), or <paramref name="document"/> with <c>verified</c> and <c>steps</c>
    /// added (JSON). Returns 0 when no step failed, else 1.
    /// </summary>
    public async Task<int> WriteAsync(CliConsole console, bool json, string success, JsonObject document)
    {
        var failure = _steps.Find(s => s.Result == "fail");
        if (json)
        {
            document["verified"] = IsValid;
            document["steps"] = new JsonArray([.. _steps.Select(s => new JsonObject
            {
                ["step"] = s.Name,
                ["result"] = s.Result,
                ["detail"] = s.Detail,
            })]);
            await JsonOutput.WriteAsync(console, document);
        }
        else
        {
            foreach (var (result, name, detail) in _steps)
            {
                await console.Out.WriteLineAsync($"{result.ToUpperInvariant()} {name}: {detail}");
            }

            await console.Out.WriteLineAsync(IsValid ? $"verified: {success}" : $"FAILED: {failure.Name}: {failure.Detail}");
        }

        return IsValid ? ExitCode.Verified : ExitCode.Failed;
    }
}
