using EvidenceChain.Ledger;
using EvidenceChain.Cli.Client;
using EvidenceChain.Core.Notes;
using EvidenceChain.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>audit</c> and <c>reindex</c>: work on a data folder (which must not be in use by a node).</summary>
internal static class DataCommands
{
    public static async Task<int> AuditAsync(Arguments args, CliConsole console)
    {
        var path = args.Required("data");
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

        using var folder = OpenFolder(path);
        var report = await LedgerAuditor.RunAsync(folder, key, max);
        foreach (var note in report.Notes)
        {
            await console.Error.WriteLineAsync($"note: {note}");
        }

        if (report.IsClean)
        {
            await console.Out.WriteLineAsync(
                $"audit clean: {report.Origin} — {report.Entries} entries, root {report.Root}; {report.Checkpoints} checkpoints, {report.Tiles} tiles and bundles, {report.Timestamps} timestamp tokens, {report.Blobs} blobs, {report.ApiKeys} API keys checked{(key is null ? " (key from the data folder; pin one with --key)" : string.Empty)}");
            return ExitCode.Verified;
        }

        await console.Out.WriteLineAsync($"audit FAILED: {report.Problems[0]}");
        foreach (var problem in report.Problems.Skip(1))
        {
            await console.Out.WriteLineAsync($"  also: {problem}");
        }

        return ExitCode.Failed;
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
