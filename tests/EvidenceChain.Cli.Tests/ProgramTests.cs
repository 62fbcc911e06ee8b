namespace EvidenceChain.Cli.Tests;

/// <summary>Command dispatch, help, and the README's example commands.</summary>
public sealed partial class ProgramTests
{
    /// <summary>Every command that runs something, with the options its help must list.</summary>
    public static TheoryData<string[], string[]> Commands => new()
    {
        { ["proof", "inclusion"], ["--leaf-hash", "--index", "--size", "--root", "--proof"] },
        { ["proof", "consistency"], ["--size1", "--size2", "--root1", "--root2", "--proof"] },
        { ["note", "verify"], ["--key", "<FILE>"] },
        { ["verify"], ["<FILE>", "--log-key", "--tsa-ca", "--policy", "--sm2-key", "--entry", "--tsr", "--artefact"] },
        { ["verify-case"], ["<FILE>", "--log-key", "--tsa-ca", "--policy", "--verbose"] },
        { ["keygen"], ["--name", "--out"] },
        { ["audit"], ["--data", "--key", "--max-problems"] },
        { ["reindex"], ["--data"] },
        { ["witness", "serve"], ["--state", "--log", "--name", "--listen"] },
        { ["witness", "key"], ["--state", "--name"] },
        { ["preserve"], ["<FILE>", "--title", "--description", "--media-type", "--receipts"] },
        { ["capture"], ["<URL>", "--no-browser"] },
        { ["entry"], ["<INDEX>"] },
        { ["find"], ["<FILE>", "--sha256", "--sm3"] },
        { ["download"], ["<INDEX>", "<NAME>", "-o, --output", "--force"] },
        { ["receipt"], ["<INDEX>", "-o, --output", "--with-artefacts", "--no-wait", "--force"] },
        { ["certificate"], ["<INDEX>", "-o, --output", "--with-artefacts", "--force"] },
        { ["checkpoint"], ["--key"] },
        { ["proof"], ["<INDEX>", "--size", "--key"] },
        { ["consistency"], ["<OLD>", "<NEW>", "--key"] },
        { ["case", "create"], ["--title", "--reference", "--party"] },
        { ["case", "show"], ["<ID>"] },
        { ["case", "list"], ["--status", "--query"] },
        { ["case", "attach"], ["<ID>", "<INDEX>"] },
        { ["case", "detach"], ["<ID>", "<INDEX>", "--reason"] },
        { ["case", "note"], ["<ID>", "<TEXT>"] },
        { ["case", "close"], ["<ID>", "--reason"] },
        { ["case", "export"], ["<ID>", "-o, --output", "--force"] },
        { ["keys", "create"], ["--role", "--description", "--out", "--force"] },
        { ["keys", "list"], [] },
        { ["keys", "revoke"], ["<ID>"] },
    };

    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task RunAsync_NoCommandOrHelp_ExitsZeroWithUsage(params string[] args)
    {
        var result = await Cli.RunAsync(args);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("evidencectl: preserve evidence on an EvidenceChain node, verify proofs", result.Out, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0 = done or verified; 1 = failed with the reason", result.Out, StringComparison.Ordinal);
        Assert.Contains("rejects as INVALID_ARGUMENT", result.Out, StringComparison.Ordinal);
        foreach (var option in new[] { "--node <URL>", "--api-key <KEY>", "--api-key-file <PATH>", "--json", "--version" })
        {
            Assert.Contains(option, result.Out, StringComparison.Ordinal);
        }

        foreach (var command in new[] { "preserve", "capture", "entry", "find", "download", "receipt", "certificate", "checkpoint", "proof", "consistency", "case", "keys", "note", "verify", "verify-case", "keygen", "audit", "reindex", "witness" })
        {
            Assert.Contains($"\n  {command} ", result.Out, StringComparison.Ordinal);
        }

        Assert.Equal(string.Empty, result.Error);
    }

    [Theory]
    [InlineData("case", "create, show, list, attach, detach, note, close, export")]
    [InlineData("keys", "create, list, revoke")]
    [InlineData("note", "verify")]
    [InlineData("proof", "inclusion, consistency")]
    [InlineData("witness", "serve, key")]
    public async Task RunAsync_GroupHelp_ExitsZeroListingSubcommands(string group, string subcommands)
    {
        var result = await Cli.RunAsync(group, "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var name in subcommands.Split(", "))
        {
            Assert.Contains($"\n  {name}", result.Out, StringComparison.Ordinal);
        }

        Assert.Equal(string.Empty, result.Error);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task RunAsync_CommandHelp_ExitsZeroListingEveryOption(string[] command, string[] options)
    {
        var result = await Cli.RunAsync([.. command, "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches($"Usage:\n  \\S+ {string.Join(" .*", command)}", result.Out); // \\S+: the executable, testhost in-process
        foreach (var option in options.Concat(["--node <URL>", "--json", "--help"]))
        {
            Assert.Contains(option, result.Out, StringComparison.Ordinal);
        }

        Assert.Equal(string.Empty, result.Error);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task RunAsync_CommandHelpAmongOtherOptions_ExitsZeroWithCommandHelp(string[] command, string[] options)
    {
        var result = await Cli.RunAsync([.. command, "--size", "3", "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches($"Usage:\n  \\S+ {string.Join(" .*", command)}", result.Out); // \\S+: the executable, testhost in-process
        Assert.All(options, option => Assert.Contains(option, result.Out, StringComparison.Ordinal));
    }

    [Fact]
    public void Build_EveryCommandOptionAndArgument_HasADescription()
    {
        var root = EvidenceChain.Cli.Commands.CommandTree.Build(new CliConsole(TextWriter.Null, TextWriter.Null, TextReader.Null));
        var pending = new Stack<System.CommandLine.Command>([root]);
        var seen = 0;
        while (pending.TryPop(out var command))
        {
            seen++;
            Assert.False(string.IsNullOrWhiteSpace(command.Description), command.Name);
            Assert.All(command.Options, o => Assert.False(string.IsNullOrWhiteSpace(o.Description), $"{command.Name} {o.Name}"));
            Assert.All(command.Arguments, a => Assert.False(string.IsNullOrWhiteSpace(a.Description), $"{command.Name} {a.Name}"));
            Assert.True(command.Action is not null || command.Subcommands.Count > 0, $"{command.Name} does nothing");
            foreach (var sub in command.Subcommands)
            {
                pending.Push(sub);
            }
        }

        Assert.Equal(1 + 22 + 2 + 1 + 8 + 3 + 3 + 5 + 3, seen); // root, top level (job, watch and verify-watch the 20th to 22nd), then the groups' subcommands (watch: add, list, show, stop, export; job: list, show, cancel)
    }

    [Theory]
    [InlineData]
    [InlineData("case")]
    [InlineData("keys")]
    [InlineData("proof")]
    [InlineData("note")]
    [InlineData("witness")]
    public async Task RunAsync_HelpListingSubcommands_GivesOneShortLineEach(params string[] group)
    {
        var result = await Cli.RunAsync([.. group, "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var listing = result.Out[result.Out.IndexOf("Commands:\n", StringComparison.Ordinal)..].Split('\n').Skip(1).TakeWhile(l => l.Length > 0).ToList();
        Assert.NotEmpty(listing);
        Assert.All(listing, line => Assert.True(line.Length <= 120, $"{line.Length} characters: {line}"));
    }

    [Theory]
    [InlineData(new[] { "verify" }, "The receipt's trust/ folder is never trusted.")]
    [InlineData(new[] { "preserve" }, "the node refuses the upload, keeping nothing, if the file changed while it was sent")]
    [InlineData(new[] { "keys", "create" }, "With --out the secret goes to FILE (mode 0600) instead of stdout")]
    public async Task RunAsync_CommandHelp_GivesTheFullDescriptionNotTheSummary(string[] command, string detail)
    {
        var result = await Cli.RunAsync([.. command, "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(detail, result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c")]
    [InlineData("ca")]
    public async Task RunAsync_SuggestDirective_CompletesCommandNames(string word)
    {
        var result = await Cli.RunAsync("[suggest]", word);

        Assert.True(result.ExitCode == 0, result.ToString());
        var expected = word == "c" ? new[] { "capture", "case", "certificate", "checkpoint", "consistency" } : ["capture", "case"];
        Assert.Equal(expected, result.OutLines.Take(expected.Length));
    }

    [Fact]
    public async Task RunAsync_SuggestDirectiveAtPosition_CompletesTheWordUnderTheCursor()
    {
        // What the README's shell functions send: the whole line and the cursor's position in it.
        var result = await Cli.RunAsync("[suggest:17]", "evidencectl keys ");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("create", result.OutLines);
        Assert.Contains("revoke", result.OutLines);
    }

    [Theory]
    [InlineData(new[] { "bogus" }, "unknown command \"bogus\"; run evidencectl --help")]
    [InlineData(new[] { "Proof", "inclusion" }, "unknown command \"Proof\"; run evidencectl --help")]
    [InlineData(new[] { "--proof", "inclusion" }, "unknown option --proof; run evidencectl --help")]
    [InlineData(new[] { "keys" }, "keys needs a command: create, list, revoke; run evidencectl keys --help")]
    [InlineData(new[] { "keys", "delete" }, "unknown command \"keys delete\"; run evidencectl keys --help")]
    [InlineData(new[] { "note" }, "note needs a command: verify; run evidencectl note --help")]
    [InlineData(new[] { "note", "sign" }, "unknown command \"note sign\"; run evidencectl note --help")]
    [InlineData(new[] { "case", "frobnicate" }, "unknown command \"case frobnicate\"; run evidencectl case --help")]
    public async Task RunAsync_UnknownCommand_ExitsTwoNamingIt(string[] args, string message)
    {
        var result = await Cli.RunAsync(args);

        Cli.AssertUsage(result, message);
    }

    [Theory]
    [InlineData("proof", "abc")]
    [InlineData("proof", "bogus")]
    [InlineData("entry", "abc")]
    [InlineData("receipt", "abc")]
    [InlineData("certificate", "abc")]
    public async Task RunAsync_NonNumericIndex_NamesTheArgument(string command, string index)
    {
        var result = await Cli.RunAsync(command is "receipt" or "certificate" ? [command, index, "-o", "x.out"] : [command, index]);

        Cli.AssertUsage(result, $"INDEX must be a whole number, got \"{index}\"");
    }

    [Theory]
    [InlineData("entry")]
    [InlineData("receipt")]
    [InlineData("certificate")]
    [InlineData("download")]
    public async Task RunAsync_MissingArgument_NamesIt(string command)
    {
        var result = await Cli.RunAsync(command);

        Cli.AssertUsage(result, $"{command} needs INDEX (the entry's index); run evidencectl {command} --help");
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
