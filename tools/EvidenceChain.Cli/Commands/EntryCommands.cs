using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;
using EvidenceChain.Cli.Client;
using EvidenceChain.Core;
using EvidenceChain.Core.Digests;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>entry INDEX</c> and <c>find FILE | --sha256 HEX | --sm3 HEX</c>: read entries from a node (public).</summary>
internal static class EntryCommands
{
    public static async Task<int> EntryAsync(Arguments args, CliConsole console)
    {
        var settings = NodeSettings.Read(args, console);
        var index = Arguments.ParseUInt64("INDEX", args.Positional.FirstOrDefault() ?? throw new UsageException("entry needs an INDEX"));
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var entry = await node.Evidence.GetEntryAsync(new GetEntryRequest { Index = index }, node.Options);
            if (settings.Json)
            {
                await JsonOutput.WriteAsync(console, EntryFormat.ToJson(entry));
            }
            else
            {
                await EntryFormat.WriteTextAsync(console.Out, entry);
            }

            return ExitCode.Verified;
        });
    }

    public static async Task<int> FindAsync(Arguments args, CliConsole console)
    {
        var settings = NodeSettings.Read(args, console);
        var sha256 = args.Optional("sha256");
        var sm3 = args.Optional("sm3");
        var file = args.Positional.FirstOrDefault();
        if ((file is null ? 0 : 1) + (sha256 is null ? 0 : 1) + (sm3 is null ? 0 : 1) != 1)
        {
            throw new UsageException("find needs exactly one of FILE, --sha256 HEX and --sm3 HEX");
        }

        var request = new FindEntriesRequest { Limit = 1000 };
        string algorithm;
        Hash digest;
        if (sm3 is not null)
        {
            (algorithm, digest) = ("SM3", Arguments.ParseHash("sm3", sm3));
            request.Sm3 = digest.ToString();
        }
        else
        {
            (algorithm, digest) = ("SHA-256", sha256 is not null
                ? Arguments.ParseHash("sha256", sha256)
                : await HashFileAsync(file ?? string.Empty, console.Cancellation));
            request.Sha256 = digest.ToString();
        }

        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var found = await node.Evidence.FindEntriesAsync(request, node.Options);
            if (settings.Json)
            {
                await JsonOutput.WriteAsync(console, new JsonObject
                {
                    ["algorithm"] = algorithm,
                    ["digest"] = digest.ToString(),
                    ["entries"] = new JsonArray([.. found.Entries.Select(EntryFormat.ToJson)]),
                });
            }
            else if (found.Entries.Count == 0)
            {
                await console.Out.WriteLineAsync($"no entry lists an artefact with {algorithm} {digest}");
            }
            else
            {
                foreach (var entry in found.Entries)
                {
                    await console.Out.WriteLineAsync(EntryFormat.Summary(entry));
                }
            }

            return found.Entries.Count > 0 ? ExitCode.Verified : ExitCode.Failed;
        });
    }

    private static async Task<Hash> HashFileAsync(string path, CancellationToken ct)
    {
        var info = LocalFiles.Existing(path);
        try
        {
            await using var content = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            using var hasher = new ArtefactHasher(withSm3: false);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
            }

            return hasher.Finish().Sha256;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {path}: {e.Message}");
        }
    }
}
