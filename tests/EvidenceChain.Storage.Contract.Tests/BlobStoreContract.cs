using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Core.Digests;
using EvidenceChain.Ledger;
using EvidenceChain.Storage.Contract.Tests.Infrastructure;
using EvidenceChain.Testing.Postgres;

namespace EvidenceChain.Storage.Contract.Tests;

/// <summary>What every <see cref="IBlobStore"/> does.</summary>
public abstract class BlobStoreContract(IStoreBackend backend) : StoreContract(backend)
{
    private static async Task<ArtefactDigests> StoreAsync(IBlobStore store, byte[] content, bool withSm3 = false, int piece = 100_000)
    {
        await using var upload = store.BeginUpload(withSm3);
        for (var offset = 0; offset < content.Length; offset += piece)
        {
            await upload.WriteAsync(content.AsMemory(offset, Math.Min(piece, content.Length - offset)), CancellationToken.None);
        }

        var digests = await upload.CompleteAsync(CancellationToken.None);
        await upload.CommitAsync(CancellationToken.None);
        return digests;
    }

    private static async Task<byte[]?> ReadAsync(IBlobStore store, Hash sha256)
    {
        await using var stream = store.OpenRead(sha256);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [ContractFact]
    public async Task OpenRead_Unknown_Null()
    {
        var store = await Backend.OpenBlobStoreAsync();

        Assert.Null(store.OpenRead(new Hash(SHA256.HashData("nothing"u8))));
    }

    [ContractFact]
    public async Task Store_SmallEmptyAndLarge_ReadBackAfterReopenWithTheirDigests()
    {
        var store = await Backend.OpenBlobStoreAsync();
        var small = RandomNumberGenerator.GetBytes(1000);
        var large = RandomNumberGenerator.GetBytes((3 << 20) + 12_345); // several chunks, files and rows alike, and a short last one
        var smallDigests = await StoreAsync(store, small, withSm3: true);
        var emptyDigests = await StoreAsync(store, []);
        var largeDigests = await StoreAsync(store, large, withSm3: true);

        var reopened = await Backend.OpenBlobStoreAsync();

        Assert.Equal(new ArtefactDigests(small.Length, new Hash(SHA256.HashData(small)), ArtefactHasher.Sm3(small)), smallDigests);
        Assert.Equal(new ArtefactDigests(large.Length, new Hash(SHA256.HashData(large)), ArtefactHasher.Sm3(large)), largeDigests);
        Assert.Equal(new Hash(SHA256.HashData([])), emptyDigests.Sha256);
        Assert.Null(emptyDigests.Sm3);
        Assert.Equal(small, await ReadAsync(reopened, smallDigests.Sha256));
        Assert.Equal(large, await ReadAsync(reopened, largeDigests.Sha256));
        Assert.Equal(0, (await ReadAsync(reopened, emptyDigests.Sha256))?.Length);
    }

    [ContractFact]
    public async Task Upload_DisposedWithoutCommit_StoresNothing()
    {
        var store = await Backend.OpenBlobStoreAsync();
        var content = RandomNumberGenerator.GetBytes(2 << 20);
        await using (var upload = store.BeginUpload(withSm3: false))
        {
            await upload.WriteAsync(content, CancellationToken.None);
            await upload.CompleteAsync(CancellationToken.None);
        }

        Assert.Null(store.OpenRead(new Hash(SHA256.HashData(content))));
        Assert.Null((await Backend.OpenBlobStoreAsync()).OpenRead(new Hash(SHA256.HashData(content))));
    }

    [ContractFact]
    public async Task Commit_BeforeComplete_Throws()
    {
        var store = await Backend.OpenBlobStoreAsync();
        await using var upload = store.BeginUpload(withSm3: false);
        await upload.WriteAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => upload.CommitAsync(CancellationToken.None));
    }

    [ContractFact]
    public async Task Store_SameContentConcurrently_KeptOnceAndReadable()
    {
        var store = await Backend.OpenBlobStoreAsync();
        var large = RandomNumberGenerator.GetBytes((2 << 20) + 1);
        var small = RandomNumberGenerator.GetBytes(5000);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => StoreAsync(store, i % 2 == 0 ? large : small)));

        Assert.Equal(2, results.Select(r => r.Sha256).Distinct().Count());
        Assert.Equal(large, await ReadAsync(store, new Hash(SHA256.HashData(large))));
        Assert.Equal(small, await ReadAsync(store, new Hash(SHA256.HashData(small))));
    }

    [ContractFact]
    public async Task Store_ManySmallConcurrentlyWithRepeats_EachKeptOnceAndReadableAfterReopen()
    {
        // Small uploads committed at once (a store may write them together): the same content several times in the
        // same moment, an empty one among them, and each completed commit readable from a store opened afresh.
        var store = await Backend.OpenBlobStoreAsync();
        var contents = Enumerable.Range(0, 300).Select(i => i % 50 == 7 ? [] : RandomNumberGenerator.GetBytes(1 + (i % 60 * 37))).ToArray();
        var repeated = RandomNumberGenerator.GetBytes(1024);
        var all = contents.Concat(Enumerable.Repeat(repeated, 40)).ToArray();

        var digests = await Task.WhenAll(all.Select(c => Task.Run(() => StoreAsync(store, c))));

        var reopened = await Backend.OpenBlobStoreAsync();
        for (var i = 0; i < all.Length; i++)
        {
            Assert.Equal(new Hash(SHA256.HashData(all[i])), digests[i].Sha256);
            Assert.Equal(all[i], await ReadAsync(reopened, digests[i].Sha256));
        }
    }

    [ContractFact]
    public async Task Store_ManyDifferentConcurrently_AllReadable()
    {
        var store = await Backend.OpenBlobStoreAsync();
        var contents = Enumerable.Range(0, 40).Select(i => RandomNumberGenerator.GetBytes(100 + (i * 997))).ToArray();

        var digests = await Task.WhenAll(contents.Select(c => StoreAsync(store, c, piece: 333)));

        for (var i = 0; i < contents.Length; i++)
        {
            Assert.Equal(contents[i], await ReadAsync(store, digests[i].Sha256));
        }
    }
}

public sealed class FilesBlobStoreTests() : BlobStoreContract(new FilesBackend());

public sealed class PostgresBlobStoreTests(PostgresDatabaseFixture database)
    : BlobStoreContract(new PostgresBackend(database)), IClassFixture<PostgresDatabaseFixture>, INeedPostgres;
