using System.Globalization;
using System.Text.Json.Nodes;
using EvidenceChain.Cli.Client;
using EvidenceChain.Cli.Tiles;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Verifier;
using Wire = EvidenceChain.Api.V1;

namespace EvidenceChain.Cli.Commands;

/// <summary>
/// <c>proof INDEX [--size N] [--key VKEY]</c>: fetches an entry, its inclusion proof and the latest checkpoint from a
/// node and checks them offline with <see cref="EntryVerifier"/>; for an older size N also the inclusion in tree N
/// and the consistency of tree N with the latest checkpoint.
/// </summary>
internal static class LogProofCommand
{
    public static async Task<int> RunAsync(Arguments args, CliConsole console)
    {
        var key = LogKeyOption.Read(args);
        var sizeText = args.Optional("size");
        var index = Arguments.ParseUInt64("INDEX", args.Positional.FirstOrDefault()
            ?? throw new UsageException("proof needs an entry INDEX (or: proof inclusion, proof consistency)"));
        var size = sizeText is null ? (ulong?)null : Arguments.ParseUInt64("--size", sizeText);
        if (size == 0)
        {
            throw new UsageException("--size must be at least 1: the tree of size N holds entries 0 to N-1");
        }

        if (LogOption.Read(args) is { } source)
        {
            if (index >= size)
            {
                source.Dispose();
                throw new UsageException($"entry {index} is not in the tree of size {size}, which holds entries 0 to {size - 1}");
            }

            return await LogOption.RunAsync(source, console, log => FromTilesAsync(log, index, size, key, args.Flag("json"), console));
        }

        var settings = NodeSettings.Read(args, console);
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var checkpoint = await node.Log.GetCheckpointAsync(new Wire.GetCheckpointRequest(), node.Options);
            var entry = await node.Evidence.GetEntryAsync(new Wire.GetEntryRequest { Index = index }, node.Options);
            var atSize = size is { } n ? await node.Log.GetInclusionProofAsync(new Wire.GetInclusionProofRequest { Index = index, TreeSize = n }, node.Options) : null;
            if (atSize is not null && atSize.TreeSize > checkpoint.TreeSize)
            {
                // The log grew after the checkpoint was fetched; the newer one covers N.
                checkpoint = await node.Log.GetCheckpointAsync(new Wire.GetCheckpointRequest(), node.Options);
            }

            var latest = atSize is not null && atSize.TreeSize == checkpoint.TreeSize
                ? atSize
                : await node.Log.GetInclusionProofAsync(new Wire.GetInclusionProofRequest { Index = index, TreeSize = checkpoint.TreeSize }, node.Options);

            var report = new StepReport();
            var signed = Verify(report, index, entry.Leaf.Span, NodeHashes.Parse(latest.Hashes, "inclusion proof"), checkpoint.SignedNote, key);
            if (signed is not null && atSize is not null && !ReferenceEquals(atSize, latest) && report.IsValid)
            {
                var consistency = await node.Log.GetConsistencyProofAsync(
                    new Wire.GetConsistencyProofRequest { Size1 = atSize.TreeSize, Size2 = signed.Size }, node.Options);
                VerifyOlderSize(
                    report, index, entry.Leaf.Span, atSize.TreeSize, NodeHashes.Parse(atSize.RootHash, "inclusion proof root"),
                    NodeHashes.Parse(atSize.Hashes, "inclusion proof"), NodeHashes.Parse(consistency.Hashes, "consistency proof"), signed);
            }

            var document = new JsonObject { ["index"] = index, ["treeSize"] = atSize?.TreeSize ?? checkpoint.TreeSize, ["checkpoint"] = checkpoint.SignedNote };
            return await report.WriteAsync(console, settings.Json, string.Create(CultureInfo.InvariantCulture,
                $"entry {index} (leaf hash {Rfc6962.HashLeaf(entry.Leaf.Span)}) is in the tree of size {atSize?.TreeSize ?? checkpoint.TreeSize}{(key is null ? ", signature NOT checked" : string.Empty)}"), document);
        });
    }

    /// <summary>
    /// The same checks over the log's tiles (<c>--log URL|DIR</c>, a mirror or any tlog-tiles log): the checkpoint,
    /// the leaf from its entry bundle and the proofs folded from the hash tiles, all computed here and verified
    /// against the checkpoint's signature and root.
    /// </summary>
    private static async Task<int> FromTilesAsync(TiledLog log, ulong index, ulong? size, Core.Notes.NoteVerifier? key, bool json, CliConsole console)
    {
        var cancellation = console.Cancellation;
        var note = await log.CheckpointAsync(cancellation);
        var report = new StepReport();
        var checkpoint = LogKeyOption.Open(note, key, report);
        if (checkpoint is null)
        {
            return await report.WriteAsync(console, json, string.Empty, new JsonObject { ["index"] = index, ["checkpoint"] = note });
        }

        if (index >= checkpoint.Size || size > checkpoint.Size)
        {
            await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"evidencectl: {(index >= checkpoint.Size ? $"entry {index}" : $"--size {size}")} is beyond the checkpoint of {log.Name}, of size {checkpoint.Size}"));
            return ExitCode.Failed;
        }

        var tree = log.Tree(checkpoint.Size);
        var leaf = await log.LeafAsync(index, checkpoint.Size, cancellation);
        var path = await tree.ProofAsync(ProofPlan.Inclusion(index, checkpoint.Size), cancellation);
        report = new StepReport();
        var signed = Verify(report, index, leaf, path, note, key);
        if (signed is not null && size is { } n && n != signed.Size && report.IsValid)
        {
            var root = await tree.RootAsync(n, cancellation);
            var inclusion = await tree.ProofAsync(ProofPlan.Inclusion(index, n), cancellation);
            var consistency = await tree.ProofAsync(ProofPlan.Consistency(n, signed.Size), cancellation);
            VerifyOlderSize(report, index, leaf, n, root, inclusion, consistency, signed);
        }

        var document = new JsonObject { ["index"] = index, ["treeSize"] = size ?? checkpoint.Size, ["checkpoint"] = note, ["log"] = log.Name };
        return await report.WriteAsync(console, json, string.Create(CultureInfo.InvariantCulture,
            $"entry {index} (leaf hash {Rfc6962.HashLeaf(leaf)}) is in the tree of size {size ?? checkpoint.Size}, read from {log.Name}{(key is null ? ", signature NOT checked" : string.Empty)}"), document);
    }

    /// <summary>The entry against the latest checkpoint; returns that checkpoint when every step passed.</summary>
    private static Core.Notes.Checkpoint? Verify(StepReport report, ulong index, ReadOnlySpan<byte> leaf, Core.Hash[] path, string signedNote, Core.Notes.NoteVerifier? key)
    {
        if (key is not null)
        {
            return report.Add(EntryVerifier.Verify(leaf, index, path, signedNote, key))
                ? Core.Notes.CheckpointNote.Open(signedNote, key).Checkpoint
                : null;
        }

        var checkpoint = LogKeyOption.Open(signedNote, null, report);
        if (checkpoint is null)
        {
            return null;
        }

        var leafHash = Rfc6962.HashLeaf(leaf);
        var result = InclusionProof.Verify(index, checkpoint.Size, leafHash, path, checkpoint.Root);
        return report.Add("inclusion", result.IsValid, result.IsValid
            ? string.Create(CultureInfo.InvariantCulture, $"leaf hash {leafHash} is entry {index} of the tree of size {checkpoint.Size}, root {checkpoint.Root}")
            : result.Message)
            ? checkpoint
            : null;
    }

    /// <summary>Inclusion in the older tree, whose root the consistency proof ties to the checked checkpoint.</summary>
    private static void VerifyOlderSize(StepReport report, ulong index, ReadOnlySpan<byte> leaf, ulong size, Core.Hash root, Core.Hash[] inclusionPath, Core.Hash[] consistencyPath, Core.Notes.Checkpoint signed)
    {
        var leafHash = Rfc6962.HashLeaf(leaf);
        var inclusion = InclusionProof.Verify(index, size, leafHash, inclusionPath, root);
        if (!report.Add($"inclusion at size {size}", inclusion.IsValid, inclusion.IsValid
                ? string.Create(CultureInfo.InvariantCulture, $"entry {index} is in the tree of size {size} with root {root}")
                : inclusion.Message))
        {
            return;
        }

        var result = ConsistencyProof.Verify(size, signed.Size, root, signed.Root, consistencyPath);
        report.Add("consistency", result.IsValid, result.IsValid
            ? string.Create(CultureInfo.InvariantCulture, $"the tree of size {size} is a prefix of the checkpoint's tree of size {signed.Size}")
            : result.Message);
    }
}
