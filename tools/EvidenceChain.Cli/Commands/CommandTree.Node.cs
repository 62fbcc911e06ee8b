using System.CommandLine;

namespace EvidenceChain.Cli.Commands;

/// <summary>The node client's commands; the role a call needs is at the end of each description.</summary>
internal static partial class CommandTree
{
    private static void AddNode(RootCommand root, CliConsole console)
    {
        root.Add(Command(
            "preserve",
            """
            Preserves each FILE as a new ledger entry. The SHA-256 is computed first and sent with the metadata, so the
            node refuses the upload, keeping nothing, if the file changed while it was sent. Prints each file's entry
            index and leaf hash once the entry is durable. The media type is guessed from the extension unless given;
            --title, --description and --media-type apply to every FILE. Stops at the first file that fails.
            [submitter]
            """,
            console,
            PreserveCommand.RunAsync,
            new Argument<string[]>("FILE") { Description = "the files to preserve", Arity = ArgumentArity.OneOrMore },
            Value("--title", "T", "a title for the entries"),
            Value("--description", "D", "a description for the entries"),
            Value("--media-type", "M", "the media type (default: guessed from the extension, else application/octet-stream)"),
            Value("--receipts", "DIR", "wait until each entry's checkpoint is timestamped and write its receipt to DIR/entry-INDEX.evidence.zip (DIR is created if missing)")));

        root.Add(Command(
            "capture",
            """
            The node fetches URL itself (guarded against internal addresses), records the exchange with TLS, DNS and
            environment records in one WARC file, renders the page in its browser when it has one, and preserves it all
            as a webpage entry. Prints the entry index, leaf hash, final URL, HTTP status and the artefacts with their
            digests. A capture that failed under way is recorded as a failed webpage entry with the reason (exit 1); a
            URL refused up front (PERMISSION_DENIED) records nothing. [submitter]
            """,
            console,
            CaptureCommand.RunAsync,
            Argument("URL", "the http:// or https:// address to capture", optional: true),
            Value("--from", "FILE", "capture every URL in FILE (one a line; # starts a comment) as one capture job: a progress bar on a terminal, a line per URL otherwise, then a summary; exit 1 when any failed"),
            Value("--case", "ID", "with --from: attach each entry to case ID"),
            Flag("--no-browser", "record the HTTP exchange only, without rendering the page"),
            Flag("--private-url", "keep the URL out of the public log: the leaf holds url, final-url, remote-ip and failure as salted commitments, revealed only to keys that may see the entry")));

        root.Add(JobCommand(console));
        root.Add(WatchCommand(console));

        root.Add(Command(
            "entry",
            """
            Prints entry INDEX as the node serves it: leaf hash, time, kind, submitter, attributes and artefacts with
            their digests (--json adds the verbatim leaf, labelled as base64). To check it, run evidencectl proof INDEX.
            """,
            console,
            EntryCommands.EntryAsync,
            Argument("INDEX", "the entry's index")));

        root.Add(Command(
            "find",
            """
            Lists the entries (oldest first, at most 1,000) that preserved an artefact with this digest: the SHA-256 of
            FILE (computed locally; FILE is not sent), or the digest given. Give exactly one of FILE, --sha256 and --sm3.
            Exit 0 when at least one entry lists it, 1 when none does.
            """,
            console,
            EntryCommands.FindAsync,
            Argument("FILE", "a local file whose SHA-256 to look up", optional: true),
            Value("--sha256", "HEX", "look up this SHA-256 (64 hex digits)"),
            Value("--sm3", "HEX", "look up this SM3 digest (64 hex digits)")));

        root.Add(Command(
            "download",
            """
            Downloads artefact NAME of entry INDEX to FILE. The content goes to a temporary file in FILE's folder and
            becomes FILE only when its SHA-256 and size match the entry's listing; otherwise nothing is written and the
            exit code is 1. [a submitter for its own entries; case-manager or admin for any]
            """,
            console,
            DownloadCommand.RunAsync,
            Argument("INDEX", "the entry's index"),
            Argument("NAME", "the artefact's name, as evidencectl entry lists it"),
            Value("--output", "FILE", "the file to write (required)", "-o"),
            Flag("--force", "replace an existing FILE")));

        root.Add(Command(
            "receipt",
            """
            Saves entry INDEX's receipt: entry.json, proof.tlog-proof (the inclusion proof at the newest checkpoint
            covering the entry that its witnesses' quorum cosigned, else at the earliest timestamped one; run it again
            later for a cosigned one), checkpoint.txt and checkpoint.tsr (its RFC 3161 token), trust/ (copies of the log
            key and TSA chain) and VERIFY.txt. Check it anywhere, offline, with evidencectl verify FILE --log-key VKEY
            --tsa-ca PEM [--policy FILE]. Needs no key without --with-artefacts.
            """,
            console,
            ReceiptCommand.RunAsync,
            Argument("INDEX", "the entry's index"),
            Value("--output", "FILE.evidence.zip", "the file to write (required)", "-o"),
            Flag("--with-artefacts", "also put the entry's files under artefacts/ (needs a key that may download them); each is checked against the entry's SHA-256"),
            Flag("--no-wait", "fail (exit 1) instead of waiting when no timestamped checkpoint covers the entry yet"),
            Flag("--force", "replace an existing FILE")));

        root.Add(Command(
            "certificate",
            """
            Saves entry INDEX's evidence certificate (电子数据保全证书): a bilingual PDF stating what was preserved, when,
            where and by whom, with a QR code of the entry's verification page, the entry's receipt embedded (pdfdetach
            -saveall FILE extracts it for evidencectl verify) and the node's signature (PAdES B-T; check it with pdfsig
            FILE). Needs no key without --with-artefacts.
            """,
            console,
            CertificateCommand.RunAsync,
            Argument("INDEX", "the entry's index"),
            Value("--output", "FILE.pdf", "the file to write (required)", "-o"),
            Flag("--with-artefacts", "also state what only the artefacts show: a web page's screenshot, TLS certificate and capture environment (needs a key that may download them)"),
            Flag("--force", "replace an existing FILE")));

        root.Add(Command(
            "checkpoint",
            """
            Prints the node's latest checkpoint, a C2SP signed note (origin, tree size, root hash, signatures), on
            stdout, ready for evidencectl note verify. With --key the signature is checked too: "verified: ..." on
            stderr and exit 0, or "FAILED: ..." and exit 1 (the note is still printed, for the record).
            """,
            console,
            CheckpointCommand.RunAsync,
            Value("--key", "VKEY", "pin the log's key: " + VerifierKeyHelp),
            Value("--log", "URL|DIR", LogOption.Help)));

        root.Add(Command(
            "consistency",
            """
            Fetches and verifies the consistency proof that the tree of OLD entries is a prefix of the tree of NEW
            entries (1 <= OLD <= NEW), and ties NEW's root to the latest checkpoint, whose signature is checked under
            --key (SKIP without it). Prints the roots and each step, then "verified: ..." (exit 0) or "FAILED: ..."
            (exit 1). Compare the OLD root printed with one you kept.
            """,
            console,
            LogConsistencyCommand.RunAsync,
            Argument("OLD", "the older tree size"),
            Argument("NEW", "the newer tree size, or \"latest\""),
            Value("--key", "VKEY", "pin the log's key: " + VerifierKeyHelp),
            Value("--log", "URL|DIR", LogOption.Help)));

        root.Add(CaseCommand(console));
        root.Add(KeysCommand(console));
    }

