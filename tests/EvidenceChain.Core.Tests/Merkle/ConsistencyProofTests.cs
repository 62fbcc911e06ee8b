using EvidenceChain.Core.Merkle;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Arbitraries;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Merkle;

[Properties(Arbitrary = [typeof(MerkleArbitraries)])]
public sealed class ConsistencyProofTests
{
    private static readonly ProofFailure[] Mismatch = [ProofFailure.FirstRootMismatch, ProofFailure.RootMismatch];

    // Each run checks about 256 * (proof length + 2) mutants, so fewer runs than the default 100.
    [Property(MaxTest = 30)]
    public void Verify_AnySingleBitFlipped_FailsWithMismatch(TreeWithPrefix input)
    {
        var (proof, root1, root2) = Build(input);
        var (size1, size2) = ((ulong)input.Size1, (ulong)input.Size2);
        ProofAssert.Valid(ConsistencyProof.Verify(size1, size2, root1, root2, proof));

        for (var bit = 0; bit < Mutate.HashBits; bit++)
        {
            for (var i = 0; i < proof.Length; i++)
            {
                var mutated = Mutate.With(proof, i, Mutate.FlipBit(proof[i], bit));
                ProofAssert.Fails(ConsistencyProof.Verify(size1, size2, root1, root2, mutated), $"proof[{i}] bit {bit}", Mismatch);
            }

            ProofAssert.Fails(ConsistencyProof.Verify(size1, size2, Mutate.FlipBit(root1, bit), root2, proof), $"root1 bit {bit}", Mismatch);
            ProofAssert.Fails(ConsistencyProof.Verify(size1, size2, root1, Mutate.FlipBit(root2, bit), proof), $"root2 bit {bit}", Mismatch);
        }
    }

    [Property]
    public void Verify_RootsSwapped_FailsUnlessTheTreesAreEqual(TreeWithPrefix input)
    {
        var (proof, root1, root2) = Build(input);
        var (size1, size2) = ((ulong)input.Size1, (ulong)input.Size2);

        var result = ConsistencyProof.Verify(size1, size2, root2, root1, proof);

        if (size1 == size2)
        {
            ProofAssert.Valid(result);
        }
        else
        {
            ProofAssert.Fails(result, "swapped roots", Mismatch);
        }
    }

    // As for inclusion proofs, two size pairs with the same SUBPROOF shape make the verifier do the same
    // computation ((1, 4) and (1, 3), say), so a changed size must be rejected exactly when it changes the shape.
    [Property]
    public void Verify_SizeChanged_FailsUnlessProofShapeIsUnchanged(TreeWithPrefix input)
    {
        var (proof, root1, root2) = Build(input);
        var (size1, size2) = ((ulong)input.Size1, (ulong)input.Size2);
        var originalShape = ReferenceTree.ConsistencyShape(size1, size2);
        var claims = new (ulong Size1, ulong Size2, string What)[]
        {
            (size1 - 1, size2, "size1 - 1"),
            (size1 + 1, size2, "size1 + 1"),
            (size1 * 2, size2, "size1 * 2"),
            (size1 / 2, size2, "size1 / 2"),
            (size1 ^ 2, size2, "size1 ^ 2"),
            (size1, size2 - 1, "size2 - 1"),
            (size1, size2 + 1, "size2 + 1"),
            (size1, size2 * 2, "size2 * 2"),
            (size1, size2 / 2, "size2 / 2"),
            (size2, size1, "sizes swapped"),
            (size1, size1, "size2 = size1"),
            (size2, size2, "size1 = size2"),
            (0, size2, "size1 = 0"),
        };

        foreach (var (m, n, what) in claims.Where(c => (c.Size1, c.Size2) != (size1, size2)))
        {
            var result = ConsistencyProof.Verify(m, n, root1, root2, proof);
            var context = $"{what} (size1 {m}, size2 {n})";
            if (m == 0 || m > n)
            {
                ProofAssert.Fails(result, context, ProofFailure.IndexOutOfRange);
            }
            else if (ReferenceTree.ConsistencyShape(m, n) == originalShape)
            {
                ProofAssert.Valid(result, context);
            }
            else if (ReferenceTree.ConsistencyRanges(m, n).Length != proof.Length)
            {
                ProofAssert.Fails(result, context, ProofFailure.WrongProofLength);
            }
            else
            {
                ProofAssert.Fails(result, context, Mismatch);
            }
        }
    }

