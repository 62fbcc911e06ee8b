using System.CommandLine;
using System.CommandLine.Invocation;

namespace EvidenceChain.Cli.Commands;

/// <summary>
/// Every <c>evidencectl</c> command, option and argument as System.CommandLine symbols, with the descriptions its
/// generated help prints. Each command's action hands an <see cref="Arguments"/> view to the class that runs it.
/// </summary>
internal static partial class CommandTree
{
    private const string RootDescription = """
        evidencectl: preserve evidence on an EvidenceChain node, verify proofs, and manage a ledger's data folder.
        Node commands need a running node (--node); public reads need no API key. The offline commands (proof
        inclusion|consistency, note verify, verify, verify-case, verify-watch) trust only the keys you pin.
        Exit codes: 0 = done or verified; 1 = failed with the reason: a verification, a node that cannot be reached,
        or the node's error "evidencectl: <status>: <message>"; 2 = bad usage or input, including a request the node
        rejects as INVALID_ARGUMENT. Hashes are 64 lowercase hex digits. Run any command with --help for its details.
        """;

    private const string VerifierKeyHelp = "a verifier key (name+hex8+base64), or a file holding one (the node's keys/log.vkey)";

    /// <summary>The root command, its global options and every subcommand; actions write to <paramref name="console"/>.</summary>
    public static RootCommand Build(CliConsole console)
    {
        Option[] nodeOptions =
        [
            Global("--node", "URL", "the node's gRPC address (default $EVIDENCECHAIN_NODE, else http://127.0.0.1:5080)"),
            Global("--api-key", "KEY", "the API key <id>.<secret>, or a file holding it (default $EVIDENCECHAIN_API_KEY); never printed"),
            Global("--api-key-file", "PATH", "read the API key from a file, such as the node's keys/admin.apikey"),
        ];
        var json = new Option<bool>("--json") { Description = "print one JSON document on stdout instead of text", Recursive = true };
        var root = new RootCommand(RootDescription);
        foreach (var option in nodeOptions)
        {
            root.Add(option);
        }

        root.Add(json);
        AddOffline(root, console);
        AddNode(root, console);
        ShortenListings(root);

        // The node options (and --json, where a command has no JSON output) are recursive, so every command accepts
        // them; the offline commands refuse them rather than ignore them.
        foreach (var command in Offline(root))
        {
            var refused = OfflineWithJson.Contains(command.Name) ? nodeOptions : [.. nodeOptions, json];
            command.Validators.Add(result =>
            {
                if (refused.Select(result.GetResult).OfType<System.CommandLine.Parsing.OptionResult>().FirstOrDefault(o => !o.Implicit) is { } given)
                {
                    result.AddError($"unknown option {given.IdentifierToken?.Value ?? given.Option.Name}: {command.Name} works offline");
                }
            });
        }

        return root;
    }

    private static readonly string[] OfflineWithJson = ["verify", "verify-case", "verify-watch", "mirror"];

    /// <summary>The commands that never talk to a node.</summary>
    private static IEnumerable<Command> Offline(RootCommand root)
    {
        foreach (var command in root.Subcommands)
        {
            switch (command.Name)
            {
                case "verify" or "verify-case" or "verify-watch" or "keygen" or "audit" or "reindex" or "mirror":
                    yield return command;
                    break;
                case "proof" or "note" or "witness":
                    foreach (var sub in command.Subcommands)
                    {
                        yield return sub;
                    }

                    break;
            }
        }
    }


