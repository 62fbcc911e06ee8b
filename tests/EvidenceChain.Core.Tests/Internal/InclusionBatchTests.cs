using EvidenceChain.Core.Internal;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Internal;

/// <summary>
/// The batch path (<see cref="InclusionProof.VerifyBatch"/>) gives, claim by claim, exactly what
/// <see cref="InclusionProof.Verify"/> gives (failure, roots and message), with every kernel the hashing can take,
/// over random trees and a mix of good and wrong proofs, counts that are not a multiple of the lane width, and
/// batches that span several chunks.
/// </summary>
public sealed class InclusionBatchTests
{
    public static TheoryData<string> Kernels() => [.. TestKernels.Available()];

    [Property(MaxTest = 100)]
    public Property VerifyBatch_RandomClaims_SameResultsAsOneAtATime(byte[] seed) =>
        Prop.ForAll(
            Gen.Elements(TestKernels.Available()).ToArbitrary(),
            Gen.OneOf(Gen.Choose(0, 40), Gen.Choose(0, 300), Gen.Elements(15, 16, 17, 31, 33)).ToArbitrary(),
            (name, count) =>
            {
                var random = new Random(seed.Aggregate(23, (h, b) => unchecked((h * 31) + b)) ^ count);
                var claims = RandomClaims(random, count, maxTreeSize: 300);
                AssertSameAsSingle(TestKernels.Create(name), claims);
                return true;
            });