    [Property]
    public void Verify_ProofTruncatedExtendedOrReordered_Fails(TreeWithPrefix input, Hash extra)
    {
        var (proof, root1, root2) = Build(input);
        var (size1, size2) = ((ulong)input.Size1, (ulong)input.Size2);

        ProofAssert.Fails(ConsistencyProof.Verify(size1, size2, root1, root2, [.. proof, extra]), "extra hash at the end", ProofFailure.WrongProofLength);
        ProofAssert.Fails(ConsistencyProof.Verify(size1, size2, root1, root2, [extra, .. proof]), "extra hash at the start", ProofFailure.WrongProofLength);
        if (proof.Length == 0)
        {
            return;
        }

        ProofAssert.Fails(ConsistencyProof.Verify(size1, size2, root1, root2, [.. proof, .. proof]), "proof twice", ProofFailure.WrongProofLength);
        ProofAssert.Fails(ConsistencyProof.Verify(size1, size2, root1, root2, proof.AsSpan(..^1)), "last hash dropped", ProofFailure.WrongProofLength);
        ProofAssert.Fails(ConsistencyProof.Verify(size1, size2, root1, root2, proof.AsSpan(1..)), "first hash dropped", ProofFailure.WrongProofLength);
        ProofAssert.Fails(ConsistencyProof.Verify(size1, size2, root1, root2, []), "empty proof", ProofFailure.WrongProofLength);
        for (var i = 0; i < proof.Length; i++)
        {
            if (proof[i] != extra)
            {
                ProofAssert.Fails(ConsistencyProof.Verify(size1, size2, root1, root2, Mutate.With(proof, i, extra)), $"proof[{i}] replaced", Mismatch);
            }

            for (var j = i + 1; j < proof.Length; j++)
            {
                ProofAssert.Fails(ConsistencyProof.Verify(size1, size2, root1, root2, Mutate.Swap(proof, i, j)), $"proof[{i}] and [{j}] swapped", Mismatch);
            }
        }
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(0UL, 1UL)]
    [InlineData(0UL, 8UL)]
    [InlineData(2UL, 1UL)]
    [InlineData(ulong.MaxValue, 1UL)]
    public void Verify_Size1ZeroOrAboveSize2_FailsWithIndexOutOfRange(ulong size1, ulong size2)
    {
        // size1 = 0 is refused even with matching empty roots and an empty proof: see ConsistencyProof's remarks.
        ProofAssert.Fails(
            ConsistencyProof.Verify(size1, size2, Rfc6962.EmptyRoot, Rfc6962.EmptyRoot, []), null, ProofFailure.IndexOutOfRange);
    }

    [Fact]
    public void Verify_EqualSizes_NeedsEqualRootsAndAnEmptyProof()
    {
        var root = Rfc6962.HashLeaf("x"u8);
        var other = Rfc6962.HashLeaf("y"u8);

        ProofAssert.Valid(ConsistencyProof.Verify(5, 5, root, root, []));
        ProofAssert.Fails(ConsistencyProof.Verify(5, 5, root, other, []), null, ProofFailure.RootMismatch);
        ProofAssert.Fails(ConsistencyProof.Verify(5, 5, root, root, [root]), null, ProofFailure.WrongProofLength);
    }

    // Trees far too big to build, made of one repeated leaf so that every subtree hash is known.
    [Theory]
    [InlineData(1UL, ulong.MaxValue)]
    [InlineData(ulong.MaxValue - 1, ulong.MaxValue)]
    [InlineData((1UL << 63) + 1, ulong.MaxValue)]
    [InlineData(12_345UL, 1UL << 63)]
    [InlineData((1UL << 63) - 1, 1UL << 63)]
    public void Verify_ValidProofBetweenHugeTrees_IsValid(ulong size1, ulong size2)
    {
        var (proof, root1, root2) = UniformTreeProof(size1, size2);

        ProofAssert.Valid(ConsistencyProof.Verify(size1, size2, root1, root2, proof));
        Assert.Equal(proof.Length, ConsistencyProof.ExpectedLength(size1, size2));
    }

    // Fails (bug): when 1 < size1 <= 2^63 < size2, so that size2 - 1 has bit 63 set and size1 - 1 does not,
    // ExpectedLength computes PopCount((size1 - 1) >> 64), which C# takes as a shift by 0, so valid proofs are
    // refused as WrongProofLength.
    [Theory]
    [InlineData(2UL, (1UL << 63) + 1)]
    [InlineData(6UL, ulong.MaxValue)]
    [InlineData(1UL << 62, ulong.MaxValue)]
    [InlineData(1UL << 63, (1UL << 63) + 1)]
    public void Verify_ValidProofFromBelowToAbove2Pow63_IsValid(ulong size1, ulong size2)
    {
        var (proof, root1, root2) = UniformTreeProof(size1, size2);

        ProofAssert.Valid(ConsistencyProof.Verify(size1, size2, root1, root2, proof));
        Assert.Equal(proof.Length, ConsistencyProof.ExpectedLength(size1, size2));
    }

    private static (Hash[] Proof, Hash Root1, Hash Root2) Build(TreeWithPrefix input)
    {
        var tree = new ReferenceTree(input.Leaves.Hashes);
        return (tree.ConsistencyProof(input.Size1), tree.Root(0, input.Size1), tree.Root());
    }

    private static (Hash[] Proof, Hash Root1, Hash Root2) UniformTreeProof(ulong size1, ulong size2)
    {
        var leaf = Rfc6962.HashLeaf("same"u8);
        var memo = new Dictionary<ulong, Hash>();
        var proof = ReferenceTree.ConsistencyRanges(size1, size2)
            .Select(r => ReferenceTree.UniformRoot(leaf, r.End - r.Begin, memo))
            .ToArray();
        return (proof, ReferenceTree.UniformRoot(leaf, size1, memo), ReferenceTree.UniformRoot(leaf, size2, memo));
    }
}