    private static void AddOffline(RootCommand root, CliConsole console)
    {
        var proof = Command(
            "proof",
            """
            Fetches entry INDEX, its inclusion proof and the latest checkpoint from the node and verifies them here,
            trusting nothing the node says: the checkpoint's signature under --key, the leaf's format and identity, and
            the inclusion of the leaf's hash under the checkpoint's root. With --size N below the latest size, also the
            inclusion in the tree of size N and the consistency proof from N to the signed checkpoint. Prints each step
            as PASS, FAIL or SKIP, then "verified: ..." (exit 0) or "FAILED: ..." (exit 1). Without --key the signature
            is not checked (SKIP). With --log URL|DIR the same is read from the log's tiles instead (a mirror folder, a
            static server of one, a node's HTTP port): the leaf from its entry bundle, the proofs folded from the hash
            tiles, all checked against the signed checkpoint. The subcommands inclusion and consistency check proofs
            given on the command line, without a node.
            """,
            console,
            LogProofCommand.RunAsync,
            Argument("INDEX", "the entry's index", optional: true),
            Value("--size", "N", "also prove the entry in the tree of size N and that tree's consistency with the latest"),
            Value("--key", "VKEY", "pin the log's key: " + VerifierKeyHelp),
            Value("--log", "URL|DIR", LogOption.Help));
        proof.Add(Command(
            "inclusion",
            """
            Checks offline that the leaf with hash H is entry I of the tree of N entries whose root is R. The proof
            lists the RFC 9162 audit path from the leaf upwards, comma-separated.
            """,
            console,
            Sync(ProofCommands.Inclusion),
            Value("--leaf-hash", "H", "the leaf hash, 64 hex digits (required)"),
            Value("--index", "I", "the entry's index (required)"),
            Value("--size", "N", "the tree size (required)"),
            Value("--root", "R", "the tree's root hash, 64 hex digits (required)"),
            Value("--proof", "H1,H2,...", "the audit path, comma-separated hashes (empty for a one-entry tree)")));
        proof.Add(Command(
            "consistency",
            """
            Checks offline that the tree of M entries with root R1 is a prefix of the tree of N entries with root R2
            (RFC 9162 consistency proof, comma-separated). M must be at least 1.
            """,
            console,
            Sync(ProofCommands.Consistency),
            Value("--size1", "M", "the older tree's size (required)"),
            Value("--size2", "N", "the newer tree's size (required)"),
            Value("--root1", "R1", "the older tree's root hash (required)"),
            Value("--root2", "R2", "the newer tree's root hash (required)"),
            Value("--proof", "H1,H2,...", "the consistency proof, comma-separated hashes")));
        root.Add(proof);

        var note = new Command("note", "Signed notes (C2SP), such as checkpoints.");
        note.Add(Command(
            "verify",
            """
            Verifies a C2SP signed note (for example a checkpoint) read from FILE, or from stdin when FILE is absent or
            "-". The note verifies when at least one given key signed it and no given key's signature is bad;
            signatures by other keys are ignored.
            """,
            console,
            NoteCommands.VerifyAsync,
            Argument("FILE", "the note; stdin when absent or \"-\"", optional: true),
            Repeated("--key", "VKEY", VerifierKeyHelp + "; repeat for more keys (at least one)")));
        root.Add(note);

        root.Add(Command(
            "verify",
            """
            Verifies a receipt (FILE.evidence.zip) offline, trusting only what you pin: the entry's format and identity,
            its inclusion under the checkpoint's root, the checkpoint's signature under --log-key, the RFC 3161 token over
            the checkpoint under the CA certificate(s) in --tsa-ca (genTime is printed), with --policy that witnesses
            cosigned that checkpoint as the policy requires, that checkpoint.txt is the timestamped checkpoint text, and each artefact's size, SHA-256 (and SM3) against the entry: those in the
            zip's artefacts/ and each --artefact PATH (matched by name). The receipt's trust/ folder is never
            trusted. Also takes a bare PROOF.tlog-proof with --entry ENTRY.json [--tsr TSR --tsa-ca PEM]; without --tsr
            it has no trusted time (the timestamp step is SKIP). Prints PASS, FAIL or SKIP per step, then "verified: ..."
            (exit 0) or "FAILED: ..." (exit 1); exit 2 for bad usage or an unreadable file.
            """,
            console,
            VerifyCommand.RunAsync,
            Argument("FILE", "the receipt FILE.evidence.zip, or a bare PROOF.tlog-proof"),
            Value("--log-key", "VKEY", "the log's key (required unless --policy names the log): " + VerifierKeyHelp),
            Repeated("--tsa-ca", "PEM", "the TSA's CA certificate(s) to trust (needed for the timestamp); repeatable"),
            Value("--policy", "FILE", PolicyOption.Help),
            Value("--sm2-key", "VKEY", "also check the checkpoint's SM2 signature line under this key (the node's keys/log-sm2.vkey)"),
            Value("--entry", "ENTRY.json", "the entry's leaf bytes, for a bare .tlog-proof"),
            Value("--tsr", "TSR", "the checkpoint's RFC 3161 token, for a bare .tlog-proof"),
            Repeated("--artefact", "PATH", "also check this file against the entry's digests (matched by name: an artefact's, the disclosed file name, or the entry's only artefact); repeatable")));

        root.Add(Command(
            "verify-case",
            """
            Verifies a case export offline, trusting only what you pin: every receipt in it (entry, inclusion proof,
            checkpoint signature, RFC 3161 timestamp, with --policy its witnesses' cosignatures), the manifest's signature under --log-key, that every listed item
            and event has a receipt whose leaf hash matches (an item's artefact digests too) and no receipt is unlisted,
            that the events are the case's unbroken history and give exactly the listed items and status, and that the
            export event carries the manifest's SHA-256. Prints one line per check and per item and event; exit 0 only
            if everything passed, 1 if anything failed, 2 for bad usage.
            """,
            console,
            VerifyCaseCommand.RunAsync,
            Argument("FILE", "the case export FILE.zip"),
            Value("--log-key", "VKEY", "the log's key (required unless --policy names the log): " + VerifierKeyHelp),
            Repeated("--tsa-ca", "PEM", "the TSA's CA certificate(s) to trust (required); repeatable"),
            Value("--policy", "FILE", PolicyOption.Help),
            Flag("--verbose", "also print every receipt's steps")));

        root.Add(Command(
            "verify-watch",
            """
            Verifies a watch export offline, trusting only what you pin: every receipt in it (entry, inclusion proof,
            checkpoint signature, RFC 3161 timestamp, with --policy its witnesses' cosignatures), the timeline's signature
            under --log-key, that the watch-summary entry lists the timeline's digests, and that every slot naming a
            capture has that capture's receipt, tagged with this watch and slot and the HTTP status the timeline gives,
            and no other receipt is in it. Prints the checks, then the timeline, one line per slot; exit 0 only if
            everything passed, 1 if anything failed, 2 for bad usage.
            """,
            console,
            VerifyWatchCommand.RunAsync,
            Argument("FILE", "the watch export FILE.zip"),
            Value("--log-key", "VKEY", "the log's key (required unless --policy names the log): " + VerifierKeyHelp),
            Repeated("--tsa-ca", "PEM", "the TSA's CA certificate(s) to trust (required); repeatable"),
            Value("--policy", "FILE", PolicyOption.Help),
            Flag("--verbose", "also print every receipt's steps")));

        root.Add(Command(
            "keygen",
            """
            Creates an Ed25519 signed-note key pair named ORIGIN: DIR/log.key (private, mode 0600) and DIR/log.vkey (the
            verifier key, also printed). Refuses to overwrite existing keys.
            """,
            console,
            Sync(KeygenCommand.Run),
            Value("--name", "ORIGIN", "the key's name, the log's origin line (required)"),
            Value("--out", "DIR", "the folder to write the keys to (required)")));

        root.Add(Command(
            "audit",
            """
            Re-derives the whole ledger from its stored entries and checks it. With --data DIR (a stopped node's data
            folder): the hash chain, every tile and entry bundle, every checkpoint (signature under --key, or under
            DIR/keys/log.vkey when no key is pinned, and its root), the timestamp tokens, the index, the API keys and
            every blob's digest. With --postgres CONNSTR [--schema S] (a postgres-driver database, read in one
            read-only snapshot), --mirror DIR (an evidencectl mirror folder) or --url URL (a node's published
            tlog-tiles log), --key is required and the audit checks what that source holds, saying on "not checked"
            lines what it cannot. Prints the first problems precisely (file, entry, position). Exit 0 when clean, 1
            when a problem was found, 2 when the source cannot be read.
            """,
            console,
            DataCommands.AuditAsync,
            Value("--data", "DIR", "the node's data folder (the node must be stopped)"),
            Value("--postgres", "CONNSTR", "a postgres-driver database: an Npgsql connection string, never printed (keep the password in PGPASSWORD or ~/.pgpass)"),
            Value("--schema", "S", "with --postgres: the log's schema (default: the connection's search path)"),
            Value("--mirror", "DIR", "a mirror folder written by evidencectl mirror"),
            Value("--url", "URL", "a published log: the node's HTTP base URL (GET /checkpoint, /tile/...)"),
            Repeated("--tsa-ca", "PEM", "with --postgres: the TSA's CA certificate(s) for the tokens' chain (else imprint and signature only)"),
            Value("--key", "VKEY", VerifierKeyHelp),
            Value("--max-problems", "N", "stop after N problems (default 20)")));

        var witness = new Command("witness", "A C2SP witness that cosigns other parties' logs, for a court or mediation centre.");
        witness.Add(Command(
            "serve",
            """
            Runs a stand-alone C2SP tlog-witness: POST /add-checkpoint on --listen cosigns a checkpoint of a log given
            with --log only when the log's key signed it and it is consistent with the last checkpoint this witness
            cosigned for that log (consistency proof checked). The key (witness.key, mode 0600; witness.vkey) and the
            state live in --state; the key is created on first start, named --name. Prints the witness's vkey on stdout,
            which logs and verifiers pin. Unauthenticated by design: the log's signature authenticates a request.
            Stops with Ctrl+C or SIGTERM.
            """,
            console,
            WitnessCommands.ServeAsync,
            Value("--state", "DIR", "the witness's key and state folder (required; created 0700)"),
            Repeated("--log", "VKEY", "a log to witness: its verifier key (the node's keys/log.vkey), or a file with one per line; repeatable (required)"),
            Value("--name", "NAME", "the witness's name, such as court.example/witness (required the first time, to create the key)"),
            Value("--listen", "ADDR:PORT", $"the address to listen on (default {WitnessCommands.DefaultListen}; port 0 picks one)")));
        witness.Add(Command(
            "key",
            "Prints the witness's vkey from --state, creating the key first (named --name) when the folder has none.",
            console,
            Sync(WitnessCommands.Key),
            Value("--state", "DIR", "the witness's key and state folder (required)"),
            Value("--name", "NAME", "the witness's name, to create the key")));
        root.Add(witness);

        root.Add(Command(
            "mirror",
            """
            Copies the tlog-tiles log at URL (a node's HTTP port such as http://127.0.0.1:5081, any static server of a
            mirror, or a local folder) into DIR in the same layout: the checkpoint, every hash tile and every entry
            bundle, so that any static file server can serve DIR and evidencectl proof, consistency and checkpoint
            --log read it. Everything is verified first: the checkpoint's signature under --key, every tile against the
            checkpoint's root, every bundle against its tile, and that the log's new tree extends the one DIR holds
            (tiles only, no proof needed). Files go in place only once verified and the checkpoint last, so an
            interrupted run leaves DIR at its old checkpoint and the next run resumes. A log that rewrote history (a
            checkpoint that does not extend DIR's, the same size with another root, a tile that does not match) is
            refused: one REFUSED line naming the sizes and roots, exit 3, DIR unchanged, and the conflicting checkpoint
            (and tile) saved in DIR/conflicts/SIZE-ROOT/. Prints "mirrored: ..." or "up to date: ..." (exit 0); progress
            on stderr; exit 1 when the log cannot be read (after retries) or its checkpoint is not signed by --key.
            """,
            console,
            MirrorCommand.RunAsync,
            Argument("URL", "the log: an http(s) URL under which checkpoint and tile/ are, or a folder"),
            Argument("DIR", "the mirror's folder (created if missing)"),
            Value("--key", "VKEY", "the log's key (required): " + VerifierKeyHelp),
            Value("--concurrency", "N", "fetch at most N files at once (default 8)")));

        root.Add(Command(
            "reindex",
            "Deletes DIR/index.db and rebuilds it from the ledger files (leaf hashes and artefact digests).",
            console,
            DataCommands.ReindexAsync,
            Value("--data", "DIR", "the node's data folder (required; the node must be stopped)")));
    }

