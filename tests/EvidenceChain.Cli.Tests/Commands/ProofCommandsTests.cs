using System.Globalization;
using System.Text;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Testing;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary>
/// <c>proof inclusion</c> and <c>proof consistency</c> against real trees: the root from <see cref="MerkleMath"/>,
/// the proofs from <see cref="ProofPlan"/> (each range folded with <see cref="MerkleMath.Root"/>), both checked
/// against the naive <see cref="ReferenceTree"/> before they are handed to the CLI.
/// </summary>
public sealed partial class ProofCommandsTests
{
    public static TheoryData<int> Sizes => [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17];

    private static Hash[] Leaves(int size) =>
        [.. Enumerable.Range(0, size).Select(i => Rfc6962.HashLeaf(Encoding.UTF8.GetBytes($"cli leaf {i}")))];

    private static Hash RangeRoot(Hash[] leaves, LeafRange range) =>
        MerkleMath.Root(leaves.AsSpan(checked((int)range.Begin), checked((int)(range.End - range.Begin))));

    /// <summary>Root and inclusion proof of <paramref name="index"/>, cross-checked with the reference tree.</summary>
    private static (Hash Root, Hash[] Proof) Inclusion(Hash[] leaves, int index)
    {
        var root = MerkleMath.Root(leaves);
        Hash[] proof = [.. ProofPlan.Inclusion((ulong)index, (ulong)leaves.Length).Select(r => RangeRoot(leaves, r))];
        var reference = new ReferenceTree(leaves);
        Assert.Equal(reference.Root(), root);
        Assert.Equal(reference.Path(index), proof);
        return (root, proof);
    }

    /// <summary>Consistency proof from the first <paramref name="size1"/> leaves to all of them, cross-checked.</summary>
    private static Hash[] Consistency(Hash[] leaves, int size1)
    {
        Hash[] proof = [.. ProofPlan.Consistency((ulong)size1, (ulong)leaves.Length).Select(r => RangeRoot(leaves, r))];
        Assert.Equal(new ReferenceTree(leaves).ConsistencyProof(size1), proof);
        return proof;
    }

    private static string Hex(Hash hash) => hash.ToString();

    private static string Join(IEnumerable<Hash> proof) => string.Join(',', proof.Select(Hex));

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string[] InclusionArgs(Hash leafHash, long index, int size, Hash root, IEnumerable<Hash> proof) =>
    [
        "proof", "inclusion", "--leaf-hash", Hex(leafHash), "--index", Num(index), "--size", Num(size),
        "--root", Hex(root), "--proof", Join(proof),
    ];

    private static string[] ConsistencyArgs(int size1, int size2, Hash root1, Hash root2, IEnumerable<Hash> proof) =>
    [
        "proof", "consistency", "--size1", Num(size1), "--size2", Num(size2), "--root1", Hex(root1), "--root2", Hex(root2),
        "--proof", Join(proof),
    ];

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Inclusion_EveryIndexOfRealTree_ExitsZeroVerified(int size)
    {
        var leaves = Leaves(size);
        for (var index = 0; index < size; index++)
        {
            var (root, proof) = Inclusion(leaves, index);

            var result = await Cli.RunAsync(InclusionArgs(leaves[index], index, size, root, proof));

            Cli.AssertVerified(result);
            Assert.Equal($"verified: entry {index} is included in the tree of size {size} with root {root}", result.OutLines[0]);
            Assert.Equal(string.Empty, result.Error);
        }
    }

    [Fact]
    public async Task Inclusion_EqualsFormOfOptions_ExitsZero()
    {
        var leaves = Leaves(5);
        var (root, proof) = Inclusion(leaves, 3);

        var result = await Cli.RunAsync(
            "proof", "inclusion", $"--leaf-hash={leaves[3]}", "--index=3", "--size=5", $"--root={root}", $"--proof={Join(proof)}");

        Cli.AssertVerified(result);
    }

    [Fact]
    public async Task Inclusion_SingleLeafTreeWithoutProofOption_ExitsZero()
    {
        var leaves = Leaves(1);

        var result = await Cli.RunAsync("proof", "inclusion", "--leaf-hash", Hex(leaves[0]), "--index", "0", "--size", "1", "--root", Hex(leaves[0]));

        Cli.AssertVerified(result);
    }