    [Theory]
    [MemberData(nameof(Kernels))]
    public void VerifyBatch_SeveralChunksOfMixedClaims_SameResultsAsOneAtATime(string name)
    {
        // Larger than the batch's chunk of 512, and odd, so chunk ends and lane tails are both crossed.
        var claims = RandomClaims(new Random(29), 1_337, maxTreeSize: 2_000);
        var results = AssertSameAsSingle(TestKernels.Create(name), claims);
        Assert.Contains(results, r => r.IsValid);
        Assert.Contains(results, r => r.Failure == ProofFailure.RootMismatch);
        Assert.Contains(results, r => r.Failure == ProofFailure.WrongProofLength);
        Assert.Contains(results, r => r.Failure == ProofFailure.IndexOutOfRange);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void VerifyBatch_EveryProofOfOneTree_AllValid(string name)
    {
        var tree = RandomTree(new Random(31), 257);
        var root = tree.Root();
        var claims = Enumerable.Range(0, tree.Size)
            .Select(i => new InclusionClaim((ulong)i, (ulong)tree.Size, Leaf(tree, i), tree.Path(i), root))
            .ToArray();
        var results = new ProofResult[claims.Length];
        InclusionBatch.Verify(TestKernels.Create(name), claims, results);
        Assert.All(results, r => ProofAssert.Valid(r));
    }

    [Fact]
    public void VerifyBatch_PublicEntryPoint_SameResultsAsOneAtATime()
    {
        var claims = RandomClaims(new Random(37), 500, maxTreeSize: 600);
        var results = new ProofResult[claims.Length];
        InclusionProof.VerifyBatch(claims, results);
        for (var i = 0; i < claims.Length; i++)
        {
            var c = claims[i];
            Assert.Equal(InclusionProof.Verify(c.Index, c.Size, c.LeafHash, c.Proof.Span, c.Root), results[i]);
        }
    }

    [Fact]
    public void VerifyBatch_ResultsOfAnotherLength_Throws()
    {
        var claims = RandomClaims(new Random(41), 3, maxTreeSize: 10);
        Assert.Throws<ArgumentException>(() => InclusionProof.VerifyBatch(claims, new ProofResult[2]));
        InclusionProof.VerifyBatch([], []);
    }

    [Property(MaxTest = 500)]
    public Property Plan_AnyIndexAndSize_SidesAsTheRfc9162Walk(ulong a, ulong b) =>
        Prop.ForAll(Gen.Choose(0, 64).ToArbitrary(), width =>
        {
            // Sizes from tiny to 2^64 - 1, the index anywhere below.
            var size = Math.Max(1, width == 64 ? a : a & ((1UL << width) - 1));
            var index = b % size;
            var length = InclusionProof.ExpectedLength(index, size);
            Assert.Null(InclusionBatch.Plan(index, size, length, out var mask));
            ulong fn = index, sn = size - 1, walked = 0;
            for (var step = 0; step < length; step++)
            {
                Assert.NotEqual(0UL, sn);
                if ((fn & 1) == 1 || fn == sn)
                {
                    walked |= 1UL << step;
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }

                fn >>= 1;
                sn >>= 1;
            }

            Assert.Equal(0UL, sn);
            Assert.Equal(walked, mask);
            return true;
        });

    private static ProofResult[] AssertSameAsSingle(ISha256Kernel kernel, InclusionClaim[] claims)
    {
        var results = new ProofResult[claims.Length];
        InclusionBatch.Verify(kernel, claims, results);
        for (var i = 0; i < claims.Length; i++)
        {
            var c = claims[i];
            var expected = InclusionProof.Verify(c.Index, c.Size, c.LeafHash, c.Proof.Span, c.Root);
            Assert.True(expected == results[i], $"claim {i} (index {c.Index}, size {c.Size}, {c.Proof.Length} hashes): one at a time {expected}, batch {results[i]}");
        }

        return results;
    }

    /// <summary>
    /// Claims over a few random trees: about half good proofs, the rest each wrong in one way (a flipped bit in a
    /// hash, the root or the leaf; a hash dropped, added or moved; the index or size changed; the index out of range;
    /// another tree's root), with proof memory that is sometimes a slice of a larger array.
    /// </summary>
    private static InclusionClaim[] RandomClaims(Random random, int count, int maxTreeSize)
    {
        var trees = Enumerable.Range(0, 3).Select(_ => RandomTree(random, random.Next(1, maxTreeSize + 1))).ToArray();
        var roots = trees.Select(t => t.Root()).ToArray();
        var claims = new InclusionClaim[count];
        for (var c = 0; c < count; c++)
        {
            var t = random.Next(trees.Length);
            var tree = trees[t];
            var index = random.Next(tree.Size);
            var proof = tree.Path(index);
            var claim = new InclusionClaim((ulong)index, (ulong)tree.Size, Leaf(tree, index), proof, roots[t]);
            claims[c] = random.Next(12) switch
            {
                0 when proof.Length > 0 => claim with { Proof = Mutate.With(proof, random.Next(proof.Length), Mutate.FlipBit(proof[random.Next(proof.Length)], random.Next(Mutate.HashBits))) },
                1 => claim with { Root = Mutate.FlipBit(claim.Root, random.Next(Mutate.HashBits)) },
                2 => claim with { LeafHash = Mutate.FlipBit(claim.LeafHash, random.Next(Mutate.HashBits)) },
                3 when proof.Length > 0 => claim with { Proof = proof.AsMemory(0, proof.Length - 1) },
                4 => claim with { Proof = (Hash[])[.. proof, claim.Root] },
                5 => claim with { Index = (ulong)random.Next(tree.Size + 3) },
                6 => claim with { Size = (ulong)random.Next(1, (2 * tree.Size) + 2) },
                7 => claim with { Index = claim.Size + (ulong)random.Next(3) },
                8 => claim with { Root = roots[random.Next(roots.Length)] },
                9 => claim with { Proof = Sliced(proof, random) },
                10 when proof.Length > 1 => claim with { Proof = Mutate.Swap(proof, 0, proof.Length - 1) },
                _ => claim,
            };
        }

        return claims;
    }

    private static ReadOnlyMemory<Hash> Sliced(Hash[] proof, Random random)
    {
        var before = random.Next(3);
        var padded = new Hash[before + proof.Length + random.Next(3)];
        proof.CopyTo(padded, before);
        return padded.AsMemory(before, proof.Length);
    }

    private static ReferenceTree RandomTree(Random random, int size)
    {
        var bytes = new byte[32 * size];
        random.NextBytes(bytes);
        return new ReferenceTree(Hash.FromConcatenated(bytes).ToArray());
    }

    private static Hash Leaf(ReferenceTree tree, int index) => tree.Root(index, index + 1);
}
