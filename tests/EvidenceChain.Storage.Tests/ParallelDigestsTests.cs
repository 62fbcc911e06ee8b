using EvidenceChain.Core.Digests;
using EvidenceChain.Storage.Internal;
using EvidenceChain.Testing.Arbitraries;
using FsCheck.Xunit;

namespace EvidenceChain.Storage.Tests;

/// <summary>SHA-256 and SM3 computed side by side (<see cref="ParallelDigests"/>) against the one-shot digests.</summary>
[Properties(Arbitrary = [typeof(MerkleArbitraries)])]
public sealed class ParallelDigestsTests
{
    private static async Task<ArtefactDigests> DigestAsync(IEnumerable<ReadOnlyMemory<byte>> pieces, bool withSm3)
    {
        await using var digests = new ParallelDigests(withSm3);
        foreach (var piece in pieces)
        {
            await digests.AppendAsync(piece, CancellationToken.None);
        }

        return await digests.FinishAsync(CancellationToken.None);
    }

    [Property]
    public async Task FinishAsync_AnyChunking_EqualsOneShot(ChunkedBytes input, bool withSm3)
    {
        var digests = await DigestAsync(input.Slices(), withSm3);

        Assert.Equal(ArtefactHasher.Compute(input.Data, withSm3), digests);
    }

    // Pieces of up to 1.5 segments across several segments: pieces that end a segment exactly, cross one, and fill
    // more than the segments in flight.
    [Property(MaxTest = 12)]
    public async Task FinishAsync_RandomPiecesAcrossSegments_EqualsOneShot(int seed, bool withSm3)
    {
        var random = new Random(seed);
        var data = new byte[(ParallelDigests.SegmentSize * random.Next(ParallelDigests.Depth, ParallelDigests.Depth + 3)) + random.Next(0, 3) - 1];
        random.NextBytes(data);
        var pieces = new List<ReadOnlyMemory<byte>>();
        for (var at = 0; at < data.Length;)
        {
            var take = Math.Min(data.Length - at, random.Next(3) == 0 ? ParallelDigests.SegmentSize : random.Next(0, 3 * ParallelDigests.SegmentSize / 2));
            pieces.Add(data.AsMemory(at, take));
            at += take;
        }

        var digests = await DigestAsync(pieces, withSm3);

        Assert.Equal(ArtefactHasher.Compute(data, withSm3), digests);
    }

    [Fact]
    public async Task DisposeAsync_WithoutFinish_StopsAndDoesNotHang()
    {
        var digests = new ParallelDigests(withSm3: true);
        await digests.AppendAsync(new byte[(ParallelDigests.Depth + 2) * ParallelDigests.SegmentSize], CancellationToken.None);

        await digests.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AppendAsync_Cancelled_WhileWaitingForASegment_Throws()
    {
        await using var digests = new ParallelDigests(withSm3: true);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => digests.AppendAsync(new byte[(ParallelDigests.Depth + 1) * ParallelDigests.SegmentSize], cancelled.Token).AsTask());
    }
}
