using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Testing;

namespace EvidenceChain.Storage.Tests;

/// <summary>The run-based index against a plain in-memory model of what it must answer.</summary>
public sealed class LiteDbEntryIndexTests
{
    private sealed class Model
    {
        public List<IndexedEntry> Entries { get; } = [];

        public Dictionary<Hash, List<ulong>> ByDigest { get; } = [];

        public void Add(IndexedEntry entry)
        {
            Entries.Add(entry);
            foreach (var d in entry.Digests.Distinct())
            {
                if (!ByDigest.TryGetValue(d, out var list))
                {
                    ByDigest[d] = list = [];
                }

                list.Add(entry.Index);
            }
        }
    }

    private static Hash RandomHash(Random random)
    {
        var bytes = new byte[Hash.Size];
        random.NextBytes(bytes);
        return new Hash(bytes);
    }

    // Adds entries in batches of random size; digests come from a small pool so that they repeat across runs.
    private static Model Fill(LiteDbEntryIndex index, Random random, int entries, Hash[] digestPool)
    {
        var model = new Model();
        while (model.Entries.Count < entries)
        {
            var batch = new List<IndexedEntry>();
            var size = Math.Min(entries - model.Entries.Count, random.Next(1, 6000));
            for (var i = 0; i < size; i++)
            {
                var digests = Enumerable.Range(0, random.Next(0, 4)).Select(_ => digestPool[random.Next(digestPool.Length)]).ToList();
                var entry = new IndexedEntry((ulong)(model.Entries.Count + batch.Count), RandomHash(random), digests);
                batch.Add(entry);
            }

            index.Add(batch);
            batch.ForEach(model.Add);
        }

        return model;
    }

    private static void AssertAnswers(LiteDbEntryIndex index, Model model, Random random)
    {
        Assert.Equal((ulong)model.Entries.Count, index.IndexedSize);
        foreach (var entry in Enumerable.Range(0, 300).Select(_ => model.Entries[random.Next(model.Entries.Count)]))
        {
            Assert.Equal(entry.Index, index.FindByLeafHash(entry.LeafHash));
        }

        foreach (var (digest, expected) in model.ByDigest)
        {
            Assert.Equal(expected, index.FindByDigest(digest, int.MaxValue));
            Assert.Equal(expected.Take(3), index.FindByDigest(digest, 3));
        }

        Assert.Null(index.FindByLeafHash(RandomHash(random)));
        Assert.Empty(index.FindByDigest(RandomHash(random), 10));
    }

