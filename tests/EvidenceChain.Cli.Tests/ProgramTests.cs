namespace EvidenceChain.Cli.Tests;

/// <summary>Command dispatch, help, and the README's example commands.</summary>
public sealed partial class ProgramTests
{
    public static TheoryData<string[], string> Commands => new()
    {
        { ["proof", "inclusion"], "evidencectl proof inclusion --leaf-hash H --index I --size N --root R" },
        { ["proof", "consistency"], "evidencectl proof consistency --size1 M --size2 N --root1 R1 --root2 R2" },
        { ["note", "verify"], "evidencectl note verify --key VKEY [--key VKEY ...] [FILE]" },
        { ["keygen"], "evidencectl keygen --name ORIGIN --out DIR" },
        { ["audit"], "evidencectl audit --data DIR [--key VKEY]" },
        { ["reindex"], "evidencectl reindex --data DIR" },
        { ["preserve"], "evidencectl preserve FILE... [--title T] [--description D] [--media-type M]" },
        { ["entry"], "evidencectl entry INDEX" },
        { ["find"], "evidencectl find FILE | --sha256 HEX | --sm3 HEX" },
        { ["download"], "evidencectl download INDEX NAME -o FILE [--force]" },
        { ["checkpoint"], "evidencectl checkpoint [--key VKEY]" },
        { ["proof"], "evidencectl proof INDEX [--size N] [--key VKEY]" },
        { ["consistency"], "evidencectl consistency OLD NEW [--key VKEY]" },
        { ["keys", "create"], "evidencectl keys create --role submitter|case-manager|admin [--description D]" },
        { ["keys", "list"], "evidencectl keys list" },
        { ["keys", "revoke"], "evidencectl keys revoke ID" },
    };

    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task RunAsync_NoCommandOrHelp_ExitsZeroWithUsage(params string[] args)
    {
        var result = await Cli.RunAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("evidencectl: preserve evidence on an EvidenceChain node, verify proofs", result.Out, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0 = done or verified; 1 = failed with the reason", result.Out, StringComparison.Ordinal);
        Assert.Contains("2 = bad usage or input, including a request the node\nrejects as INVALID_ARGUMENT", result.Out, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Error);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task RunAsync_CommandHelp_ExitsZeroWithCommandUsage(string[] command, string usage)
    {
        var result = await Cli.RunAsync([.. command, "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith(usage, result.Out, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Error);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task RunAsync_CommandHelpAmongOtherOptions_ExitsZeroWithCommandUsage(string[] command, string usage)
    {
        var result = await Cli.RunAsync([.. command, "--size", "3", "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith(usage, result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_HelpWithValue_ExitsTwo()
    {
        var result = await Cli.RunAsync("keygen", "--help=yes");

        Cli.AssertUsage(result, "--help takes no value");
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("proof", "bogus")]
    [InlineData("keys")]
    [InlineData("keys", "delete")]
    [InlineData("note")]
    [InlineData("note", "sign")]
    [InlineData("--proof", "inclusion")]
    [InlineData("Proof", "inclusion")]
    public async Task RunAsync_UnknownCommand_ExitsTwoNamingIt(params string[] args)
    {
        var result = await Cli.RunAsync(args);

        Cli.AssertUsage(result, $"unknown command \"{string.Join(' ', args)}\"; run evidencectl --help");
    }

    [Fact]
    public async Task RunAsync_ReadmeProofExamples_ExitZeroAsDocumented()
    {
        // The offline examples; "evidencectl proof INDEX" needs a node.
        var examples = ReadmeExamples().Where(e => e.Args is ["proof", "inclusion" or "consistency", ..]).ToList();
        Assert.Equal(["inclusion", "consistency"], examples.Select(e => e.Args[1]));

        foreach (var (args, documented) in examples)
        {
            var result = await Cli.RunAsync(args);

            Cli.AssertVerified(result);
            if (documented is not null)
            {
                // The README abbreviates the root with "..."; the rest must be exactly what the command prints.
                Assert.StartsWith(documented.TrimEnd('.'), result.OutLines[0], StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task RunAsync_ReadmeInclusionExampleCopied_ExitsZero()
    {
        // Copied from README.md ("Check that a leaf is in a tree"); the test above reads the README itself.
        var result = await Cli.RunAsync(
            "proof", "inclusion", "--index", "0", "--size", "2",
            "--leaf-hash", "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "--root", "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "--proof", "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");

        Cli.AssertVerified(result);
        Assert.Equal(
            "verified: entry 0 is included in the tree of size 2 with root fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            result.OutLines[0]);
    }

    [Fact]
    public async Task RunAsync_ReadmeConsistencyExampleCopied_ExitsZero()
    {
        // Copied from README.md ("Check that an older tree is a prefix of a newer one").
        var result = await Cli.RunAsync(
            "proof", "consistency", "--size1", "1", "--size2", "2",
            "--root1", "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "--root2", "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "--proof", "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");

        Cli.AssertVerified(result);
        Assert.Equal("verified: the tree of size 1 is a prefix of the tree of size 2", result.OutLines[0]);
    }

    /// <summary>The repository root: the nearest folder above the test assembly that holds EvidenceChain.sln.</summary>
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EvidenceChain.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No EvidenceChain.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// The README's indented <c>evidencectl ...</c> commands (continuation lines joined), each with the
    /// <c># verified: ...</c> comment that follows it, if any. Arguments hold no quotes or spaces in these examples.
    /// </summary>
    private static List<(string[] Args, string? Documented)> ReadmeExamples()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var examples = new List<(string[], string?)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!lines[i].StartsWith("    evidencectl ", StringComparison.Ordinal))
            {
                continue;
            }

            var command = new List<string>();
            while (line.EndsWith('\\'))
            {
                command.Add(line.TrimEnd('\\'));
                line = lines[++i].Trim();
            }

            command.Add(line.Split('#')[0]);
            string? documented = null;
            if (i + 1 < lines.Length && lines[i + 1].Trim().StartsWith("# verified: ", StringComparison.Ordinal))
            {
                documented = lines[i + 1].Trim()[2..];
            }

            var args = string.Join(' ', command).Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
            examples.Add((args, documented));
        }

        return examples;
    }
}