    private static Command JobCommand(CliConsole console)
    {
        var job = new Command("job", "Capture jobs on a node (evidencectl capture --from, POST /v1/captures:batch): list them, show one URL by URL, cancel the pending URLs of one.");
        Func<Arguments, CliConsole, Task<int>> Run(string name) => (args, c) => JobCommands.RunAsync(name, args, c);
        job.Add(Command("list", "Lists your capture jobs (an admin: all), oldest first, with their counts. [submitter, case-manager, admin]", console, Run("list")));
        job.Add(Command("show", "Prints capture job ID and one line per URL. [submitter, case-manager, admin]", console, Run("show"), Argument("ID", "the job's ID")));
        job.Add(Command(
            "cancel",
            "Cancels the pending URLs of capture job ID: they are never captured; URLs under way finish. [submitter, admin]",
            console,
            Run("cancel"),
            Argument("ID", "the job's ID")));
        return job;
    }

    private static Command WatchCommand(CliConsole console)
    {
        var watch = new Command(
            "watch",
            "Watches on a node: a URL captured every N minutes until a date, each capture an entry, with a timeline (first-seen, unchanged, changed, gone, back, missed) and a signed watch-summary entry at the end.");
        Func<Arguments, CliConsole, Task<int>> Run(string name) => (args, c) => WatchCommands.RunAsync(name, args, c);
        watch.Add(Command(
            "add",
            "Watches URL: captures it now and every --every minutes until --until. [submitter, admin]",
            console,
            Run("add"),
            Argument("URL", "the http:// or https:// address to watch"),
            Value("--every", "N", "minutes between captures, at least 1 (required)"),
            Value("--until", "TIME", "RFC 3339 time with its offset after which nothing is captured, e.g. 2026-12-31T23:59:00Z, or a date (to the end of that day, UTC) (required)"),
            Value("--case", "ID", "attach each capture to case ID"),
            Flag("--no-browser", "record the HTTP exchange only, without rendering the page")));
        watch.Add(Command("list", "Lists your watches (an admin: all). [any role]", console, Run("list")));
        watch.Add(Command("show", "Prints watch ID and its timeline, one line per slot. [any role]", console, Run("show"), Argument("ID", "the watch's ID")));
        watch.Add(Command("stop", "Stops watch ID and appends its watch-summary entry. [submitter, admin]", console, Run("stop"), Argument("ID", "the watch's ID")));
        watch.Add(Command(
            "export",
            """
            Writes one zip with the watch's signed timeline, the receipt of the watch-summary entry that fixes it and the
            receipt of every capture it names; check it offline with evidencectl verify-watch FILE.zip --log-key VKEY
            --tsa-ca PEM. A running watch gets a new summary entry of the slots so far, made for this export, and goes
            on. [submitter: own watches, case-manager, admin]
            """,
            console,
            Run("export"),
            Argument("ID", "the watch's ID"),
            Value("--output", "FILE.zip", "the file to write (required)", "-o"),
            Flag("--force", "replace an existing FILE")));
        return watch;
    }