    /// <summary>
    /// One line per command where a parent lists its subcommands (<c>evidencectl --help</c> would otherwise be a wall of
    /// text); the command's own help still shows its full description.
    /// </summary>
    private static readonly Dictionary<string, string> Summaries = new(StringComparer.Ordinal)
    {
        ["proof"] = "Verifies entry INDEX against the node's latest checkpoint, trusting only --key.",
        ["proof inclusion"] = "Checks an inclusion proof given on the command line, offline.",
        ["proof consistency"] = "Checks a consistency proof given on the command line, offline.",
        ["note verify"] = "Verifies a C2SP signed note, such as a checkpoint, offline.",
        ["verify"] = "Verifies a receipt (.evidence.zip) offline, trusting only the keys you pin.",
        ["verify-case"] = "Verifies a case export offline, trusting only the keys you pin.",
        ["verify-watch"] = "Verifies a watch export offline, trusting only the keys you pin.",
        ["keygen"] = "Creates a log's signing key pair (log.key, mode 0600, and log.vkey).",
        ["audit"] = "Checks a whole log: a data folder, a database, a mirror or a published log.",
        ["reindex"] = "Rebuilds a stopped node's index.db from the ledger files.",
        ["witness serve"] = "Runs a stand-alone C2SP witness (POST /add-checkpoint) for the logs given.",
        ["witness key"] = "Prints (and first creates) a stand-alone witness's vkey.",
        ["mirror"] = "Copies a log into a folder, verified; refuses a rewritten history.",
        ["preserve"] = "Preserves files as ledger entries. [submitter]",
        ["capture"] = "Captures a web page (WARC, screenshot), or a list of them, as ledger entries. [submitter]",
        ["watch"] = "Watches: a URL captured at intervals, with a timeline.",
        ["job"] = "Capture jobs (capture --from): list, show, cancel.",
        ["entry"] = "Prints entry INDEX as the node serves it.",
        ["find"] = "Lists the entries that preserved a file or digest.",
        ["download"] = "Downloads an entry's artefact, checked against its digest. [submitter, case-manager, admin]",
        ["receipt"] = "Saves entry INDEX's receipt for offline verification.",
        ["certificate"] = "Saves entry INDEX's signed evidence certificate (PDF, the receipt inside).",
        ["checkpoint"] = "Prints the node's latest signed checkpoint.",
        ["consistency"] = "Verifies that the log at size OLD is a prefix of the log at size NEW.",
        ["case"] = "Cases: evidence grouped under a provable custody history.",
        ["case export"] = "Writes a case export zip for offline verification. [case-manager, admin]",
        ["watch export"] = "Writes a watch export zip (timeline and receipts) for offline verification.",
        ["keys create"] = "Creates an API key; its secret is shown only once. [admin]",
        ["keys list"] = "Lists every API key, without secrets. [admin]",
        ["keys revoke"] = "Revokes API key ID at once. [admin]",
    };

