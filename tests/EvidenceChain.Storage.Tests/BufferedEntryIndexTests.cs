using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Internal;
using EvidenceChain.Testing;

namespace EvidenceChain.Storage.Tests;

public sealed class BufferedEntryIndexTests
{
    private static Hash H(string label, ulong n) => new(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{label}{n}")));

    // Entry n lists its own digest and a digest shared by every entry with the same n % 3.
    private static IndexedEntry Entry(ulong n) => new(n, H("leaf", n), [H("own", n), H("shared", n % 3)]);

    private static IndexedEntry[] Entries(ulong from, int count) => [.. Enumerable.Range(0, count).Select(i => Entry(from + (ulong)i))];

    [Fact]
    public void Add_FoundAtOnce_AndStillFoundAfterTheFlush()
    {
        var inner = new MemoryEntryIndex();
        using var index = new BufferedEntryIndex(inner);

        index.Add(Entries(0, 10));

        Assert.Equal(10UL, index.IndexedSize);
        Assert.Equal(7UL, index.FindByLeafHash(H("leaf", 7)));
        Assert.Equal([1UL, 4, 7], index.FindByDigest(H("shared", 1), 10));
        index.Flush();
        Assert.Equal(10UL, inner.IndexedSize);
        Assert.Equal(7UL, index.FindByLeafHash(H("leaf", 7)));
        Assert.Equal([1UL, 4, 7], index.FindByDigest(H("shared", 1), 10));
    }

    [Fact]
    public void FindByDigest_PartlyFlushed_MergesInOrderWithoutDuplicatesAndHonoursTheLimit()
    {
        var inner = new MemoryEntryIndex();
        using var index = new BufferedEntryIndex(inner);
        index.Add(Entries(0, 6));
        index.Flush();
        index.Add(Entries(6, 6));

        Assert.Equal([0UL, 3, 6, 9], index.FindByDigest(H("shared", 0), 10));
        Assert.Equal([0UL, 3, 6], index.FindByDigest(H("shared", 0), 3));
        Assert.Null(index.FindByLeafHash(H("leaf", 12)));
        Assert.Empty(index.FindByDigest(H("own", 12), 10));
    }

    [Fact]
    public void Add_OutOfOrder_Throws()
    {
        using var index = new BufferedEntryIndex(new MemoryEntryIndex());
        index.Add(Entries(0, 2));

        Assert.Throws<ArgumentException>(() => index.Add(Entries(3, 1)));
    }

    [Fact]
    public void Open_OnAnIndexThatHoldsEntries_ContinuesFromItsSize()
    {
        var inner = new MemoryEntryIndex();
        inner.Add(Entries(0, 5));

        using var index = new BufferedEntryIndex(inner);
        index.Add(Entries(5, 1));

        Assert.Equal(6UL, index.IndexedSize);
        Assert.Equal(2UL, index.FindByLeafHash(H("leaf", 2)));
    }

    [Fact]
    public void Flush_InnerFails_NextAddReportsIt_AndWhatWasAddedIsStillFound()
    {
        using var index = new BufferedEntryIndex(new FailingIndex());
        index.Add(Entries(0, 3));
        index.Flush();

        var e = Assert.Throws<IOException>(() => index.Add(Entries(3, 1)));
        Assert.Contains("index", e.Message, StringComparison.Ordinal);
        Assert.Equal(1UL, index.FindByLeafHash(H("leaf", 1)));
    }

    [Fact]
    public void Reset_ForgetsEverything()
    {
        var inner = new MemoryEntryIndex();
        using var index = new BufferedEntryIndex(inner);
        index.Add(Entries(0, 4));
        index.Flush();
        index.Add(Entries(4, 4));

        index.Reset();

        Assert.Equal(0UL, index.IndexedSize);
        Assert.Equal(0UL, inner.IndexedSize);
        Assert.Null(index.FindByLeafHash(H("leaf", 5)));
        index.Add(Entries(0, 1));
    }

    [Fact]
    public async Task FindByLeafHash_WhileEntriesMoveToTheInnerIndex_NeverMissesAnAddedEntry()
    {
        var inner = new MemoryEntryIndex();
        using var index = new BufferedEntryIndex(inner);
        const int Total = 60_000;
        var added = 0L;
        var writer = Task.Run(() =>
        {
            for (ulong n = 0; n < Total; n += 100)
            {
                index.Add(Entries(n, 100));
                Volatile.Write(ref added, (long)n + 100);
                if (n % 5_000 == 0)
                {
                    index.Flush();
                }
            }
        });

        var random = new Random(3);
        var misses = 0;
        while (!writer.IsCompleted)
        {
            var known = Volatile.Read(ref added);
            if (known == 0)
            {
                continue;
            }

            var n = (ulong)random.NextInt64(known);
            if (index.FindByLeafHash(H("leaf", n)) != n || !index.FindByDigest(H("own", n), 1).Contains(n))
            {
                misses++;
            }
        }

        await writer;
        Assert.Equal(0, misses);
        index.Flush();
        Assert.Equal((ulong)Total, inner.IndexedSize);
    }

    private sealed class FailingIndex : IEntryIndex
    {
        public ulong IndexedSize => 0;

        public void Add(IReadOnlyList<IndexedEntry> entries) => throw new IOException("disk full");

        public void Reset()
        {
        }

        public ulong? FindByLeafHash(Hash leafHash) => null;

        public IReadOnlyList<ulong> FindByDigest(Hash digest, int limit) => [];
    }
}
