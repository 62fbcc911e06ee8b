using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;
using EvidenceChain.Cli.Client;
using EvidenceChain.Core.Notes;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>checkpoint [--key VKEY]</c>: the node's latest signed checkpoint, verified when a key is pinned.</summary>
internal static class CheckpointCommand
{
    public static async Task<int> RunAsync(Arguments args, CliConsole console)
    {
        var key = LogKeyOption.Read(args);
        if (LogOption.Read(args) is { } source)
        {
            return await LogOption.RunAsync(source, console, async log =>
            {
                var note = await log.CheckpointAsync(console.Cancellation);
                var opened = key is null ? null : CheckpointNote.Open(note, key);
                var end = note.IndexOf("\n\n", StringComparison.Ordinal);
                var body = opened?.Checkpoint ?? (end >= 0 && Core.Notes.Checkpoint.TryParse(note[..(end + 1)], out var parsed, out _) ? parsed : null);
                if (args.Flag("json"))
                {
                    await JsonOutput.WriteAsync(console, new JsonObject
                    {
                        ["signedNote"] = note,
                        ["origin"] = body?.Origin,
                        ["treeSize"] = body?.Size,
                        ["rootHash"] = body?.Root.ToString(),
                        ["verified"] = opened?.IsValid,
                        ["detail"] = opened?.Message,
                        ["log"] = log.Name,
                    });
                }
                else
                {
                    await console.Out.WriteAsync(note);
                    if (opened is not null)
                    {
                        await console.Error.WriteLineAsync(opened.IsValid ? $"verified: {opened.Checkpoint}" : $"FAILED: {opened.Message}");
                    }
                }

                return opened is null || opened.IsValid ? ExitCode.Verified : ExitCode.Failed;
            });
        }

        var settings = NodeSettings.Read(args, console);
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var checkpoint = await node.Log.GetCheckpointAsync(new GetCheckpointRequest(), node.Options);
            var opened = key is null ? null : CheckpointNote.Open(checkpoint.SignedNote, key);
            if (settings.Json)
            {
                await JsonOutput.WriteAsync(console, new JsonObject
                {
                    ["signedNote"] = checkpoint.SignedNote,
                    ["origin"] = checkpoint.Origin,
                    ["treeSize"] = checkpoint.TreeSize,
                    ["rootHash"] = NodeHashes.Parse(checkpoint.RootHash, "root hash").ToString(),
                    ["verified"] = opened?.IsValid,
                    ["detail"] = opened?.Message,
                });
            }
            else
            {
                await console.Out.WriteAsync(checkpoint.SignedNote);
                if (opened is not null)
                {
                    await console.Error.WriteLineAsync(opened.IsValid ? $"verified: {opened.Checkpoint}" : $"FAILED: {opened.Message}");
                }
            }

            return opened is null || opened.IsValid ? ExitCode.Verified : ExitCode.Failed;
        });
    }
}
