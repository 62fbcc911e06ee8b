using System.Globalization;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EvidenceChain.Ledger.Tests;

public sealed class EvidenceLedgerTests
{
    private static readonly NoteSigner Signer = NoteSigner.FromSeed("ledger.test/log", new byte[32]);

    private static EntryDraft Draft(int n) =>
        new("file", "t", [], new Dictionary<string, string> { ["n"] = n.ToString(CultureInfo.InvariantCulture) });

    private static Task<EvidenceLedger> OpenAsync(ILedgerStore store, LedgerOptions? options = null, TimeProvider? time = null) =>
        EvidenceLedger.OpenAsync(
            store, new MemoryEntryIndex(), Signer, options ?? new LedgerOptions { MaxBatchDelay = TimeSpan.Zero },
            time ?? TimeProvider.System, NullLogger<EvidenceLedger>.Instance);

    [Fact]
    public async Task Open_EmptyStore_PublishesSignedSizeZeroCheckpoint()
    {
        var store = new MemoryLedgerStore();
        await using var ledger = await OpenAsync(store);

        var opened = CheckpointNote.Open(Assert.Single(store.History), Signer.VerifierKey);
        Assert.True(opened.IsValid, opened.Message);
        Assert.Equal(0UL, opened.Checkpoint!.Size);
        Assert.Equal(Rfc6962.EmptyRoot, opened.Checkpoint.Root);
    }

