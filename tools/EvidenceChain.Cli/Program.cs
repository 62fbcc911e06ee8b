using EvidenceChain.Cli.Commands;

namespace EvidenceChain.Cli;

/// <summary>The <c>evidencectl</c> entry point.</summary>
internal static class Program
{
    private const string Usage = """
        evidencectl: preserve evidence on an EvidenceChain node, verify proofs, and manage a ledger's data folder.

        Node client (public reads need no key; the role a call needs is in brackets):
          evidencectl preserve FILE... [--title T] [--description D] [--media-type M]     [submitter]
                              [--receipts DIR]                 also write each entry's receipt into DIR
          evidencectl capture URL [--no-browser]                     [submitter] the node fetches and preserves the page
          evidencectl entry INDEX
          evidencectl find FILE | --sha256 HEX | --sm3 HEX           exit 1 when no entry lists the digest
          evidencectl download INDEX NAME -o FILE [--force]          [any role] checks the SHA-256 before FILE appears
          evidencectl receipt INDEX -o FILE.evidence.zip             the entry's receipt, to verify offline
                              [--with-artefacts] [--no-wait] [--force]  [any role, with artefacts]
          evidencectl checkpoint [--key VKEY]                        the latest signed checkpoint
          evidencectl proof INDEX [--size N] [--key VKEY]            fetch an entry's proofs and verify them here
          evidencectl consistency OLD NEW|latest [--key VKEY]        fetch and verify a consistency proof
          evidencectl case create --title T [--reference R] [--party ROLE:NAME]...   [case-manager] a new case
          evidencectl case show ID | case list [--status open|closed]                [any role]
          evidencectl case attach|detach ID INDEX | note ID TEXT | close ID          [case-manager; attach: own evidence as submitter]
          evidencectl case export ID -o FILE.zip [--force]                           [case-manager] receipts + signed manifest
          evidencectl keys create --role ROLE [--description D]      [admin] ROLE: submitter, case-manager, admin
          evidencectl keys list                                      [admin]
          evidencectl keys revoke ID                                 [admin]
        Options for these, before or after the command:
          --node URL           the node's gRPC address (default $EVIDENCECHAIN_NODE, else http://127.0.0.1:5080)
          --api-key KEY        the API key <id>.<secret> (default $EVIDENCECHAIN_API_KEY); never printed
          --api-key-file PATH  read the key from a file, such as the node's keys/admin.apikey
          --json               print one JSON document on stdout instead of text
        VKEY is the log's verifier key (the node's keys/log.vkey): pin it to check signatures.

        Offline verification:
          evidencectl proof inclusion --leaf-hash H --index I --size N --root R [--proof H1,H2,...]
          evidencectl proof consistency --size1 M --size2 N --root1 R1 --root2 R2 [--proof H1,H2,...]
          evidencectl note verify --key VKEY [--key VKEY ...] [FILE]     (signed note from FILE or stdin)
          evidencectl verify FILE.evidence.zip --log-key VKEY --tsa-ca PEM [--artefact PATH]...   a receipt, every step
          evidencectl verify PROOF.tlog-proof --entry ENTRY.json --log-key VKEY [--tsr TSR --tsa-ca PEM] [--artefact PATH]...
          evidencectl verify-case FILE.zip --log-key VKEY --tsa-ca PEM [--verbose]   a case export: every receipt and the manifest

        Keys and data folders:
          evidencectl keygen --name ORIGIN --out DIR     Ed25519 signed-note key pair (private key mode 0600)
          evidencectl audit --data DIR [--key VKEY]      re-derive and check the whole ledger
          evidencectl reindex --data DIR                 rebuild the LiteDB index from the ledger files

        Exit codes: 0 = done or verified; 1 = failed with the reason: a verification, a node that cannot be reached,
        or the node's error "evidencectl: <status>: <message>"; 2 = bad usage or input, including a request the node
        rejects as INVALID_ARGUMENT. Hashes are 64 hex digits. Run a command with --help for its details.
        """;

    private static readonly string[] GlobalOptionsWithValue = ["--node", "--api-key", "--api-key-file"];