    /// <summary>
    /// Gives each command in <see cref="Summaries"/> its one-line summary and keeps the full description for the
    /// command's own help, which the help option prints in the summary's place.
    /// </summary>
    private static void ShortenListings(RootCommand root)
    {
        var details = new Dictionary<Command, string>();
        void Visit(Command command, string path)
        {
            if (Summaries.TryGetValue(path, out var summary) && command.Description is { } full)
            {
                details[command] = full;
                command.Description = summary;
            }

            foreach (var sub in command.Subcommands)
            {
                Visit(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}");
            }
        }

        Visit(root, string.Empty);
        var help = root.Options.OfType<System.CommandLine.Help.HelpOption>().Single();
        var standard = help.Action ?? throw new InvalidOperationException("the help option has no action");
        help.Action = new DetailedHelpAction(standard, details);
    }

    /// <summary>Prints the standard help with the command's full description instead of its one-line summary.</summary>
    private sealed class DetailedHelpAction(CommandLineAction standard, Dictionary<Command, string> details) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var command = parseResult.CommandResult.Command;
            if (!details.TryGetValue(command, out var full))
            {
                return Run(parseResult);
            }

            var summary = command.Description;
            command.Description = full;
            try
            {
                return Run(parseResult);
            }
            finally
            {
                command.Description = summary;
            }
        }

        private int Run(ParseResult parseResult) => standard switch
        {
            SynchronousCommandLineAction synchronous => synchronous.Invoke(parseResult),
            _ => throw new InvalidOperationException("the standard help action is not synchronous"),
        };
    }

    private static Option<string> Global(string name, string valueName, string description) =>
        new(name) { Description = description, HelpName = valueName, Recursive = true };

    private static Option<string> Value(string name, string valueName, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, HelpName = valueName };

    private static Option<string[]> Repeated(string name, string valueName, string description) =>
        new(name) { Description = description, HelpName = valueName, Arity = ArgumentArity.OneOrMore };

    private static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    private static Argument<string> Argument(string name, string description, bool optional = false) =>
        new(name) { Description = description, Arity = optional ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne };

    private static Func<Arguments, CliConsole, Task<int>> Sync(Func<Arguments, CliConsole, int> run) =>
        (args, console) => Task.FromResult(run(args, console));

    /// <summary>A command whose action runs <paramref name="run"/>; a <see cref="UsageException"/> prints one line and exits 2.</summary>
    private static Command Command(string name, string description, CliConsole console, Func<Arguments, CliConsole, Task<int>> run, params Symbol[] symbols)
    {
        var command = new Command(name, description.ReplaceLineEndings(" ").Trim());
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Add(option);
                    break;
                case Argument argument:
                    command.Add(argument);
                    break;
                default:
                    throw new ArgumentException($"cannot add a {symbol.GetType().Name} to a command", nameof(symbols));
            }
        }

        command.SetAction(async (parsed, _) =>
        {
            try
            {
                return await run(new Arguments(parsed), console);
            }
            catch (UsageException e)
            {
                await console.Error.WriteLineAsync($"evidencectl: {e.Message}");
                return ExitCode.Usage;
            }
        });
        return command;
    }
}
