using System.Diagnostics;
using EvidenceChain.Merkle;
using EvidenceChain.Notes;

namespace EvidenceChain.Cli.Tests;

/// <summary>
/// Runs the built <c>evidencectl.dll</c> as a real process, so the exit codes are checked as a shell sees them
/// (Main's return value, not just <see cref="Program.RunAsync"/>'s), with real stdin and stdout.
/// </summary>
public sealed class ProcessExitCodeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The CLI assembly: the copy the project reference puts next to this test assembly, else the Cli project's own
    /// output for the same configuration.
    /// </summary>
    private static string CliAssembly()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "evidencectl.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "evidencectl.runtimeconfig.json")))
        {
            return beside;
        }

        // bin/<Configuration>/<TargetFramework>/ of this project, mirrored under tools/EvidenceChain.Cli.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var own = Path.Combine(
            ProgramTests.RepositoryRoot(), "tools", "EvidenceChain.Cli", "bin", tfm.Parent!.Name, tfm.Name, "evidencectl.dll");
        Assert.True(File.Exists(own), $"evidencectl.dll is neither beside the tests ({beside}) nor at {own}");
        return own;
    }

    private static async Task<CliResult> RunProcessAsync(string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [CliAssembly(), .. args])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"evidencectl did not exit within {Timeout}; stderr so far: {await error}");
        }

        return new CliResult(process.ExitCode, (await output).ReplaceLineEndings("\n"), (await error).ReplaceLineEndings("\n"));
    }

    private static string[] InclusionArgs(Hash root)
    {
        Hash[] leaves = [.. Enumerable.Range(0, 3).Select(i => Rfc6962.HashLeaf([(byte)i]))];
        Hash[] proof = [Rfc6962.HashChildren(leaves[0], leaves[1])];
        return
        [
            "proof", "inclusion", "--leaf-hash", leaves[2].ToString(), "--index", "2", "--size", "3",
            "--root", root.ToString(), "--proof", string.Join(',', proof.Select(h => h.ToString())),
        ];
    }

    private static Hash RootOfThree() => MerkleMath.Root([.. Enumerable.Range(0, 3).Select(i => Rfc6962.HashLeaf([(byte)i]))]);

    [Fact]
    public async Task Process_VerifiedProof_ExitCodeZero()
    {
        var result = await RunProcessAsync(null, InclusionArgs(RootOfThree()));

        Cli.AssertVerified(result);
    }

    [Fact]
    public async Task Process_FailedProof_ExitCodeOne()
    {
        var result = await RunProcessAsync(null, InclusionArgs(Testing.Mutate.FlipBit(RootOfThree(), 3)));

        Cli.AssertFailed(result, "root mismatch");
    }

    [Fact]
    public async Task Process_BadUsage_ExitCodeTwo()
    {
        var result = await RunProcessAsync(null, "proof", "inclusion", "--index", "x");

        Cli.AssertUsage(result, "--leaf-hash is required");
    }

    [Fact]
    public async Task Process_NoteOnRealStdin_ExitCodeZero()
    {
        var signer = NoteSigner.FromSeed("cli.test/log", Enumerable.Repeat((byte)9, NoteSigner.SeedSize).ToArray());

        var result = await RunProcessAsync(signer.Sign("cli.test/log\n1\n"), "note", "verify", "--key", signer.VerifierKey.ToString());

        Cli.AssertVerified(result);
    }
}
