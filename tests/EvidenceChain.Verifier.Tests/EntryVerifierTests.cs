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
}
