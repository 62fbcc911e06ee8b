using System.Globalization;
using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;
using EvidenceChain.Cli.Client;
using EvidenceChain.Cli.Tiles;
using EvidenceChain.Core;

namespace EvidenceChain.Cli.Commands;

/// <summary>
/// <c>consistency OLD NEW [--key VKEY]</c>: fetches the consistency proof between two tree sizes and checks it
/// offline, tying the newer root to the latest checkpoint (a second proof when NEW is not the latest size).
/// </summary>
internal static class LogConsistencyCommand
{
    public static async Task<int> RunAsync(Arguments args, CliConsole console)
    {
        var key = LogKeyOption.Read(args);
        if (args.Positional.Count < 2)
        {
            throw new UsageException("consistency needs OLD and NEW tree sizes (NEW may be \"latest\")");
        }

        var size1 = Arguments.ParseUInt64("OLD", args.Positional[0]);
        var size2 = args.Positional[1] == "latest" ? (ulong?)null : Arguments.ParseUInt64("NEW", args.Positional[1]);
        if (size2 == 0)
        {
            throw new UsageException("NEW must be at least 1 (or \"latest\")");
        }

        if (LogOption.Read(args) is { } source)
        {
            return await LogOption.RunAsync(source, console, log => FromTilesAsync(log, size1, size2, key, args.Flag("json"), console));
        }

        var settings = NodeSettings.Read(args, console);

        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var checkpoint = await node.Log.GetCheckpointAsync(new GetCheckpointRequest(), node.Options);
            var newSize = size2 ?? checkpoint.TreeSize;
            var proof = await node.Log.GetConsistencyProofAsync(
                new GetConsistencyProofRequest { Size1 = size1, Size2 = newSize }, node.Options);
            if (newSize > checkpoint.TreeSize)
            {
                // The log grew after the checkpoint was fetched; the newer one covers NEW.
                checkpoint = await node.Log.GetCheckpointAsync(new GetCheckpointRequest(), node.Options);
            }

            var report = new StepReport();
            var signed = LogKeyOption.Open(checkpoint.SignedNote, key, report);
            var root1 = NodeHashes.Parse(proof.Root1, "root1");
            var root2 = NodeHashes.Parse(proof.Root2, "root2");
            if (signed is not null)
            {
                Check(report, size1, newSize, root1, root2, NodeHashes.Parse(proof.Hashes, "consistency proof"));
            }

            if (signed is not null && report.IsValid)
            {
                if (newSize == signed.Size)
                {
                    report.Add("checkpoint root", root2 == signed.Root, root2 == signed.Root
                        ? string.Create(CultureInfo.InvariantCulture, $"the root of size {signed.Size} is the checkpoint's")
                        : $"the node's root {root2} is not the checkpoint's root {signed.Root}");
                }
                else
                {
                    var toLatest = await node.Log.GetConsistencyProofAsync(
                        new GetConsistencyProofRequest { Size1 = newSize, Size2 = signed.Size }, node.Options);
                    Check(report, newSize, signed.Size, root2, signed.Root, NodeHashes.Parse(toLatest.Hashes, "consistency proof"));
                }
            }

            return await WriteAsync(console, settings.Json, report, size1, root1, newSize, root2, checkpoint.SignedNote, key, null);
        });
    }

    /// <summary>The same checks with the roots and proofs folded from the log's tiles (<c>--log</c>), against its signed checkpoint.</summary>
    private static async Task<int> FromTilesAsync(TiledLog log, ulong size1, ulong? size2, Core.Notes.NoteVerifier? key, bool json, CliConsole console)
    {
        var cancellation = console.Cancellation;
        var note = await log.CheckpointAsync(cancellation);
        var report = new StepReport();
        var signed = LogKeyOption.Open(note, key, report);
        if (signed is null)
        {
            return await report.WriteAsync(console, json, string.Empty, new JsonObject { ["checkpoint"] = note });
        }

        var newSize = size2 ?? signed.Size;
        if (newSize > signed.Size || size1 > newSize)
        {
            await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"evidencectl: need 1 <= OLD <= NEW <= {signed.Size}, the size of the checkpoint of {log.Name}; got OLD {size1}, NEW {newSize}"));
            return ExitCode.Failed;
        }

        var tree = log.Tree(signed.Size);
        var root1 = await tree.RootAsync(size1, cancellation);
        var root2 = await tree.RootAsync(newSize, cancellation);
        Check(report, size1, newSize, root1, root2, await tree.ProofAsync(Core.Merkle.ProofPlan.Consistency(size1, newSize), cancellation));
        if (report.IsValid)
        {
            if (newSize == signed.Size)
            {
                report.Add("checkpoint root", root2 == signed.Root, root2 == signed.Root
                    ? string.Create(CultureInfo.InvariantCulture, $"the root of size {signed.Size} is the checkpoint's")
                    : $"the tiles' root {root2} is not the checkpoint's root {signed.Root}");
            }
            else
            {
                Check(report, newSize, signed.Size, root2, signed.Root, await tree.ProofAsync(Core.Merkle.ProofPlan.Consistency(newSize, signed.Size), cancellation));
            }
        }

        return await WriteAsync(console, json, report, size1, root1, newSize, root2, note, key, log.Name);
    }

    private static async Task<int> WriteAsync(CliConsole console, bool json, StepReport report, ulong size1, Hash root1, ulong size2, Hash root2, string note, Core.Notes.NoteVerifier? key, string? log)
    {
        var document = new JsonObject
        {
            ["size1"] = size1,
            ["root1"] = root1.ToString(),
            ["size2"] = size2,
            ["root2"] = root2.ToString(),
            ["checkpoint"] = note,
        };
        if (log is not null)
        {
            document["log"] = log;
        }

        if (!json)
        {
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"size {size1} root {root1}"));
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"size {size2} root {root2}"));
        }

        return await report.WriteAsync(console, json, string.Create(CultureInfo.InvariantCulture,
            $"the tree of size {size1} is a prefix of the tree of size {size2}{(log is null ? string.Empty : $", read from {log}")}{(key is null ? ", signature NOT checked" : string.Empty)}"), document);
    }

    private static void Check(StepReport report, ulong size1, ulong size2, Hash root1, Hash root2, Hash[] hashes)
    {
        var result = Core.Merkle.ConsistencyProof.Verify(size1, size2, root1, root2, hashes);
        report.Add($"consistency {size1} -> {size2}", result.IsValid, result.IsValid
            ? string.Create(CultureInfo.InvariantCulture, $"the tree of size {size1} (root {root1}) is a prefix of the tree of size {size2} (root {root2})")
            : result.Message);
    }
}
