using EvidenceChain.Ledger;
using EvidenceChain.Cli.Audit;
using EvidenceChain.Cli.Client;
using EvidenceChain.Cli.Tiles;
using EvidenceChain.Core.Notes;
using EvidenceChain.Storage;
using EvidenceChain.Storage.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>audit</c> and <c>reindex</c>: work on a data folder (which must not be in use by a node).</summary>
internal static class DataCommands
{
    public static async Task<int> AuditAsync(Arguments args, CliConsole console)
    {
        string[] sources = ["data", "mirror", "url", "postgres"];
        var given = sources.Where(s => args.Optional(s) is not null).ToList();
        if (given.Count != 1)
        {
            throw new UsageException(given.Count == 0
                ? "--data is required (or audit another source: --postgres CONNSTR, --mirror DIR or --url URL)"
                : "give only one of --data DIR, --postgres CONNSTR, --mirror DIR or --url URL");
        }

        if (args.Optional("schema") is not null && given[0] != "postgres")
        {
            throw new UsageException("--schema goes with --postgres");
        }

        if (args.All("tsa-ca").Count > 0 && given[0] is "data" or "mirror" or "url")
        {
            throw new UsageException(given[0] == "data"
                ? "--tsa-ca goes with --postgres (a data folder's audit pins keys/tsa-ca.pem)"
                : "--tsa-ca goes with --postgres (a mirror or a published log holds no tokens)");
        }

        var keyText = args.Optional("key") is { } k ? KeyArgument.Read("--key", k) : null;
        var max = args.Optional("max-problems") is { } m
            ? int.TryParse(m, out var n) && n > 0 ? n : throw new UsageException("--max-problems must be a positive number")
            : 20;
        NoteVerifier? key = null;
        if (keyText is not null)
        {
            try
            {
                key = NoteVerifier.Parse(keyText);
            }
            catch (FormatException e)
            {
                throw new UsageException($"--key is not a verifier key: {e.Message}");
            }
        }

        if (given[0] == "data")
        {
            using var folder = OpenFolder(args.Required("data"));
            var folderReport = await LedgerAuditor.RunAsync(folder, key, max);
            return await PrintAsync(folderReport, [], key is null ? " (key from the data folder; pin one with --key)" : string.Empty, console);
        }

        if (key is null)
        {
            throw new UsageException($"--{given[0]} needs --key VKEY: the log's verifier key, pinned (the source is not trusted)");
        }

        var tsa = args.All("tsa-ca") is { Count: > 0 } cas ? new TsaAudit.Result([.. VerifyCommand.ReadCas(cas)], [], null) : null;
        try
        {
            switch (given[0])
            {
                case "postgres":
                {
                    await using var database = await PostgresAuditSource.OpenAsync(args.Required("postgres"), args.Optional("schema"), CancellationToken.None);
                    var report = await LedgerAuditor.RunAsync(database, key, tsa, max);
                    return await PrintAsync(report, database.NotChecked, string.Empty, console);
                }

                default:
                {
                    var location = args.Required(given[0]);
                    var overHttp = given[0] == "url";
                    if (overHttp != (location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
                    {
                        throw new UsageException(overHttp
                            ? $"--url \"{location}\" is not an http(s) URL (a mirror folder goes with --mirror)"
                            : $"--mirror \"{location}\" is a URL (a published log goes with --url)");
                    }

                    using var tiles = TileSource.Open(location, "--" + given[0]);
                    var source = new TiledAuditSource(tiles, overHttp);
                    var report = await LedgerAuditor.RunAsync(source, key, tsa, max);
                    return await PrintAsync(report, source.NotChecked, string.Empty, console);
                }
            }
        }
        catch (AuditSourceException e)
        {
            // Unreachable, refused or unreadable: the source could not be audited at all (exit 2, one line).
            throw new UsageException(e.Message);
        }
    }

    private static async Task<int> PrintAsync(AuditReport report, IReadOnlyList<string> notChecked, string keySuffix, CliConsole console)
    {
        foreach (var note in report.Notes)
        {
            await console.Error.WriteLineAsync($"note: {note}");
        }

        if (report.IsClean)
        {
            await console.Out.WriteLineAsync(
                $"audit clean: {report.Origin} — {report.Entries} entries, root {report.Root}; {report.Checkpoints} checkpoints, {report.Tiles} tiles and bundles, {report.Timestamps} timestamp tokens, {report.Blobs} blobs, {report.ApiKeys} API keys checked{keySuffix}");
        }
        else
        {
            await console.Out.WriteLineAsync($"audit FAILED: {report.Problems[0]}");
            foreach (var problem in report.Problems.Skip(1))
            {
                await console.Out.WriteLineAsync($"  also: {problem}");
            }
        }

        foreach (var what in notChecked.Concat(report.NotChecked))
        {
            await console.Out.WriteLineAsync($"  not checked: {what}");
        }

        return report.IsClean ? ExitCode.Verified : ExitCode.Failed;
    }

    public static async Task<int> ReindexAsync(Arguments args, CliConsole console)
    {
        var path = args.Required("data");
        if (!Directory.Exists(path))
        {
            throw new UsageException($"{path}: no such data folder");
        }

        // FileLedger.OpenAsync creates whatever is missing: a fresh ledger in any folder, and a fresh log key
        // beside a ledger whose key was lost. Reindex only rebuilds the index, so it needs both to exist.
        if (!File.Exists(Path.Combine(path, "log", "checkpoint")))
        {
            throw new UsageException($"{path} is not a ledger data folder (it has no log/checkpoint)");
        }

        if (!File.Exists(Path.Combine(path, "keys", LogKeyFiles.PrivateKeyFile)))
        {
            await console.Out.WriteLineAsync(
                $"FAILED: keys/{LogKeyFiles.PrivateKeyFile} is missing, so the ledger cannot be opened to rebuild its index (run evidencectl audit)");
            return ExitCode.Failed;
        }

        try
        {
            await using var ledger = await FileLedger.OpenAsync(
                path, origin: null, new LedgerOptions(), TimeProvider.System, NullLoggerFactory.Instance, rebuildIndex: true);

            // The index is rebuilt in the background while the ledger is open: wait for all of it.
            if (!await ledger.Ledger.WaitForIndexAsync(ledger.Ledger.Size, Timeout.InfiniteTimeSpan))
            {
                await console.Out.WriteLineAsync($"FAILED: writing index.db failed after {ledger.Ledger.IndexedSize} of {ledger.Ledger.Size} entries");
                return ExitCode.Failed;
            }

            ledger.Driver.FlushIndex();
            await console.Out.WriteLineAsync($"reindexed {ledger.Index.IndexedSize} entries of {ledger.Ledger.Origin}");
            return ExitCode.Verified;
        }
        catch (DataFolderLockedException e)
        {
            throw new UsageException(e.Message);
        }
        catch (Exception e) when (e is LedgerCorruptException or InvalidDataException)
        {
            await console.Out.WriteLineAsync($"FAILED: the ledger is damaged, so the index cannot be rebuilt: {e.Message} (run evidencectl audit)");
            return ExitCode.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // For example a folder where a tile or index.db should be.
            await console.Out.WriteLineAsync($"FAILED: the index cannot be rebuilt: {e.Message} (run evidencectl audit)");
            return ExitCode.Failed;
        }
    }

    private static DataFolder OpenFolder(string path)
    {
        try
        {
            return DataFolder.Open(path, create: false);
        }
        catch (DirectoryNotFoundException)
        {
            throw new UsageException($"{path}: no such data folder");
        }
        catch (DataFolderLockedException e)
        {
            throw new UsageException(e.Message);
        }
        catch (ArgumentException)
        {
            // Empty, white space, or a NUL character.
            throw new UsageException($"--data \"{path}\" is not a folder name");
        }
    }
}