    [Fact]
    public async Task Inclusion_WrongRoot_ExitsOneWithRootMismatch()
    {
        var leaves = Leaves(7);
        var (root, proof) = Inclusion(leaves, 4);
        var wrongRoot = Mutate.FlipBit(root, 0);

        var result = await Cli.RunAsync(InclusionArgs(leaves[4], 4, 7, wrongRoot, proof));

        Cli.AssertFailed(result, $"root mismatch: expected {wrongRoot}, proof gives {root}");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Inclusion_AnyProofElementFlipped_ExitsOne(int size)
    {
        var leaves = Leaves(size);
        var index = size / 2;
        var (root, proof) = Inclusion(leaves, index);
        for (var i = 0; i < proof.Length; i++)
        {
            var flipped = Mutate.With(proof, i, Mutate.FlipBit(proof[i], (i * 37) % Mutate.HashBits));

            var result = await Cli.RunAsync(InclusionArgs(leaves[index], index, size, root, flipped));

            Cli.AssertFailed(result, "root mismatch");
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Inclusion_AnyOtherIndex_ExitsOne(int size)
    {
        var leaves = Leaves(size);
        var index = size - 1;
        var (root, proof) = Inclusion(leaves, index);
        for (var other = 0; other < size; other++)
        {
            if (other == index)
            {
                continue;
            }

            var result = await Cli.RunAsync(InclusionArgs(leaves[index], other, size, root, proof));

            Cli.AssertFailed(result, string.Empty);
        }
    }

    [Fact]
    public async Task Inclusion_IndexBeyondSize_ExitsOneOutOfBounds()
    {
        var leaves = Leaves(4);
        var (root, proof) = Inclusion(leaves, 3);

        var result = await Cli.RunAsync(InclusionArgs(leaves[3], 4, 4, root, proof));

        Cli.AssertFailed(result, "index 4 is out of bounds for tree size 4");
    }

    [Fact]
    public async Task Inclusion_ProofElementDropped_ExitsOneWrongLength()
    {
        var leaves = Leaves(8);
        var (root, proof) = Inclusion(leaves, 2);

        var result = await Cli.RunAsync(InclusionArgs(leaves[2], 2, 8, root, proof[..^1]));

        Cli.AssertFailed(result, "proof has 2 hashes; index 2 in tree size 8 needs 3");
    }

    [Fact]
    public async Task Inclusion_OtherLeafHash_ExitsOne()
    {
        var leaves = Leaves(8);
        var (root, proof) = Inclusion(leaves, 2);

        var result = await Cli.RunAsync(InclusionArgs(leaves[3], 2, 8, root, proof));

        Cli.AssertFailed(result, "root mismatch");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Consistency_EveryPrefixOfRealTree_ExitsZeroVerified(int size)
    {
        var leaves = Leaves(size);
        var root2 = MerkleMath.Root(leaves);
        for (var size1 = 1; size1 <= size; size1++)
        {
            var root1 = MerkleMath.Root(leaves.AsSpan(0, size1));
            var proof = Consistency(leaves, size1);

            var result = await Cli.RunAsync(ConsistencyArgs(size1, size, root1, root2, proof));

            Cli.AssertVerified(result);
            Assert.Equal($"verified: the tree of size {size1} is a prefix of the tree of size {size}", result.OutLines[0]);
        }
    }

    [Theory]
    [InlineData(3, 7)]
    [InlineData(4, 13)]
    [InlineData(6, 8)]
    public async Task Consistency_AnyProofElementFlipped_ExitsOne(int size1, int size2)
    {
        var leaves = Leaves(size2);
        var root1 = MerkleMath.Root(leaves.AsSpan(0, size1));
        var root2 = MerkleMath.Root(leaves);
        var proof = Consistency(leaves, size1);
        Assert.NotEmpty(proof);
        for (var i = 0; i < proof.Length; i++)
        {
            var flipped = Mutate.With(proof, i, Mutate.FlipBit(proof[i], 255 - i));

            var result = await Cli.RunAsync(ConsistencyArgs(size1, size2, root1, root2, flipped));

            Cli.AssertFailed(result, "mismatch");
        }
    }

    [Fact]
    public async Task Consistency_WrongSecondRoot_ExitsOneRootMismatch()
    {
        var leaves = Leaves(9);
        var root1 = MerkleMath.Root(leaves.AsSpan(0, 5));
        var wrong = Mutate.FlipBit(MerkleMath.Root(leaves), 100);

        var result = await Cli.RunAsync(ConsistencyArgs(5, 9, root1, wrong, Consistency(leaves, 5)));

        Cli.AssertFailed(result, "root mismatch: expected " + wrong);
    }

    [Fact]
    public async Task Consistency_WrongFirstRoot_ExitsOneFirstRootMismatch()
    {
        var leaves = Leaves(9);
        var wrong = Mutate.FlipBit(MerkleMath.Root(leaves.AsSpan(0, 5)), 7);

        var result = await Cli.RunAsync(ConsistencyArgs(5, 9, wrong, MerkleMath.Root(leaves), Consistency(leaves, 5)));

        Cli.AssertFailed(result, "first root mismatch: expected " + wrong);
    }

    [Fact]
    public async Task Consistency_WrongFirstSize_ExitsOne()
    {
        var leaves = Leaves(9);
        var root1 = MerkleMath.Root(leaves.AsSpan(0, 5));

        var result = await Cli.RunAsync(ConsistencyArgs(6, 9, root1, MerkleMath.Root(leaves), Consistency(leaves, 5)));

        Cli.AssertFailed(result, string.Empty);
    }

    [Fact]
    public async Task Consistency_FirstSizeZero_ExitsOneNeedsPositiveSize()
    {
        var leaves = Leaves(3);

        var result = await Cli.RunAsync(ConsistencyArgs(0, 3, Rfc6962.EmptyRoot, MerkleMath.Root(leaves), []));

        Cli.AssertFailed(result, "need 0 < size1 <= size2; got size1 0, size2 3");
    }

    [Fact]
    public async Task Consistency_FirstSizeAboveSecond_ExitsOne()
    {
        var leaves = Leaves(3);
        var root = MerkleMath.Root(leaves);

        var result = await Cli.RunAsync(ConsistencyArgs(4, 3, root, root, []));

        Cli.AssertFailed(result, "got size1 4, size2 3");
    }

    [Fact]
    public async Task Consistency_EqualSizesWithProof_ExitsOneProofMustBeEmpty()
    {
        var leaves = Leaves(3);
        var root = MerkleMath.Root(leaves);

        var result = await Cli.RunAsync(ConsistencyArgs(3, 3, root, root, [leaves[0]]));

        Cli.AssertFailed(result, "sizes are equal, so the proof must be empty");
    }
}
