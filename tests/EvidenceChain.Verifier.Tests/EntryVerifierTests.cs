using System.Globalization;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;

namespace EvidenceChain.Verifier.Tests;

public sealed class EntryVerifierTests
{
    private static readonly NoteSigner Log = NoteSigner.FromSeed("verify.test/log", Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly NoteSigner Other = NoteSigner.FromSeed("verify.test/log", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    /// <summary>A log of five entries, with entry 3's leaf, proof and the signed checkpoint.</summary>
    private static (byte[] Leaf, Hash[] Proof, string Checkpoint) Fixture(NoteSigner signer, string origin = "verify.test/log")
    {
        var leaves = new List<byte[]>();
        Hash prev = default;
        for (ulong i = 0; i < 5; i++)
        {
            var draft = new EntryDraft("file", "t", [], new Dictionary<string, string> { ["n"] = i.ToString(CultureInfo.InvariantCulture) });
            var leaf = LeafCodec.Encode(new LedgerEntry(origin, i, prev, DateTimeOffset.UnixEpoch, draft));
            prev = Rfc6962.HashLeaf(leaf);
            leaves.Add(leaf);
        }

        var hashes = leaves.Select(l => Rfc6962.HashLeaf(l)).ToArray();
        var proof = ProofPlan.Inclusion(3, 5)
            .Select(r => MerkleMath.Root(hashes.AsSpan((int)r.Begin, (int)(r.End - r.Begin))))
            .ToArray();
        var checkpoint = CheckpointNote.Sign(new Checkpoint(signer.Name, 5, MerkleMath.Root(hashes)), signer);
        return (leaves[3], proof, checkpoint);
    }

    [Fact]
    public void Verify_GenuineEntry_PassesEveryStep()
    {
        var (leaf, proof, checkpoint) = Fixture(Log);

        var report = EntryVerifier.Verify(leaf, 3, proof, checkpoint, Log.VerifierKey);

        Assert.True(report.IsValid, string.Join("\n", report.Steps));
        Assert.Equal(["checkpoint signature", "leaf format", "leaf identity", "inclusion"], report.Steps.Select(s => s.Name));
    }

    [Fact]
    public void Verify_WrongPinnedKey_FailsAtTheSignature()
    {
        var (leaf, proof, checkpoint) = Fixture(Log);

        var report = EntryVerifier.Verify(leaf, 3, proof, checkpoint, Other.VerifierKey);

        Assert.Equal("checkpoint signature", report.FirstFailure?.Name);
    }

    [Fact]
    public void Verify_AnyChangedLeafByte_Fails()
    {
        var (leaf, proof, checkpoint) = Fixture(Log);
        for (var i = 0; i < leaf.Length; i++)
        {
            var changed = (byte[])leaf.Clone();
            changed[i] ^= 0x01;

            var report = EntryVerifier.Verify(changed, 3, proof, checkpoint, Log.VerifierKey);

            Assert.False(report.IsValid, $"byte {i}");
            Assert.Contains(report.FirstFailure!.Name, new[] { "leaf format", "leaf identity", "inclusion" });
        }
    }

    [Fact]
    public void Verify_ChangedProofOrIndex_FailsAtInclusionOrIdentity()
    {
        var (leaf, proof, checkpoint) = Fixture(Log);
        var bad = (Hash[])proof.Clone();
        bad[0] = Rfc6962.HashLeaf([1, 2, 3]);

        Assert.Equal("inclusion", EntryVerifier.Verify(leaf, 3, bad, checkpoint, Log.VerifierKey).FirstFailure?.Name);
        Assert.Equal("leaf identity", EntryVerifier.Verify(leaf, 2, proof, checkpoint, Log.VerifierKey).FirstFailure?.Name);
    }

    [Fact]
    public void Verify_EntryOfAnotherLog_FailsAtIdentity()
    {
        var (leaf, proof, _) = Fixture(Log, origin: "another.test/log");
        var (_, _, checkpoint) = Fixture(Log);

        Assert.Equal("leaf identity", EntryVerifier.Verify(leaf, 3, proof, checkpoint, Log.VerifierKey).FirstFailure?.Name);
    }

    [Fact]
    public void Verify_PrecomputedForThisClaim_UsesTheBatchResult()
    {
        var (leaf, proof, checkpoint) = Fixture(Log);
        var body = CheckpointNote.Open(checkpoint, Log.VerifierKey).Checkpoint!;
        var claim = new InclusionClaim(3, body.Size, Rfc6962.HashLeaf(leaf), proof, body.Root);
        var results = new ProofResult[1];
        InclusionProof.VerifyBatch([claim], results);

        var report = EntryVerifier.Verify(leaf, 3, proof, checkpoint, Log.VerifierKey, new Internal.PrecomputedInclusion(claim, results[0]));
        Assert.True(report.IsValid, string.Join("\n", report.Steps));

        // The result is taken as given when the claim matches: a (forged) failure shows in the report.
        var forged = new Internal.PrecomputedInclusion(claim, InclusionProof.Verify(3, body.Size, claim.LeafHash, proof, Mutate(body.Root)));
        Assert.Equal("inclusion", EntryVerifier.Verify(leaf, 3, proof, checkpoint, Log.VerifierKey, forged).FirstFailure?.Name);
    }

    [Fact]
    public void Verify_PrecomputedForAnotherClaim_IsIgnored()
    {
        var (leaf, proof, checkpoint) = Fixture(Log);
        var body = CheckpointNote.Open(checkpoint, Log.VerifierKey).Checkpoint!;
        var valid = new ProofResult();
        var claim = new InclusionClaim(3, body.Size, Rfc6962.HashLeaf(leaf), proof, body.Root);
        var others = new[]
        {
            claim with { Index = 2 },
            claim with { Size = 6 },
            claim with { LeafHash = Mutate(claim.LeafHash) },
            claim with { Root = Mutate(body.Root) },
            claim with { Proof = (Hash[])[Mutate(proof[0]), .. proof[1..]] },
            claim with { Proof = proof.AsMemory(0, proof.Length - 1) },
        };

        // A "valid" made for other inputs must not make a bad proof pass, nor a failure make a good one fail.
        var badProof = (Hash[])[.. proof[..^1], Mutate(proof[^1])];
        foreach (var other in others)
        {
            Assert.Equal("inclusion", EntryVerifier.Verify(leaf, 3, badProof, checkpoint, Log.VerifierKey, new Internal.PrecomputedInclusion(other, valid)).FirstFailure?.Name);
            var failed = InclusionProof.Verify(3, body.Size, claim.LeafHash, proof, Mutate(body.Root));
            Assert.True(EntryVerifier.Verify(leaf, 3, proof, checkpoint, Log.VerifierKey, new Internal.PrecomputedInclusion(other, failed)).IsValid);
        }
    }

    private static Hash Mutate(Hash hash)
    {
        var bytes = hash.ToArray();
        bytes[0] ^= 1;
        return new Hash(bytes);
    }
}