    public static async Task<int> Main(string[] args)
    {
        using var interrupted = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // Let a download delete its temporary file rather than die mid-write.
            e.Cancel = true;
            interrupted.Cancel();
        };
        return await RunAsync(args, new CliConsole(Console.Out, Console.Error, Console.In)
        {
            ErrorIsTerminal = !Console.IsErrorRedirected,
            Cancellation = interrupted.Token,
        });
    }

    /// <summary>Runs one command; never throws for bad input.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console)
    {
        try
        {
            return MoveGlobalOptions(args) switch
            {
                [] or ["help" or "--help" or "-h"] => Help(console, ExitCode.Verified),
                ["proof", "inclusion", .. var rest] => ProofCommands.Inclusion(Parse(rest), console),
                ["proof", "consistency", .. var rest] => ProofCommands.Consistency(Parse(rest), console),
                ["proof", .. var rest] when rest is [] || rest[0].StartsWith('-') || rest[0].All(char.IsAsciiDigit) =>
                    await LogProofCommand.RunAsync(Parse(rest), console),
                ["note", "verify", .. var rest] => await NoteCommands.VerifyAsync(Parse(rest), console),
                ["verify", .. var rest] => await VerifyCommand.RunAsync(Parse(rest), console),
                ["verify-case", .. var rest] => await VerifyCaseCommand.RunAsync(Arguments.Parse(rest, "help", "json", "verbose"), console),
                ["case", var command, .. var rest] => await CaseCommands.RunAsync(command, Parse(rest), console),
                ["case"] => await CaseCommands.RunAsync("help", Parse([]), console),
                ["keygen", .. var rest] => KeygenCommand.Run(Parse(rest), console),
                ["audit", .. var rest] => await DataCommands.AuditAsync(Parse(rest), console),
                ["reindex", .. var rest] => await DataCommands.ReindexAsync(Parse(rest), console),
                ["preserve", .. var rest] => await PreserveCommand.RunAsync(Parse(rest), console),
                ["capture", .. var rest] => await CaptureCommand.RunAsync(Arguments.Parse(rest, "help", "json", "no-browser"), console),
                ["entry", .. var rest] => await EntryCommands.EntryAsync(Parse(rest), console),
                ["find", .. var rest] => await EntryCommands.FindAsync(Parse(rest), console),
                ["download", .. var rest] => await DownloadCommand.RunAsync(Parse(rest), console),
                ["receipt", .. var rest] => await ReceiptCommand.RunAsync(Parse(rest), console),
                ["checkpoint", .. var rest] => await CheckpointCommand.RunAsync(Parse(rest), console),
                ["consistency", .. var rest] => await LogConsistencyCommand.RunAsync(Parse(rest), console),
                ["keys", "create", .. var rest] => await KeysCommands.CreateAsync(Parse(rest), console),
                ["keys", "list", .. var rest] => await KeysCommands.ListAsync(Parse(rest), console),
                ["keys", "revoke", .. var rest] => await KeysCommands.RevokeAsync(Parse(rest), console),
                _ => throw new UsageException($"unknown command \"{string.Join(' ', args.Take(2))}\"; run evidencectl --help"),
            };
        }
        catch (UsageException e)
        {
            await console.Error.WriteLineAsync($"evidencectl: {e.Message}");
            return ExitCode.Usage;
        }
    }

    // Every command answers --help; node commands also take --json; download and receipt --force; receipt
    // --with-artefacts and --no-wait. None takes a value.
    private static Arguments Parse(string[] rest) => Arguments.Parse(rest, "help", "json", "force", "with-artefacts", "no-wait");

    /// <summary>
    /// Moves the node options given before the command (<c>evidencectl --node URL entry 3</c>) after it, ahead of any
    /// <c>--</c>, where the command reads them.
    /// </summary>
    private static string[] MoveGlobalOptions(string[] args)
    {
        var i = 0;
        while (i < args.Length)
        {
            var name = args[i].Split('=')[0];
            if (args[i] == "--json" || (GlobalOptionsWithValue.Contains(name) && args[i].Contains('=', StringComparison.Ordinal)))
            {
                i++;
            }
            else if (GlobalOptionsWithValue.Contains(name) && i + 1 < args.Length)
            {
                i += 2;
            }
            else
            {
                break;
            }
        }

        if (i == 0 || i == args.Length)
        {
            return args;
        }

        var rest = args[i..];
        var end = Array.IndexOf(rest, "--");
        return end < 0 ? [.. rest, .. args[..i]] : [.. rest[..end], .. args[..i], .. rest[end..]];
    }

    private static int Help(CliConsole console, int code)
    {
        console.Out.WriteLine(Usage);
        return code;
    }
}
