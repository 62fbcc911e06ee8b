using System.Globalization;
using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Notes;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Contract.Tests.Infrastructure;
using EvidenceChain.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Storage.Contract.Tests;

/// <summary>
/// The ledger over each driver's log and digest index: the index follows the published log off the acknowledgement
/// path, with a bounded lag, catches up in the background after a reopen, and is rebuilt when it is ahead of the log.
/// </summary>
public abstract class IndexFollowerContract(IStoreBackend backend) : StoreContract(backend)
{
    private static readonly NoteSigner Signer = NoteSigner.FromSeed("index.test/log", new byte[32]);

    private static Hash Digest(int n) => new(SHA256.HashData(BitConverter.GetBytes(n)));

    private static EntryDraft Draft(int n) => new(
        "file",
        "tester",
        [new Artefact("f.txt", "text/plain", 1, Digest(n % 5), null)],
        new Dictionary<string, string> { ["n"] = n.ToString(CultureInfo.InvariantCulture) });

    private async Task<EvidenceLedger> OpenLedgerAsync(IEntryIndex index, int maxIndexLag = 65_536) =>
        await EvidenceLedger.OpenAsync(
            await Backend.OpenLedgerStoreAsync(),
            index,
            Signer,
            new LedgerOptions { MaxBatchDelay = TimeSpan.Zero, MaxBatchSize = 4, MaxIndexLag = maxIndexLag },
            TimeProvider.System,
            NullLogger<EvidenceLedger>.Instance);

    [ContractFact]
    public async Task Append_IndexAddBlocks_AcknowledgedUpToTheLagBound_ThenAppendsWait()
    {
        using var index = new GatedIndex(await Backend.OpenIndexAsync());
        index.Close();
        var ledger = await OpenLedgerAsync(index, maxIndexLag: 8);
        try
        {
            // Every append up to the bound is acknowledged, readable and provable by index while the index is stuck.
            var acknowledged = new List<AppendResult>();
            for (var n = 0; n < 8; n++)
            {
                acknowledged.Add(await ledger.AppendAsync(Draft(n)).WaitAsync(TimeSpan.FromSeconds(10)));
            }

            Assert.True(index.AddCalled.Wait(TimeSpan.FromSeconds(10)), "the follower never called Add");
            Assert.Equal(8UL, ledger.Size);
            Assert.Equal(0UL, ledger.IndexedSize);
            Assert.Equal(acknowledged[7].LeafHash, (await ledger.GetEntryAsync(7)).LeafHash);

            // The index is 8 entries behind: the next append waits for it instead of the lag growing.
            var waiting = ledger.AppendAsync(Draft(8));
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.False(waiting.IsCompleted, "an append went through with the index 8 entries behind (MaxIndexLag 8)");
            Assert.Equal(8UL, ledger.Size);

            index.Open();
            var last = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(8UL, last.Index);
            foreach (var r in acknowledged.Append(last))
            {
                Assert.Equal(r.Index, await ledger.FindByLeafHashAsync(r.LeafHash));
            }

            Assert.Equal([3UL, 8UL], await ledger.FindByDigestAsync(Digest(3)));
        }
        finally
        {
            index.Open();
            await ledger.DisposeAsync();
        }
    }

    [ContractFact]
    public async Task Reopen_IndexLagging_CaughtUpInTheBackgroundWhileTheLedgerServes()
    {
        AppendResult[] results;
        await using (var first = await OpenLedgerAsync(await Backend.OpenIndexAsync()))
        {
            results = await Task.WhenAll(Enumerable.Range(0, 600).Select(n => first.AppendAsync(Draft(n))));
        }

        // The index lost everything (a crash before its writes were durable, or a deleted index file).
        var emptied = await Backend.OpenIndexAsync();
        emptied.Reset();
        using var index = new GatedIndex(await Backend.OpenIndexAsync());
        index.Close();
        var ledger = await OpenLedgerAsync(index, maxIndexLag: 16);
        try
        {
            // Open does not wait for the index; appends go on although the index lags by more than MaxIndexLag.
            Assert.Equal(600UL, ledger.Size);
            var appended = await ledger.AppendAsync(Draft(600)).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(600UL, appended.Index);
            Assert.False(await ledger.WaitForIndexAsync(601, TimeSpan.FromMilliseconds(200)));
            Assert.Null(ledger.FindByLeafHash(results[0].LeafHash));

            index.Open();
            Assert.True(await ledger.WaitForIndexAsync(601, TimeSpan.FromSeconds(30)));
            foreach (var r in results.Where(r => r.Index % 17 == 0).Append(appended))
            {
                Assert.Equal(r.Index, ledger.FindByLeafHash(r.LeafHash));
            }

            Assert.Equal(121, (await ledger.FindByDigestAsync(Digest(0), 1000)).Count);
        }
        finally
        {
            index.Open();
            await ledger.DisposeAsync();
        }
    }

    [ContractFact]
    public async Task Open_IndexAheadOfTheLog_RebuiltFromTheLog()
    {
        var index = await Backend.OpenIndexAsync();
        index.Add([.. Enumerable.Range(0, 40).Select(i => new IndexedEntry((ulong)i, Digest(1000 + i), [Digest(2000 + i)]))]);

        await using var ledger = await OpenLedgerAsync(index);
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(n => ledger.AppendAsync(Draft(n))));

        Assert.True(await ledger.WaitForIndexAsync(10, TimeSpan.FromSeconds(30)));
        Assert.Equal(10UL, index.IndexedSize);
        Assert.Empty(index.FindByDigest(Digest(2000), 10));
        Assert.Null(index.FindByLeafHash(Digest(1000)));
        foreach (var r in results)
        {
            Assert.Equal(r.Index, ledger.FindByLeafHash(r.LeafHash));
        }
    }

    [ContractFact]
    public async Task Dispose_IndexesEverythingPublished()
    {
        AppendResult[] results;
        await using (var ledger = await OpenLedgerAsync(await Backend.OpenIndexAsync()))
        {
            results = await Task.WhenAll(Enumerable.Range(0, 100).Select(n => ledger.AppendAsync(Draft(n))));
        }

        var index = await Backend.OpenIndexAsync();
        Assert.Equal(100UL, index.IndexedSize);
        Assert.All(results, r => Assert.Equal(r.Index, index.FindByLeafHash(r.LeafHash)));
    }

    /// <summary>An index whose <see cref="Add"/> waits while the gate is closed: a slow or stuck index.</summary>
    private sealed class GatedIndex(IEntryIndex inner) : IEntryIndex, IDisposable
    {
        private readonly ManualResetEventSlim _gate = new(true);

        public ManualResetEventSlim AddCalled { get; } = new(false);

        public ulong IndexedSize => inner.IndexedSize;

        public void Close() => _gate.Reset();

        public void Open() => _gate.Set();

        public void Add(IReadOnlyList<IndexedEntry> entries)
        {
            AddCalled.Set();
            _gate.Wait();
            inner.Add(entries);
        }

        public void Reset() => inner.Reset();

        public void Dispose()
        {
            _gate.Dispose();
            AddCalled.Dispose();
        }

        public ulong? FindByLeafHash(Hash leafHash) => inner.FindByLeafHash(leafHash);

        public IReadOnlyList<ulong> FindByDigest(Hash digest, int limit) => inner.FindByDigest(digest, limit);
    }
}

public sealed class FilesIndexFollowerTests() : IndexFollowerContract(new FilesBackend());

public sealed class PostgresIndexFollowerTests(PostgresDatabaseFixture database)
    : IndexFollowerContract(new PostgresBackend(database)), IClassFixture<PostgresDatabaseFixture>, INeedPostgres;
