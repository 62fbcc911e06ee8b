using System.Diagnostics;
using System.Globalization;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Postgres;
using EvidenceChain.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Storage.Contract.Tests;

/// <summary>Several processes on one postgres log (each driver its own pool, as separate processes would have): front-ends and takeover.</summary>
public sealed class SharedLogTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, INeedPostgres
{
    private static readonly NoteSigner Signer = NoteSigner.FromSeed("pg.test/log", new byte[32]);
    private static readonly LedgerOptions Options = new() { MaxBatchDelay = TimeSpan.FromMilliseconds(2) };

    private static EntryDraft Draft(string who, int n) =>
        new("file", who, [], new Dictionary<string, string> { ["n"] = n.ToString(CultureInfo.InvariantCulture) });

    private static PostgresOptions Shared(PostgresOptions schema) =>
        new() { ConnectionString = schema.ConnectionString, Schema = schema.Schema, Shared = true, LeaseRetry = TimeSpan.FromMilliseconds(100) };

    private static Task<EvidenceLedger> OpenLedgerAsync(PostgresDriver driver, NoteSigner? signer = null) =>
        EvidenceLedger.OpenAsync(driver.Log, driver.Index, signer ?? Signer, null, driver.Handoff, Options, TimeProvider.System, NullLogger<EvidenceLedger>.Instance);

    [ContractFact]
    public async Task FrontEnd_AppendsHandedToTheSequencer_AcknowledgedFromThePublishedLog()
    {
        var schema = Shared(database.NewSchema());
        await using var first = await PostgresDriver.OpenAsync(schema, TimeProvider.System);
        await using var sequencer = await OpenLedgerAsync(first);
        await using var second = await PostgresDriver.OpenAsync(schema, TimeProvider.System);
        await using var frontEnd = await OpenLedgerAsync(second);

        Assert.True(first.IsSequencer);
        Assert.False(second.IsSequencer);
        Assert.False(frontEnd.Sequencing.IsCompleted);
        var results = await Task.WhenAll(
            Enumerable.Range(0, 200).Select(n => n % 2 == 0 ? sequencer.AppendAsync(Draft("seq", n)) : frontEnd.AppendAsync(Draft("front", n))));

        Assert.Equal(Enumerable.Range(0, 200).Select(i => (ulong)i), results.Select(r => r.Index).Order());
        foreach (var r in results)
        {
            // The front-end reads what the sequencer published: the entry at its index, provable in the acknowledged checkpoint.
            var entry = await frontEnd.GetEntryAsync(r.Index);
            Assert.Equal(r.LeafHash, entry.LeafHash);
            var checkpoint = CheckpointNote.Open(r.SignedCheckpoint, Signer.VerifierKey).Checkpoint!;
            var proof = await frontEnd.InclusionProofAsync(r.Index, checkpoint.Size);
            Assert.True(InclusionProof.Verify(r.Index, checkpoint.Size, r.LeafHash, proof, checkpoint.Root).IsValid);
            Assert.Equal(r.Index, await frontEnd.FindByLeafHashAsync(r.LeafHash));
        }

        Assert.All(results.Where(r => r.Entry.Draft.Submitter == "front"), r => Assert.Equal("front", frontEnd.GetEntryAsync(r.Index).Result.Entry.Draft.Submitter));
    }

    [ContractFact]
    public async Task FrontEnd_SequencersIndexStuck_FrontEndIndexesThePublishedLog()
    {
        var schema = Shared(database.NewSchema());
        await using var first = await PostgresDriver.OpenAsync(schema, TimeProvider.System);
        using var stuck = new StuckIndex(first.Index);
        var sequencer = await EvidenceLedger.OpenAsync(
            first.Log, stuck, Signer, null, first.Handoff, Options, TimeProvider.System, NullLogger<EvidenceLedger>.Instance);
        try
        {
            await using var second = await PostgresDriver.OpenAsync(schema, TimeProvider.System);
            await using var frontEnd = await OpenLedgerAsync(second);

            // Acknowledged at once although the sequencer's index writes hang.
            var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(n => sequencer.AppendAsync(Draft("seq", n)))).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.True(stuck.AddCalled.Wait(TimeSpan.FromSeconds(10)));

            // The front-end sees the shared index stand still behind the log and indexes the published log itself.
            Assert.True(await frontEnd.WaitForIndexAsync(40, TimeSpan.FromSeconds(15)), $"the index holds {second.Index.IndexedSize} of 40 entries");
            foreach (var r in results)
            {
                Assert.Equal(r.Index, await frontEnd.FindByLeafHashAsync(r.LeafHash));
            }
        }
        finally
        {
            // The sequencer's own write, released now, finds the entries indexed and adds nothing.
            stuck.Release();
            await sequencer.DisposeAsync();
        }

