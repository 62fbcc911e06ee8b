using System.Globalization;
using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Tiles;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Postgres;
using EvidenceChain.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EvidenceChain.Storage.Contract.Tests;

/// <summary>The postgres driver as the node uses it: the ledger over its ports, the sequencer lease, synchronous commits.</summary>
public sealed class PostgresDriverTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, INeedPostgres
{
    private static readonly NoteSigner Signer = NoteSigner.FromSeed("pg.test/log", new byte[32]);
    private static readonly LedgerOptions SmallBatches = new() { MaxBatchSize = 37, MaxBatchDelay = TimeSpan.FromMilliseconds(1) };

    private static EntryDraft Draft(int n) =>
        new("file", "tester", [], new Dictionary<string, string> { ["n"] = n.ToString(CultureInfo.InvariantCulture) });

    private static Task<EvidenceLedger> OpenLedgerAsync(PostgresDriver driver) =>
        EvidenceLedger.OpenAsync(driver.Log, driver.Index, Signer, SmallBatches, TimeProvider.System, NullLogger<EvidenceLedger>.Instance);

    [ContractFact]
    public async Task Ledger_AppendConcurrently_ReopenedEveryEntryReadableProvableAndIndexed()
    {
        var options = database.NewSchema();
        AppendResult[] results;
        await using (var driver = await PostgresDriver.OpenAsync(options, TimeProvider.System))
        await using (var ledger = await OpenLedgerAsync(driver))
        {
            results = await Task.WhenAll(Enumerable.Range(0, 300).Select(n => ledger.AppendAsync(Draft(n))));
        }

        await using var reopenedDriver = await PostgresDriver.OpenAsync(options, TimeProvider.System);
        await using var reopened = await OpenLedgerAsync(reopenedDriver);

        Assert.Equal(300UL, reopened.Size);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (ulong)i), results.Select(r => r.Index).Order());
        Assert.True(CheckpointNote.Open(reopened.LatestCheckpoint, Signer.VerifierKey).Checkpoint is { Size: 300 });
        foreach (var r in results.Where(r => r.Index % 13 == 0))
        {
            var entry = await reopened.GetEntryAsync(r.Index);
            Assert.Equal(r.LeafHash, entry.LeafHash);
            var proof = await reopened.InclusionProofAsync(r.Index, reopened.Size);
            Assert.True(InclusionProof.Verify(r.Index, reopened.Size, r.LeafHash, proof, reopened.Root).IsValid);
            Assert.Equal(r.Index, await reopened.FindByLeafHashAsync(r.LeafHash));
        }

        var consistency = await reopened.ConsistencyProofAsync(100, 300);
        Assert.True(ConsistencyProof.Verify(100, 300, await reopened.RootAtAsync(100), reopened.Root, consistency).IsValid);
        // One history row per published size, and the partials of the completed first tile were pruned on publish.
        var history = await ((PostgresLedgerStore)reopenedDriver.Log).ReadHistoryAsync(CancellationToken.None);
        Assert.Equal(history.Count, history.Select(n => n.Split('\n')[1]).Distinct().Count());
        Assert.Equal("300", history[^1].Split('\n')[1]);
        await using var partials = new NpgsqlDataSourceBuilder(options.ConnectionString) { ConnectionStringBuilder = { SearchPath = options.Schema } }.Build();
        await using var count = partials.CreateCommand("SELECT count(*) FROM tiles WHERE level = 0 AND idx = 0 AND width < 256");
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }

    [ContractFact]
    public async Task Ledger_BatchThatCrashedBeforePublishing_IsDiscardedOnOpen()
    {
        var options = database.NewSchema();
        await using (var driver = await PostgresDriver.OpenAsync(options, TimeProvider.System))
        await using (var ledger = await OpenLedgerAsync(driver))
        {
            await ledger.AppendAsync(Draft(0));
            await ledger.AppendAsync(Draft(1));
            // What a sequencer that died between its tile write and its publish leaves.
            await driver.Log.WriteTilesAsync([new TileData(TileId.Entries(0, 3), new byte[] { 0, 1, 9, 0, 1, 9, 0, 1, 9 })], CancellationToken.None);
        }

        await using var reopenedDriver = await PostgresDriver.OpenAsync(options, TimeProvider.System);
        await using var reopened = await OpenLedgerAsync(reopenedDriver);
        var third = await reopened.AppendAsync(Draft(2));

        Assert.Equal(2UL, third.Index);
        Assert.Equal(third.LeafHash, (await reopened.GetEntryAsync(2)).LeafHash);
        var proof = await reopened.InclusionProofAsync(2, 3);
        Assert.True(InclusionProof.Verify(2, 3, third.LeafHash, proof, reopened.Root).IsValid);
    }

    [ContractFact]
    public async Task Publish_Returns_WalFlushedPastTheTilesWrittenBeforeIt()
    {
        // Tiles commit asynchronously; the publish that follows commits synchronously, and its WAL flush covers them
        // (docs/formats.md §19): once it returns, the WAL is flushed at least as far as it reached after the tiles.
        var options = database.NewSchema();
        await using var driver = await PostgresDriver.OpenAsync(options, TimeProvider.System);
        await using var server = NpgsqlDataSource.Create(options.ConnectionString);
        for (var size = 1; size <= 30; size++)
        {
            var bundle = Enumerable.Range(0, size).SelectMany(_ => new byte[] { 0, 1, (byte)size }).ToArray();
            await driver.Log.WriteTilesAsync([new TileData(TileId.Entries(0, size), bundle)], CancellationToken.None);
            await using var inserted = server.CreateCommand("SELECT pg_current_wal_insert_lsn()::text");
            var afterTiles = (string)(await inserted.ExecuteScalarAsync())!;
            var root = new Hash(SHA256.HashData(bundle));
            await driver.Log.PublishCheckpointAsync(CheckpointNote.Sign(new Checkpoint("pg.test/log", (ulong)size, root), Signer), CancellationToken.None);
            await using var flushed = server.CreateCommand("SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn");
            flushed.Parameters.Add(new NpgsqlParameter { Value = afterTiles });

            Assert.True((bool)(await flushed.ExecuteScalarAsync())!, $"After publishing size {size} the WAL is not flushed to {afterTiles}.");
        }

        await using var read = server.CreateCommand($"SELECT length(data) FROM \"{options.Schema}\".tiles WHERE entries AND width = 30");
        Assert.Equal(90, await read.ExecuteScalarAsync());
    }

    [ContractFact]
    public async Task Open_WhileAnotherSequences_RefusedWithTheHolder()
    {
        var options = database.NewSchema();
        await using var first = await PostgresDriver.OpenAsync(options, TimeProvider.System);

        var e = await Assert.ThrowsAsync<SequencerBusyException>(() => PostgresDriver.OpenAsync(options, TimeProvider.System));

        Assert.Contains("Another process sequences the log in schema " + options.Schema, e.Message, StringComparison.Ordinal);
        Assert.Contains("pid " + Environment.ProcessId.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [ContractFact]
    public async Task Lease_HolderDied_NextTakesOverAndTheDeposedCanNeverWriteAgain()
    {
        var options = database.NewSchema();
        await using var first = await PostgresDriver.OpenAsync(options, TimeProvider.System);
        await using (var ledger = await OpenLedgerAsync(first))
        {
            await ledger.AppendAsync(Draft(0));
        }

        await first.AbandonLeaseAsync(); // its lock connection is gone, as when the process dies; its pool still works
        var waiting = new PostgresOptions { ConnectionString = options.ConnectionString, Schema = options.Schema, WaitForSequencer = true };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var second = await PostgresDriver.OpenAsync(waiting, TimeProvider.System, timeout.Token);
        await using var ledger2 = await OpenLedgerAsync(second);
        await ledger2.AppendAsync(Draft(1));

        Assert.True(second.FencingToken > first.FencingToken);
        var stale = CheckpointNote.Sign(new Checkpoint("pg.test/log", 2, ledger2.Root), Signer);
        await Assert.ThrowsAsync<SequencerDeposedException>(() => first.Log.PublishCheckpointAsync(stale, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<SequencerDeposedException>(
            () => first.Log.WriteTilesAsync([new TileData(TileId.Entries(0, 2), new byte[] { 0, 1, 7, 0, 1, 7 })], CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<SequencerDeposedException>(() => first.Log.DiscardBeyondAsync(0, CancellationToken.None).AsTask());
        Assert.Equal(ledger2.LatestCheckpoint, await second.Log.ReadCheckpointAsync(CancellationToken.None));
        Assert.Equal(2UL, ledger2.Size);
        Assert.Equal((await ledger2.GetEntryAsync(1)).LeafHash, (await ledger2.GetEntryAsync(1)).LeafHash);
    }

    [ContractFact]
    public async Task Publish_ASecondCheckpointOfOneSize_Refused()
    {
        var options = database.NewSchema();
        await using var driver = await PostgresDriver.OpenAsync(options, TimeProvider.System);
        await driver.Log.PublishCheckpointAsync(LedgerStoreContract.Note(3, fill: 1), CancellationToken.None);
        await driver.Log.PublishCheckpointAsync(LedgerStoreContract.Note(3, fill: 1), CancellationToken.None); // the same again is harmless

        await Assert.ThrowsAsync<SequencerDeposedException>(() => driver.Log.PublishCheckpointAsync(LedgerStoreContract.Note(3, fill: 2), CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<SequencerDeposedException>(() => driver.Log.PublishCheckpointAsync(LedgerStoreContract.Note(2), CancellationToken.None).AsTask());

        Assert.Equal(LedgerStoreContract.Note(3, fill: 1), await driver.Log.ReadCheckpointAsync(CancellationToken.None));
    }

    [ContractFact]
    public async Task Connections_CommitSynchronously_WhateverTheDatabaseDefault()
    {
        var options = database.NewSchema();
        var name = new NpgsqlConnectionStringBuilder(options.ConnectionString).Database;
        await using (var admin = new NpgsqlConnection(options.ConnectionString))
        {
            await admin.OpenAsync();
            await using var off = new NpgsqlCommand($"ALTER DATABASE {name} SET synchronous_commit = off", admin);
            await off.ExecuteNonQueryAsync();
        }

        await using var driver = await PostgresDriver.OpenAsync(options, TimeProvider.System);
        var setting = await Internal.PostgresDatabaseProbe.SettingAsync(options, "synchronous_commit");

        Assert.Equal("on", setting);
        await using var plain = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(options.ConnectionString) { Pooling = false }.ConnectionString);
        await plain.OpenAsync();
        await using var show = new NpgsqlCommand("SHOW synchronous_commit", plain);
        Assert.Equal("off", await show.ExecuteScalarAsync()); // the test changed the default indeed
    }

    [ContractFact]
    public async Task Open_BadSchemaName_ClearError()
    {
        var options = new PostgresOptions { ConnectionString = database.ConnectionString, Schema = "x; DROP TABLE y" };

        var e = await Assert.ThrowsAsync<ArgumentException>(() => PostgresDriver.OpenAsync(options, TimeProvider.System));

        Assert.Contains("Storage:PostgresSchema must be", e.Message, StringComparison.Ordinal);
    }

    [ContractFact]
    public async Task Open_NewerSchemaVersion_Refused()
    {
        var options = database.NewSchema();
        await (await PostgresDriver.OpenAsync(options, TimeProvider.System)).DisposeAsync();
        await using (var admin = new NpgsqlConnection(options.ConnectionString))
        {
            await admin.OpenAsync();
            await using var bump = new NpgsqlCommand($"UPDATE {options.Schema}.schema_version SET version = version + 1", admin);
            await bump.ExecuteNonQueryAsync();
        }

        var e = await Assert.ThrowsAsync<NotSupportedException>(() => PostgresDriver.OpenAsync(options, TimeProvider.System));

        Assert.Contains("newer than this build knows", e.Message, StringComparison.Ordinal);
    }
}