    [Fact]
    public void ManyAddsMergedAndReopened_AnswerAsTheModel()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "index.db");
        var random = new Random(7);
        var pool = Enumerable.Range(0, 400).Select(_ => RandomHash(random)).ToArray();
        Model model;
        using (var index = new LiteDbEntryIndex(path))
        {
            model = Fill(index, random, 120_000, pool);
            AssertAnswers(index, model, random);

            // At most three runs per size class (1-3, 4-15, ... entries: 9 classes up to 120,000), and a fourth while
            // a class is being merged into the next.
            Assert.InRange(index.RunCount, 1, 3 * 9);
        }

        using var reopened = new LiteDbEntryIndex(path, readOnly: true);
        AssertAnswers(reopened, model, random);
        Assert.Equal(model.Entries, reopened.All(), new EntryComparer());
    }

    [Fact]
    public void KeysSharingTheirFirstBytesAcrossBlocks_AllFound()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "index.db");
        var index = new LiteDbEntryIndex(path);
        var random = new Random(3);
        var model = new Model();

        // 1,000 digests whose first 8 bytes are equal span several blocks of 128 records; some repeat.
        var alike = Enumerable.Range(0, 1000).Select(_ =>
        {
            var bytes = new byte[Hash.Size];
            random.NextBytes(bytes);
            bytes.AsSpan(0, 8).Fill(0x5a);
            return new Hash(bytes);
        }).ToArray();
        for (var batch = 0; batch < 8; batch++)
        {
            var entries = Enumerable.Range(0, 700).Select(i => new IndexedEntry(
                (ulong)model.Entries.Count + (ulong)i, RandomHash(random), [alike[random.Next(alike.Length)], alike[random.Next(alike.Length)]])).ToList();
            index.Add(entries);
            entries.ForEach(model.Add);
        }

        // Written by this process, small runs answer from memory; reopened, every answer comes from the blocks.
        AssertAnswers(index, model, random);
        index.Dispose();
        using var reopened = new LiteDbEntryIndex(path, readOnly: true);
        AssertAnswers(reopened, model, random);
    }

    [Fact]
    public void BacklogInBigChunksBehindSmallRuns_MergedNotLeftBehind()
    {
        using var temp = new TempFolder();
        var random = new Random(11);
        var pool = Enumerable.Range(0, 50).Select(_ => RandomHash(random)).ToArray();
        using var index = new LiteDbEntryIndex(Path.Combine(temp.Path, "index.db"));
        var model = new Model();
        foreach (var size in new[] { 3000, 3000, 3000, 16_384, 16_384, 16_384, 16_384, 16_384, 16_384, 700, 16_384, 5, 5, 3000 })
        {
            var entries = Enumerable.Range(0, size)
                .Select(i => new IndexedEntry((ulong)(model.Entries.Count + i), RandomHash(random), [pool[random.Next(pool.Length)]]))
                .ToList();
            index.Add(entries);
            entries.ForEach(model.Add);
        }

        AssertAnswers(index, model, random);
        Assert.InRange(index.RunCount, 1, 8);
    }

    [Fact]
    public void MergeOfMoreThan1024BlocksASection_AnswersAfterReopening()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "index.db");
        var random = new Random(13);
        var pool = Enumerable.Range(0, 2000).Select(_ => RandomHash(random)).ToArray();
        Model model;
        using (var index = new LiteDbEntryIndex(path))
        {
            model = new Model();
            for (var chunk = 0; chunk < 4; chunk++)
            {
                var entries = Enumerable.Range(0, 40_000)
                    .Select(i => new IndexedEntry((ulong)(model.Entries.Count + i), RandomHash(random), [pool[random.Next(pool.Length)]]))
                    .ToList();
                index.Add(entries);
                entries.ForEach(model.Add);
            }

            Assert.Equal(1, index.RunCount); // 160,000 entries: 1,250 blocks of leaf hashes in one run
        }

        using var reopened = new LiteDbEntryIndex(path, readOnly: true);
        AssertAnswers(reopened, model, random);
        Assert.Equal(model.Entries, reopened.All(), new EntryComparer());
    }

    [Theory]
    [InlineData(1L << 40)] // never reopened
    [InlineData(5_000L)] // reopened (to give LiteDB's page cache back) every five adds, while look-ups run
    public async Task LookUpsDuringMerges_NeverMissAnIndexedEntry(long reopenAfter)
    {
        using var temp = new TempFolder();
        using var index = new LiteDbEntryIndex(Path.Combine(temp.Path, "index.db"), readOnly: false, reopenAfter);
        var random = new Random(17);
        var added = new IndexedEntry[120_000]; // filled in order; the reader only reads what addedCount covers
        var addedCount = 0;
        var done = false;
        var reader = Task.Run(() =>
        {
            var r = new Random(1);
            var checks = 0;
            while (!Volatile.Read(ref done))
            {
                var count = Volatile.Read(ref addedCount);
                if (count == 0)
                {
                    continue;
                }

                var entry = added[r.Next(count)];
                Assert.Equal(entry.Index, index.FindByLeafHash(entry.LeafHash));
                Assert.Contains(entry.Index, index.FindByDigest(entry.Digests[0], int.MaxValue));
                checks++;
            }

            return checks;
        });
        for (var batch = 0; batch < 120; batch++)
        {
            var first = batch * 1000;
            var entries = Enumerable.Range(0, 1000)
                .Select(i => new IndexedEntry((ulong)(first + i), RandomHash(random), [RandomHash(random)]))
                .ToList();
            index.Add(entries);
            entries.CopyTo(added, first);
            Volatile.Write(ref addedCount, first + 1000);
        }

        Volatile.Write(ref done, true);
        Assert.True(await reader > 100);
    }

    [Fact]
    public void Add_NotTheNextEntry_RefusedAndNothingChanges()
    {
        using var temp = new TempFolder();
        using var index = new LiteDbEntryIndex(Path.Combine(temp.Path, "index.db"));
        index.Add([new IndexedEntry(0, new Hash(new byte[32]), [])]);

        var e = Assert.Throws<ArgumentException>(() => index.Add([new IndexedEntry(2, new Hash(new byte[32]), [])]));

        Assert.Contains("Expected entry 1 next; got 2", e.Message, StringComparison.Ordinal);
        Assert.Equal(1UL, index.IndexedSize);
    }

    [Fact]
    public void Reset_ForgetsEverything()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "index.db");
        var random = new Random(5);
        using (var index = new LiteDbEntryIndex(path))
        {
            var model = Fill(index, random, 20_000, [RandomHash(random)]);
            index.Reset();

            Assert.Equal(0UL, index.IndexedSize);
            Assert.Null(index.FindByLeafHash(model.Entries[5].LeafHash));
            index.Add([new IndexedEntry(0, model.Entries[5].LeafHash, [])]);
            Assert.Equal(0UL, index.FindByLeafHash(model.Entries[5].LeafHash));
        }

        using var reopened = new LiteDbEntryIndex(path);
        Assert.Equal(1UL, reopened.IndexedSize);
    }

    [Fact]
    public void FileOfTheOlderLayout_StartsEmptyForTheLedgerToRefill()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "index.db");
        using (var db = new LiteDB.LiteDatabase(path))
        {
            db.GetCollection("leaves").Insert(new LiteDB.BsonDocument { ["_id"] = new byte[32], ["i"] = 0L });
            db.GetCollection("meta").Insert(new LiteDB.BsonDocument { ["_id"] = "indexedSize", ["v"] = 1L });
        }

        using (var reader = new LiteDbEntryIndex(path, readOnly: true))
        {
            Assert.Equal(0UL, reader.IndexedSize);
        }

        using (var writer = new LiteDbEntryIndex(path))
        {
            Assert.Equal(0UL, writer.IndexedSize);
            writer.Add([new IndexedEntry(0, new Hash(new byte[32]), [])]);
        }

        using var reopened = new LiteDbEntryIndex(path);
        Assert.Equal(0UL, reopened.FindByLeafHash(new Hash(new byte[32])));
    }

    private sealed class EntryComparer : IEqualityComparer<IndexedEntry>
    {
        public bool Equals(IndexedEntry? x, IndexedEntry? y) =>
            x is not null && y is not null && x.Index == y.Index && x.LeafHash == y.LeafHash &&
            x.Digests.Distinct().Order().SequenceEqual(y.Digests.Distinct().Order());

        public int GetHashCode(IndexedEntry obj) => obj.Index.GetHashCode();
    }
}