    private static Command CaseCommand(CliConsole console)
    {
        var cases = new Command(
            "case",
            "Cases on a node. Every change is recorded in the ledger as a case-event entry, so the case's custody history is provable; each command prints the entry's index.");
        Func<Arguments, CliConsole, Task<int>> Run(string name) => (args, c) => CaseCommands.RunAsync(name, args, c);
        cases.Add(Command(
            "create",
            "Opens a new case. [case-manager, admin]",
            console,
            Run("create"),
            Value("--title", "T", "the case's title (required)"),
            Value("--reference", "R", "your reference for the case, such as a file number"),
            Repeated("--party", "ROLE:NAME", "a party, e.g. claimant:Li Wei (ROLE is a word of a-z, 0-9 and '-'); repeatable")));
        cases.Add(Command("show", "Prints a case: parties, items and its event history. [any role]", console, Run("show"), Argument("ID", "the case's ID")));
        cases.Add(Command(
            "list",
            "Lists the cases. [any role]",
            console,
            Run("list"),
            Value("--status", "open|closed", "only the open or the closed cases"),
            Value("--query", "Q", "only the cases whose title, reference or a party's name contains Q (any case)")));
        cases.Add(Command(
            "attach",
            "Attaches entry INDEX to case ID. [case-manager, admin; a submitter its own evidence]",
            console,
            Run("attach"),
            Argument("ID", "the case's ID"),
            Argument("INDEX", "the entry's index")));
        cases.Add(Command(
            "detach",
            "Detaches entry INDEX from case ID. [case-manager, admin]",
            console,
            Run("detach"),
            Argument("ID", "the case's ID"),
            Argument("INDEX", "the entry's index"),
            Value("--reason", "R", "why, recorded in the event")));
        cases.Add(Command(
            "note",
            "Adds a note to case ID. [case-manager, admin]",
            console,
            Run("note"),
            Argument("ID", "the case's ID"),
            Argument("TEXT", "the note")));
        cases.Add(Command(
            "close",
            "Closes case ID. [case-manager, admin]",
            console,
            Run("close"),
            Argument("ID", "the case's ID"),
            Value("--reason", "R", "why, recorded in the event")));
        cases.Add(Command(
            "export",
            """
            Writes one zip with every item's and event's receipt and the case manifest signed by the node; check it
            offline with evidencectl verify-case FILE.zip --log-key VKEY --tsa-ca PEM. [case-manager, admin]
            """,
            console,
            Run("export"),
            Argument("ID", "the case's ID"),
            Value("--output", "FILE.zip", "the file to write (required)", "-o"),
            Flag("--force", "replace an existing FILE")));
        return cases;
    }

    private static Command KeysCommand(CliConsole console)
    {
        var keys = new Command("keys", "API key administration. [admin]");
        keys.Add(Command(
            "create",
            """
            Creates an API key and prints its secret, <id>.<secret>: it is shown only this once (the node keeps only its
            hash). With --out the secret goes to FILE (mode 0600) instead of stdout; use it with --api-key FILE.
            Submitters preserve and download their own evidence; case managers may download any artefact; admins also
            manage keys. [admin]
            """,
            console,
            KeysCommands.CreateAsync,
            Value("--role", "ROLE", "submitter, case-manager or admin (required)"),
            Value("--description", "D", "what the key is for"),
            Value("--out", "FILE", "write the secret to FILE (a new file, mode 0600) rather than stdout"),
            Flag("--force", "with --out, replace an existing FILE")));
        keys.Add(Command(
            "list",
            "Lists every API key, oldest first: id, role, created, revoked (or \"valid\") and description. Secrets are never shown. [admin]",
            console,
            KeysCommands.ListAsync));
        keys.Add(Command(
            "revoke",
            "Revokes API key ID at once. The last valid admin key cannot be revoked, and revoking a key twice is an error. [admin]",
            console,
            KeysCommands.RevokeAsync,
            Argument("ID", "the key's ID, as keys list shows it")));
        return keys;
    }
}
