using System.Globalization;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Verifier.Internal;

namespace EvidenceChain.Verifier;

/// <summary>
/// Checks, offline and without trusting the node, that stored leaf bytes are entry <c>index</c> of a log whose
/// signed checkpoint verifies under a key the caller pinned: leaf format -> leaf hash -> inclusion proof ->
/// checkpoint root -> checkpoint signature -> the leaf names this log and this index.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class EntryVerifier
{
    /// <summary>Verifies one entry; every step is reported, and the first failure stops the rest.</summary>
    /// <param name="leaf">The leaf bytes exactly as stored (they are hashed, never re-encoded).</param>
    /// <param name="index">The entry's index.</param>
    /// <param name="proof">The inclusion proof for <paramref name="index"/> in the checkpoint's tree.</param>
    /// <param name="signedCheckpoint">The checkpoint, a C2SP signed note.</param>
    /// <param name="logKey">The log's verifier key, pinned by the caller (never taken from the evidence itself).</param>
    public static VerificationReport Verify(
        ReadOnlySpan<byte> leaf, ulong index, ReadOnlySpan<Hash> proof, string signedCheckpoint, NoteVerifier logKey) =>
        Verify(leaf, index, proof, signedCheckpoint, logKey, null);

    /// <summary>
    /// As the public overload; <paramref name="precomputed"/>, when given and made for exactly this leaf hash, index,
    /// proof and the checkpoint's size and root, is the inclusion result (from a batch) instead of checking the proof here.
    /// </summary>
    internal static VerificationReport Verify(
        ReadOnlySpan<byte> leaf, ulong index, ReadOnlySpan<Hash> proof, string signedCheckpoint, NoteVerifier logKey, PrecomputedInclusion? precomputed)
    {
        ArgumentNullException.ThrowIfNull(signedCheckpoint);
        ArgumentNullException.ThrowIfNull(logKey);
        var report = new VerificationReport();

        var opened = CheckpointNote.Open(signedCheckpoint, logKey);
        if (!report.Add("checkpoint signature", opened.IsValid, opened.IsValid ? $"signed by {logKey.Name}+{logKey.KeyId:x8}" : opened.Message))
        {
            return report;
        }

        var checkpoint = opened.Checkpoint!;
        LedgerEntry entry;
        try
        {
            entry = LeafCodec.Parse(leaf);
        }
        catch (LeafFormatException e)
        {
            report.Add("leaf format", false, e.Message);
            return report;
        }

        if (!report.Add("leaf format", true, $"version {entry.Version} {entry.Draft.Kind} entry"))
        {
            return report;
        }

        if (!report.Add(
                "leaf identity",
                entry.Index == index && entry.Origin == checkpoint.Origin,
                entry.Index == index && entry.Origin == checkpoint.Origin
                    ? string.Create(CultureInfo.InvariantCulture, $"entry {index} of {checkpoint.Origin}")
                    : string.Create(CultureInfo.InvariantCulture, $"the leaf says entry {entry.Index} of {entry.Origin}, not entry {index} of {checkpoint.Origin}")))
        {
            return report;
        }

        var leafHash = Rfc6962.HashLeaf(leaf);
        var inclusion = precomputed is not null && precomputed.Matches(index, checkpoint.Size, leafHash, proof, checkpoint.Root)
            ? precomputed.Result
            : InclusionProof.Verify(index, checkpoint.Size, leafHash, proof, checkpoint.Root);
        report.Add(
            "inclusion",
            inclusion.IsValid,
            inclusion.IsValid
                ? string.Create(CultureInfo.InvariantCulture, $"leaf hash {leafHash} is entry {index} of the tree of size {checkpoint.Size}, root {checkpoint.Root}")
                : inclusion.Message);
        return report;
    }
}
