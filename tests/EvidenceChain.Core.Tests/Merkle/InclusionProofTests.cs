using EvidenceChain.Core.Merkle;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Arbitraries;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Merkle;

[Properties(Arbitrary = [typeof(MerkleArbitraries)])]
public sealed class InclusionProofTests
{
    // Each run checks about 256 * (proof length + 2) mutants, so fewer runs than the default 100.
    [Property(MaxTest = 30)]
    public void Verify_AnySingleBitFlipped_FailsWithRootMismatch(TreeWithIndex input)
    {
        var (_, proof, root, leaf) = Build(input);
        var index = (ulong)input.Index;
        ProofAssert.Valid(InclusionProof.Verify(index, input.Size, leaf, proof, root));

        for (var bit = 0; bit < Mutate.HashBits; bit++)
        {
            for (var i = 0; i < proof.Length; i++)
            {
                var mutated = Mutate.With(proof, i, Mutate.FlipBit(proof[i], bit));
                ProofAssert.Fails(InclusionProof.Verify(index, input.Size, leaf, mutated, root), $"proof[{i}] bit {bit}", ProofFailure.RootMismatch);
            }

            var badRoot = Mutate.FlipBit(root, bit);
            var result = InclusionProof.Verify(index, input.Size, leaf, proof, badRoot);
            ProofAssert.Fails(result, $"root bit {bit}", ProofFailure.RootMismatch);
            Assert.Equal(badRoot, result.ExpectedRoot);
            Assert.Equal(root, result.CalculatedRoot);

            var badLeaf = Mutate.FlipBit(leaf, bit);
            ProofAssert.Fails(InclusionProof.Verify(index, input.Size, badLeaf, proof, root), $"leaf bit {bit}", ProofFailure.RootMismatch);
        }

    }

    // A proof only fixes the computation the verifier performs, and two (index, size) pairs with the same path
    // shape perform the same one (index 0 of sizes 3 and 4, say). So a changed index or size must be rejected
    // exactly when it changes that shape, and for the right reason.
    [Property]
    public void Verify_IndexOrSizeChanged_FailsUnlessPathShapeIsUnchanged(TreeWithIndex input)
    {
        var (_, proof, root, leaf) = Build(input);
        var (index, size) = ((ulong)input.Index, input.Size);
        var originalShape = ReferenceTree.PathShape(index, size);
        var claims = new (ulong Index, ulong Size, string What)[]
        {
            (unchecked(index - 1), size, "index - 1"),
            (index + 1, size, "index + 1"),
            (index * 2, size, "index * 2"),
            (index / 2, size, "index / 2"),
            (index ^ 1, size, "index ^ 1"),
            (index ^ 2, size, "index ^ 2"),
            (index + size, size, "index + size"),
            (index, size - 1, "size - 1"),
            (index, size + 1, "size + 1"),
            (index, size * 2, "size * 2"),
            (index, size / 2, "size / 2"),
            (index, ulong.MaxValue, "size = 2^64 - 1"),
            (index / 2, size / 2, "both / 2"),
        };

        foreach (var (i, n, what) in claims.Where(c => (c.Index, c.Size) != (index, size)))
        {
            var result = InclusionProof.Verify(i, n, leaf, proof, root);
            var context = $"{what} (index {i}, size {n})";
            if (i >= n)
            {
                ProofAssert.Fails(result, context, ProofFailure.IndexOutOfRange);
            }
            else if (ReferenceTree.PathShape(i, n).SequenceEqual(originalShape))
            {
                ProofAssert.Valid(result, context);
            }
            else if (ReferenceTree.PathShape(i, n).Length != proof.Length)
            {
                ProofAssert.Fails(result, context, ProofFailure.WrongProofLength);
            }
            else
            {
                ProofAssert.Fails(result, context, ProofFailure.RootMismatch);
            }
        }
    }

    [Property]
    public void Verify_ProofTruncatedExtendedOrReordered_Fails(TreeWithIndex input, Hash extra)
    {
        var (_, proof, root, leaf) = Build(input);
        var (index, size) = ((ulong)input.Index, input.Size);
        ProofAssert.Valid(InclusionProof.Verify(index, size, leaf, proof, root));

        ProofAssert.Fails(InclusionProof.Verify(index, size, leaf, [.. proof, extra], root), "extra hash at the end", ProofFailure.WrongProofLength);
        ProofAssert.Fails(InclusionProof.Verify(index, size, leaf, [extra, .. proof], root), "extra hash at the start", ProofFailure.WrongProofLength);
        if (proof.Length == 0)
        {
            return;
        }

        ProofAssert.Fails(InclusionProof.Verify(index, size, leaf, [.. proof, .. proof], root), "proof twice", ProofFailure.WrongProofLength);
        ProofAssert.Fails(InclusionProof.Verify(index, size, leaf, proof.AsSpan(..^1), root), "last hash dropped", ProofFailure.WrongProofLength);
        ProofAssert.Fails(InclusionProof.Verify(index, size, leaf, proof.AsSpan(1..), root), "first hash dropped", ProofFailure.WrongProofLength);
        ProofAssert.Fails(InclusionProof.Verify(index, size, leaf, [], root), "empty proof", ProofFailure.WrongProofLength);
        for (var i = 0; i < proof.Length; i++)
        {
            if (proof[i] != extra)
            {
                ProofAssert.Fails(InclusionProof.Verify(index, size, leaf, Mutate.With(proof, i, extra), root), $"proof[{i}] replaced", ProofFailure.RootMismatch);
            }

            for (var j = i + 1; j < proof.Length; j++)
            {
                ProofAssert.Fails(InclusionProof.Verify(index, size, leaf, Mutate.Swap(proof, i, j), root), $"proof[{i}] and [{j}] swapped", ProofFailure.RootMismatch);
            }
        }

        // The leaf's own hash or the root in place of a sibling.
        ProofAssert.Fails(InclusionProof.Verify(index, size, leaf, Mutate.With(proof, 0, leaf), root), "leaf as sibling", ProofFailure.RootMismatch);
        ProofAssert.Fails(InclusionProof.Verify(index, size, leaf, Mutate.With(proof, proof.Length - 1, root), root), "root as sibling", ProofFailure.RootMismatch);
    }

