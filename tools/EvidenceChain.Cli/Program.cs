using EvidenceChain.Cli.Commands;

namespace EvidenceChain.Cli;

/// <summary>The <c>evidencectl</c> entry point.</summary>
internal static class Program
{
    private const string Usage = """
        evidencectl: verify EvidenceChain proofs and manage a ledger's data folder.

        Offline verification (exit 0 = verified, 1 = failed with the reason, 2 = bad usage or input):
          evidencectl proof inclusion --leaf-hash H --index I --size N --root R [--proof H1,H2,...]
          evidencectl proof consistency --size1 M --size2 N --root1 R1 --root2 R2 [--proof H1,H2,...]
          evidencectl note verify --key VKEY [--key VKEY ...] [FILE]     (signed note from FILE or stdin)

        Keys and data folders:
          evidencectl keygen --name ORIGIN --out DIR     Ed25519 signed-note key pair (private key mode 0600)
          evidencectl audit --data DIR [--key VKEY]      re-derive and check the whole ledger
          evidencectl reindex --data DIR                 rebuild the LiteDB index from the ledger files

        Hashes are 64 lowercase hex digits. Run a command with --help for its details.
        """;

    public static async Task<int> Main(string[] args) =>
        await RunAsync(args, new CliConsole(Console.Out, Console.Error, Console.In));

    /// <summary>Runs one command; never throws for bad input.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console)
    {
        try
        {
            return args switch
            {
                [] or ["help" or "--help" or "-h"] => Help(console, ExitCode.Verified),
                ["proof", "inclusion", .. var rest] => ProofCommands.Inclusion(Parse(rest), console),
                ["proof", "consistency", .. var rest] => ProofCommands.Consistency(Parse(rest), console),
                ["note", "verify", .. var rest] => await NoteCommands.VerifyAsync(Parse(rest), console),
                ["keygen", .. var rest] => KeygenCommand.Run(Parse(rest), console),
                ["audit", .. var rest] => await DataCommands.AuditAsync(Parse(rest), console),
                ["reindex", .. var rest] => await DataCommands.ReindexAsync(Parse(rest), console),
                _ => throw new UsageException($"unknown command \"{string.Join(' ', args.Take(2))}\"; run evidencectl --help"),
            };
        }
        catch (UsageException e)
        {
            await console.Error.WriteLineAsync($"evidencectl: {e.Message}");
            return ExitCode.Usage;
        }
    }

    // Every command answers --help, which takes no value.
    private static Arguments Parse(string[] rest) => Arguments.Parse(rest, "help");

    private static int Help(CliConsole console, int code)
    {
        console.Out.WriteLine(Usage);
        return code;
    }
}