    [Fact]
    public async Task Append_StampsTimeFromTheTimeProviderInMilliseconds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero).AddTicks(12_345_678));
        await using var ledger = await OpenAsync(new MemoryLedgerStore(), time: time);

        var result = await ledger.AppendAsync(Draft(0));

        var entry = LeafCodec.Parse(result.Leaf.Span);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 0, 1, 234, TimeSpan.Zero), entry.Time);
    }

    [Fact]
    public async Task Append_IndexWritesFail_AppendsNotHeldBack_IndexCatchesUpOnceTheyWork()
    {
        var index = new FailingIndex();
        await using var ledger = await EvidenceLedger.OpenAsync(
            new MemoryLedgerStore(), index, Signer, new LedgerOptions { MaxBatchDelay = TimeSpan.Zero, MaxIndexLag = 4 },
            TimeProvider.System, NullLogger<EvidenceLedger>.Instance);

        // While the index fails, the lag bound (4) does not hold appends back (the index never catches up), and
        // look-ups do not wait for it.
        var results = new List<AppendResult>();
        for (var n = 0; n < 10; n++)
        {
            results.Add(await ledger.AppendAsync(Draft(n)).WaitAsync(TimeSpan.FromSeconds(20)));
        }

        Assert.True(index.Failures > 0);
        Assert.Equal(0UL, index.IndexedSize);
        Assert.False(await ledger.WaitForIndexAsync(10, TimeSpan.FromSeconds(5)));

        // It is retried (after 1 s, 2 s, ...) and then catches up from the published log.
        index.Heal();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await ledger.WaitForIndexAsync(10, TimeSpan.FromMilliseconds(200)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(10UL, index.IndexedSize);
        Assert.All(results, r => Assert.Equal(r.Index, ledger.FindByLeafHash(r.LeafHash)));
    }

    /// <summary>An in-memory index whose writes throw until healed.</summary>
    private sealed class FailingIndex : IEntryIndex
    {
        private readonly MemoryEntryIndex _inner = new();
        private volatile bool _healed;
        private int _failures;

        public int Failures => Volatile.Read(ref _failures);

        public ulong IndexedSize => _inner.IndexedSize;

        public void Heal() => _healed = true;

        public void Add(IReadOnlyList<IndexedEntry> entries)
        {
            if (!_healed)
            {
                Interlocked.Increment(ref _failures);
                throw new IOException("disk full");
            }

            _inner.Add(entries);
        }

        public void Reset() => _inner.Reset();

        public ulong? FindByLeafHash(Hash leafHash) => _inner.FindByLeafHash(leafHash);

        public IReadOnlyList<ulong> FindByDigest(Hash digest, int limit) => _inner.FindByDigest(digest, limit);
    }

    [Fact]
    public async Task Append_QueueFull_ThrowsLedgerBusy()
    {
        var store = new MemoryLedgerStore();
        await using var ledger = await OpenAsync(store, new LedgerOptions { MaxPendingAppends = 2, MaxBatchSize = 1, MaxBatchDelay = TimeSpan.Zero });
        store.Gate = new TaskCompletionSource();

        // The first append is taken by the sequencer and held at the gate; two more fill the queue.
        var first = ledger.AppendAsync(Draft(0));
        while (store.Writes == 0)
        {
            await Task.Yield();
        }

        var queued = new[] { ledger.AppendAsync(Draft(1)), ledger.AppendAsync(Draft(2)) };
        Assert.Throws<LedgerBusyException>(() => { _ = ledger.AppendAsync(Draft(3)); });

        store.Gate.SetResult();
        await first;
        await Task.WhenAll(queued);
        Assert.Equal(3UL, ledger.Size);
    }

    [Fact]
    public async Task Append_WriteFails_WaitersFailAndLedgerRecovers()
    {
        var store = new MemoryLedgerStore();
        await using var ledger = await OpenAsync(store);
        await ledger.AppendAsync(Draft(0));
        store.FailNextWrite = true;

        await Assert.ThrowsAsync<IOException>(() => ledger.AppendAsync(Draft(1)));
        Assert.Equal(1UL, ledger.Size);

        var next = await ledger.AppendAsync(Draft(2));
        Assert.Equal(1UL, next.Index);
        var entry0 = await ledger.GetEntryAsync(0);
        Assert.Equal(entry0.LeafHash, LeafCodec.Parse(next.Leaf.Span).Prev);
    }

    [Fact]
    public async Task Dispose_DrainsQueuedAppends()
    {
        var store = new MemoryLedgerStore();
        var ledger = await OpenAsync(store, new LedgerOptions { MaxBatchSize = 3, MaxBatchDelay = TimeSpan.Zero });
        var appends = Enumerable.Range(0, 50).Select(n => ledger.AppendAsync(Draft(n))).ToArray();

        await ledger.DisposeAsync();

        Assert.All(appends, a => Assert.True(a.IsCompletedSuccessfully));
        Assert.Throws<ObjectDisposedException>(() => { _ = ledger.AppendAsync(Draft(99)); });
    }

    [Fact]
    public async Task Proofs_AtEveryPublishedSize_Verify()
    {
        var store = new MemoryLedgerStore();
        await using var ledger = await OpenAsync(store, new LedgerOptions { MaxBatchSize = 7, MaxBatchDelay = TimeSpan.Zero });
        var results = await Task.WhenAll(Enumerable.Range(0, 600).Select(n => ledger.AppendAsync(Draft(n))));
        var checkpoints = store.History.Select(n => CheckpointNote.Open(n, Signer.VerifierKey).Checkpoint!).ToList();

        for (var c = 1; c < checkpoints.Count; c++)
        {
            var (older, newer) = (checkpoints[c - 1], checkpoints[c]);
            if (older.Size > 0)
            {
                var proof = await ledger.ConsistencyProofAsync(older.Size, newer.Size);
                Assert.True(ConsistencyProof.Verify(older.Size, newer.Size, older.Root, newer.Root, proof).IsValid);
            }

            Assert.Equal(newer.Root, await ledger.RootAtAsync(newer.Size));
        }

        foreach (var r in results.Where(r => r.Index % 13 == 0))
        {
            var proof = await ledger.InclusionProofAsync(r.Index, r.TreeSize);
            var at = CheckpointNote.Open(r.SignedCheckpoint, Signer.VerifierKey).Checkpoint!;
            Assert.True(InclusionProof.Verify(r.Index, at.Size, r.LeafHash, proof, at.Root).IsValid);
        }
    }

    [Fact]
    public async Task Proofs_AcrossAFullLevelOneTile_MatchTheReferenceTree_WarmAndCold()
    {
        // 2^16 + 300 entries: a full level-1 tile (the cached tile trees are used for nodes up to level 16) and partial ones.
        const int Count = (1 << 16) + 300;
        var store = new MemoryLedgerStore();
        Hash[] leafHashes;
        await using (var ledger = await OpenAsync(store, new LedgerOptions { MaxBatchSize = 8192, MaxBatchDelay = TimeSpan.Zero, MaxPendingAppends = 1 << 17 }))
        {
            var results = await Task.WhenAll(Enumerable.Range(0, Count).Select(n => ledger.AppendAsync(Draft(n))));
            leafHashes = [.. results.OrderBy(r => r.Index).Select(r => r.LeafHash)];
            await AssertProofsAsync(ledger, leafHashes);
        }

        // A ledger reopened on the same store starts with an empty tile cache: every tile tree is rebuilt from the files.
        await using var reopened = await OpenAsync(store);
        await AssertProofsAsync(reopened, leafHashes);
    }

    private static async Task AssertProofsAsync(EvidenceLedger ledger, Hash[] leafHashes)
    {
        var reference = new ReferenceTree(leafHashes);
        var size = (ulong)leafHashes.Length;
        Assert.Equal(reference.Root(), ledger.Root);
        var random = new Random(7);
        ulong[] indices = [0, 255, 256, 65_535, 65_536, size - 1, .. Enumerable.Range(0, 40).Select(_ => (ulong)random.NextInt64((long)size))];
        foreach (var index in indices)
        {
            Assert.Equal(leafHashes[index], await ledger.LeafHashAsync(index));
            Assert.Equal(reference.Path((int)index), await ledger.InclusionProofAsync(index, size));
        }

        foreach (var size1 in new ulong[] { 1, 256, 65_536, 65_537, size - 1 })
        {
            Assert.Equal(reference.ConsistencyProof((int)size1), await ledger.ConsistencyProofAsync(size1, size));
        }
    }

    [Fact]
    public async Task Proofs_BeyondTheTree_ThrowOutOfRange()
    {
        await using var ledger = await OpenAsync(new MemoryLedgerStore());
        await ledger.AppendAsync(Draft(0));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.InclusionProofAsync(0, 2));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.InclusionProofAsync(1, 1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.ConsistencyProofAsync(0, 1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.GetEntryAsync(1));
    }
}
