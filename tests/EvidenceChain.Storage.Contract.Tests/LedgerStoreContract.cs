using System.Globalization;
using EvidenceChain.Core;
using EvidenceChain.Core.Tiles;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Contract.Tests.Infrastructure;
using EvidenceChain.Testing.Postgres;

namespace EvidenceChain.Storage.Contract.Tests;

/// <summary>What every <see cref="ILedgerStore"/> does.</summary>
public abstract class LedgerStoreContract(IStoreBackend backend) : StoreContract(backend)
{
    internal static string Note(ulong size, byte fill = 1) =>
        string.Create(CultureInfo.InvariantCulture, $"test.example/log\n{size}\n{Convert.ToBase64String(Enumerable.Repeat(fill, 32).ToArray())}\n\n— test.example/log AAAAAA==\n");

    private static TileData Tile(int level, ulong index, int width, byte fill) =>
        new(TileId.Hashes(level, index, width), Enumerable.Repeat(fill, width * Hash.Size).ToArray());

    [ContractFact]
    public async Task Read_Empty_NullCheckpointAndTiles()
    {
        var store = await Backend.OpenLedgerStoreAsync();

        Assert.Null(await store.ReadCheckpointAsync(CancellationToken.None));
        Assert.Null(await store.ReadTileAsync(TileId.Hashes(0, 0, 3), CancellationToken.None));
        Assert.Null(await store.ReadTileAsync(TileId.Entries(0, 256), CancellationToken.None));
    }

    [ContractFact]
    public async Task WriteTiles_ThenPublish_SurviveReopen()
    {
        var store = await Backend.OpenLedgerStoreAsync();
        var bundle = new TileData(TileId.Entries(0, 3), new byte[] { 0, 1, 7, 0, 1, 8, 0, 1, 9 });
        await store.WriteTilesAsync([Tile(0, 0, 3, 5), bundle], CancellationToken.None);
        await store.PublishCheckpointAsync(Note(3), CancellationToken.None);

        var reopened = await Backend.OpenLedgerStoreAsync();

        Assert.Equal(Note(3), await reopened.ReadCheckpointAsync(CancellationToken.None));
        Assert.Equal(Tile(0, 0, 3, 5).Bytes.ToArray(), await reopened.ReadTileAsync(TileId.Hashes(0, 0, 3), CancellationToken.None));
        Assert.Equal(bundle.Bytes.ToArray(), await reopened.ReadTileAsync(TileId.Entries(0, 3), CancellationToken.None));
        Assert.Null(await reopened.ReadTileAsync(TileId.Hashes(0, 0, 4), CancellationToken.None));
    }

    [ContractFact]
    public async Task WriteTiles_SameTileAgain_ReplacesIt()
    {
        var store = await Backend.OpenLedgerStoreAsync();
        await store.WriteTilesAsync([Tile(0, 0, 2, 1)], CancellationToken.None);

        await store.WriteTilesAsync([Tile(0, 0, 2, 9)], CancellationToken.None);

        Assert.Equal(Tile(0, 0, 2, 9).Bytes.ToArray(), await store.ReadTileAsync(TileId.Hashes(0, 0, 2), CancellationToken.None));
    }

    [ContractFact]
    public async Task Publish_Several_LatestIsTheLast()
    {
        var store = await Backend.OpenLedgerStoreAsync();
        await store.PublishCheckpointAsync(Note(0), CancellationToken.None);
        await store.PublishCheckpointAsync(Note(1), CancellationToken.None);
        await store.PublishCheckpointAsync(Note(5), CancellationToken.None);

        var reopened = await Backend.OpenLedgerStoreAsync();

        Assert.Equal(Note(5), await reopened.ReadCheckpointAsync(CancellationToken.None));
    }

    [ContractFact]
    public async Task ReadTile_PartialOfACompletedTile_IsThePrefixOfTheFullTile()
    {
        var store = await Backend.OpenLedgerStoreAsync();
        await store.WriteTilesAsync([Tile(0, 0, 10, 3)], CancellationToken.None);
        await store.PublishCheckpointAsync(Note(10), CancellationToken.None);
        var full = Enumerable.Range(0, 256 * Hash.Size).Select(i => (byte)(i / Hash.Size)).ToArray();
        await store.WriteTilesAsync([new TileData(TileId.Hashes(0, 0, 256), full), new TileData(TileId.Hashes(1, 0, 1), new byte[Hash.Size])], CancellationToken.None);
        await store.PublishCheckpointAsync(Note(256), CancellationToken.None);

        var partial = await store.ReadTileAsync(TileId.Hashes(0, 0, 10), CancellationToken.None);

        Assert.Equal(full[..(10 * Hash.Size)], partial);
        Assert.Equal(full, await store.ReadTileAsync(TileId.Hashes(0, 0, 256), CancellationToken.None));
    }

    [ContractFact]
    public async Task DiscardBeyond_RemovesWhatNoCheckpointCovers_KeepsThePublished()
    {
        var store = await Backend.OpenLedgerStoreAsync();
        await store.WriteTilesAsync([Tile(0, 0, 3, 1), new TileData(TileId.Entries(0, 3), new byte[] { 0, 1, 1, 0, 1, 2, 0, 1, 3 })], CancellationToken.None);
        await store.PublishCheckpointAsync(Note(3), CancellationToken.None);
        // A batch that wrote its tiles and crashed before publishing.
        await store.WriteTilesAsync(
            [Tile(0, 0, 5, 2), new TileData(TileId.Entries(0, 5), new byte[] { 0, 1, 1, 0, 1, 2, 0, 1, 3, 0, 1, 4, 0, 1, 5 })], CancellationToken.None);

        var reopened = await Backend.OpenLedgerStoreAsync();
        await reopened.DiscardBeyondAsync(3, CancellationToken.None);

        Assert.Null(await reopened.ReadTileAsync(TileId.Hashes(0, 0, 5), CancellationToken.None));
        Assert.Null(await reopened.ReadTileAsync(TileId.Entries(0, 5), CancellationToken.None));
        Assert.Equal(Tile(0, 0, 3, 1).Bytes.ToArray(), await reopened.ReadTileAsync(TileId.Hashes(0, 0, 3), CancellationToken.None));
        Assert.NotNull(await reopened.ReadTileAsync(TileId.Entries(0, 3), CancellationToken.None));
        Assert.Equal(Note(3), await reopened.ReadCheckpointAsync(CancellationToken.None));
    }

    [ContractFact]
    public async Task DiscardBeyond_FullTilesAboveTheSize_AreRemovedAtEveryLevel()
    {
        var store = await Backend.OpenLedgerStoreAsync();
        await store.PublishCheckpointAsync(Note(0), CancellationToken.None);
        await store.WriteTilesAsync([Tile(0, 0, 256, 1), Tile(0, 1, 4, 2), Tile(1, 0, 1, 3)], CancellationToken.None);

        await store.DiscardBeyondAsync(0, CancellationToken.None);

        Assert.Null(await store.ReadTileAsync(TileId.Hashes(0, 0, 256), CancellationToken.None));
        Assert.Null(await store.ReadTileAsync(TileId.Hashes(0, 1, 4), CancellationToken.None));
        Assert.Null(await store.ReadTileAsync(TileId.Hashes(1, 0, 1), CancellationToken.None));
    }
}

public sealed class FilesLedgerStoreTests() : LedgerStoreContract(new FilesBackend());

public sealed class PostgresLedgerStoreTests(PostgresDatabaseFixture database)
    : LedgerStoreContract(new PostgresBackend(database)), IClassFixture<PostgresDatabaseFixture>, INeedPostgres;