    [Property]
    public void RootFromInclusionProof_ValidProof_GivesTheRootAndNoFailure(TreeWithIndex input)
    {
        var (_, proof, root, leaf) = Build(input);

        var calculated = InclusionProof.RootFromInclusionProof((ulong)input.Index, input.Size, leaf, proof, out var failure);

        Assert.Null(failure);
        Assert.Equal(root, calculated);
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(1UL, 1UL)]
    [InlineData(7UL, 3UL)]
    [InlineData(ulong.MaxValue, ulong.MaxValue)]
    public void Verify_IndexNotBelowSize_FailsWithIndexOutOfRange(ulong index, ulong size)
    {
        var leaf = Rfc6962.HashLeaf([]);

        ProofAssert.Fails(InclusionProof.Verify(index, size, leaf, [], leaf), null, ProofFailure.IndexOutOfRange);
    }

    [Fact]
    public void Verify_SingleLeafTree_AcceptsOnlyTheLeafAsRoot()
    {
        var leaf = Rfc6962.HashLeaf("only"u8);

        ProofAssert.Valid(InclusionProof.Verify(0, 1, leaf, [], leaf));
        ProofAssert.Fails(InclusionProof.Verify(0, 1, leaf, [], Rfc6962.EmptyRoot), null, ProofFailure.RootMismatch);
        ProofAssert.Fails(InclusionProof.Verify(0, 1, leaf, [leaf], leaf), null, ProofFailure.WrongProofLength);
    }

    // Trees far too big to build, made of one repeated leaf so that every subtree hash is known (see
    // ReferenceTree.UniformRoot): the verifier's size arithmetic must hold up to 2^64 - 1 leaves.
    [Theory]
    [InlineData(0UL, ulong.MaxValue)]
    [InlineData(ulong.MaxValue - 1, ulong.MaxValue)]
    [InlineData((1UL << 63) + 12_345, ulong.MaxValue)]
    [InlineData(12_345UL, 1UL << 63)]
    [InlineData((1UL << 63) - 1, 1UL << 63)]
    [InlineData(0UL, (1UL << 63) + 1)]
    [InlineData(1UL << 63, (1UL << 63) + 1)]
    public void Verify_ValidProofInHugeTree_IsValid(ulong index, ulong size)
    {
        var (leaf, proof, root) = UniformTreeProof(index, size);

        ProofAssert.Valid(InclusionProof.Verify(index, size, leaf, proof, root));
        Assert.Equal(proof.Length, InclusionProof.ExpectedLength(index, size));
    }

    // Fails (bug): when size - 1 has bit 63 set and index does not, ExpectedLength computes
    // PopCount(index >> 64), and C# masks the shift count to 0, so it wants PopCount(index) extra hashes and
    // every valid proof is refused with WrongProofLength.
    [Theory]
    [InlineData(1UL, (1UL << 63) + 1)]
    [InlineData(5UL, ulong.MaxValue)]
    [InlineData((1UL << 63) - 1, (1UL << 63) + 1)]
    public void Verify_ValidProofInTreeAbove2Pow63WithIndexBelow2Pow63_IsValid(ulong index, ulong size)
    {
        var (leaf, proof, root) = UniformTreeProof(index, size);

        ProofAssert.Valid(InclusionProof.Verify(index, size, leaf, proof, root));
        Assert.Equal(proof.Length, InclusionProof.ExpectedLength(index, size));
    }

    private static (ReferenceTree Tree, Hash[] Proof, Hash Root, Hash Leaf) Build(TreeWithIndex input)
    {
        var tree = new ReferenceTree(input.Leaves.Hashes);
        return (tree, tree.Path(input.Index), tree.Root(), input.Leaves.Hashes[input.Index]);
    }

    private static (Hash Leaf, Hash[] Proof, Hash Root) UniformTreeProof(ulong index, ulong size)
    {
        var leaf = Rfc6962.HashLeaf("same"u8);
        var memo = new Dictionary<ulong, Hash>();
        var proof = ReferenceTree.PathRanges(index, size)
            .Select(r => ReferenceTree.UniformRoot(leaf, r.End - r.Begin, memo))
            .ToArray();
        return (leaf, proof, ReferenceTree.UniformRoot(leaf, size, memo));
    }
}