        Assert.Equal(40UL, first.Index.IndexedSize);
    }

    [ContractFact]
    public async Task FrontEnd_AnotherLogKey_RefusedAtOpen()
    {
        var schema = Shared(database.NewSchema());
        await using var first = await PostgresDriver.OpenAsync(schema, TimeProvider.System);
        await using var sequencer = await OpenLedgerAsync(first);
        await using var second = await PostgresDriver.OpenAsync(schema, TimeProvider.System);

        var e = await Assert.ThrowsAsync<LedgerCorruptException>(() => OpenLedgerAsync(second, NoteSigner.FromSeed("pg.test/log", Enumerable.Repeat((byte)7, 32).ToArray())));
        Assert.Contains("every process on one log must use the same keys folder", e.Message, StringComparison.Ordinal);
    }

    [ContractFact]
    public async Task Sequencer_Dies_FrontEndTakesOverWithin5s_NothingAcknowledgedLost()
    {
        var schema = Shared(database.NewSchema());
        var first = await PostgresDriver.OpenAsync(schema, TimeProvider.System);
        var sequencer = await OpenLedgerAsync(first);
        await using var second = await PostgresDriver.OpenAsync(schema, TimeProvider.System);
        await using var frontEnd = await OpenLedgerAsync(second);
        var acknowledged = new List<AppendResult>();
        acknowledged.AddRange(await Task.WhenAll(Enumerable.Range(0, 50).Select(n => frontEnd.AppendAsync(Draft("front", n)))));

        // Appends in flight on the front-end while the sequencer dies.
        var inFlight = Enumerable.Range(50, 100).Select(n => frontEnd.AppendAsync(Draft("front", n))).ToArray();
        var died = Stopwatch.StartNew();
        await first.AbandonLeaseAsync();
        await frontEnd.Sequencing.WaitAsync(TimeSpan.FromSeconds(5));
        var tookOver = died.Elapsed;
        foreach (var t in inFlight)
        {
            try
            {
                acknowledged.Add(await t.WaitAsync(TimeSpan.FromSeconds(20)));
            }
            catch (Exception e) when (e is not TimeoutException)
            {
                // Not acknowledged: allowed to be lost.
            }
        }

        acknowledged.AddRange(await Task.WhenAll(Enumerable.Range(150, 20).Select(n => frontEnd.AppendAsync(Draft("front", n)))));

        Assert.True(second.IsSequencer);
        Assert.True(tookOver < TimeSpan.FromSeconds(5), $"took over after {tookOver}");
        Assert.True(acknowledged.Count >= 170, $"{acknowledged.Count} acknowledged");
        foreach (var r in acknowledged)
        {
            Assert.Equal(r.LeafHash, (await frontEnd.GetEntryAsync(r.Index)).LeafHash);
        }

        var history = await ((PostgresLedgerStore)second.Log).ReadHistoryAsync(CancellationToken.None);
        Assert.Equal(history.Count, history.Select(n => n.Split('\n')[1]).Distinct().Count());
        await Assert.ThrowsAsync<SequencerDeposedException>(async () => await first.Log.PublishCheckpointAsync(frontEnd.LatestCheckpoint, CancellationToken.None));
        try
        {
            await sequencer.DisposeAsync();
        }
        catch (Exception)
        {
            // The dead sequencer's ledger may fail to drain: it lost its lease.
        }

        await first.DisposeAsync();
    }

    /// <summary>An index whose writes hang until released (a sequencer whose index writes do not get through).</summary>
    private sealed class StuckIndex(IEntryIndex inner) : IEntryIndex, IDisposable
    {
        private readonly ManualResetEventSlim _released = new(false);

        public ManualResetEventSlim AddCalled { get; } = new(false);

        public ulong IndexedSize => inner.IndexedSize;

        public void Release() => _released.Set();

        public void Add(IReadOnlyList<IndexedEntry> entries)
        {
            AddCalled.Set();
            _released.Wait();
            inner.Add(entries);
        }

        public void Reset() => inner.Reset();

        public void Dispose()
        {
            _released.Dispose();
            AddCalled.Dispose();
        }

        public ulong? FindByLeafHash(Core.Hash leafHash) => inner.FindByLeafHash(leafHash);

        public IReadOnlyList<ulong> FindByDigest(Core.Hash digest, int limit) => inner.FindByDigest(digest, limit);
    }
}
