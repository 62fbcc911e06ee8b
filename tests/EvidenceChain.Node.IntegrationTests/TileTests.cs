using System.Net;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing.Node;
using EvidenceChain.Core.Tiles;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// C2SP tlog-tiles over HTTP on a log of 600 entries: two full level-0 tiles and a partial one of 88, a partial
/// level-1 tile of 2. Everything is recomputed here from what the HTTP endpoints serve.
/// </summary>
public sealed class TileTests(TileTests.SixHundredEntryNode fixture) : IClassFixture<TileTests.SixHundredEntryNode>
{
    private const int Size = 600;
    private const int Partial = Size % TileId.FullWidth;
    private readonly SixHundredEntryNode _fixture = fixture;

    private TestNode Node => _fixture.Node;

    [Fact]
    public async Task Checkpoint_Http_SignedTextNotCached()
    {
        using var response = await Node.Http.GetAsync("/checkpoint");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        var opened = CheckpointNote.Open(await response.Content.ReadAsStringAsync(), Node.LogKey());
        Assert.True(opened.IsValid, opened.Message);
        Assert.Equal((ulong)Size, opened.Checkpoint!.Size);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task Level0Tiles_AllHashes_ReproduceCheckpointRoot()
    {
        var checkpoint = await CheckpointAsync();

        var leafHashes = await Level0HashesAsync();

        Assert.Equal(Size, leafHashes.Length);
        Assert.Equal(checkpoint.Root, MerkleMath.Root(leafHashes));
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task Level1TileAndPartialLevel0Tile_ReproduceCheckpointRoot()
    {
        var checkpoint = await CheckpointAsync();
        var level1 = Hash.FromConcatenated(await GetTileAsync("tile/1/000.p/2")).ToArray();
        var partial = Hash.FromConcatenated(await GetTileAsync($"tile/0/002.p/{Partial}")).ToArray();

        // RFC 6962 splits 600 leaves at 512: the left subtree is the two level-8 nodes, the right one the last 88 leaves.
        var root = Rfc6962.HashChildren(Rfc6962.HashChildren(level1[0], level1[1]), MerkleMath.Root(partial));

        Assert.Equal(checkpoint.Root, root);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task Level1Tile_EachHash_IsRootOfFullLevel0Tile()
    {
        var level1 = Hash.FromConcatenated(await GetTileAsync("tile/1/000.p/2")).ToArray();
        var leafHashes = await Level0HashesAsync();

        Assert.Equal(MerkleMath.PerfectRoot(leafHashes.AsSpan(0, 256)), level1[0]);
        Assert.Equal(MerkleMath.PerfectRoot(leafHashes.AsSpan(256, 256)), level1[1]);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task EntryBundles_Leaves_HashToLevel0TileHashesAndAreTheServedEntries()
    {
        var leafHashes = await Level0HashesAsync();
        var leaves = new List<byte[]>();
        foreach (var (path, width) in new[] { ("tile/entries/000", 256), ("tile/entries/001", 256), ($"tile/entries/002.p/{Partial}", Partial) })
        {
            var bundle = await GetTileAsync(path);
            var ranges = new List<(int Offset, int Length)>();
            Assert.True(EntryBundle.TrySplit(bundle, width, ranges, out var error), $"{path}: {error}");
            leaves.AddRange(ranges.Select(r => bundle.AsSpan(r.Offset, r.Length).ToArray()));
        }

        Assert.Equal(leafHashes, leaves.Select(l => Rfc6962.HashLeaf(l)));
        foreach (var index in new ulong[] { 0, 255, 256, 599 })
        {
            var entry = await Node.Evidence.GetEntryAsync(new Api.V1.GetEntryRequest { Index = index });
            Assert.Equal(entry.Leaf.ToByteArray(), leaves[(int)index]);
        }

        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("tile/0/000")]
    [InlineData("tile/0/001")]
    [InlineData("tile/entries/001")]
    public async Task FullTile_Http_ImmutableOctetStream(string path)
    {
        using var response = await Node.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("tile/0/002.p/88")]
    [InlineData("tile/1/000.p/2")]
    [InlineData("tile/entries/002.p/88")]
    public async Task PartialTile_Http_CacheableButNotImmutable(string path)
    {
        using var response = await Node.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var cacheControl = response.Headers.CacheControl?.ToString() ?? string.Empty;
        Assert.DoesNotContain("immutable", cacheControl, StringComparison.Ordinal);
        Assert.Contains("max-age", cacheControl, StringComparison.Ordinal);
        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("tile/0/002")]
    [InlineData("tile/0/003")]
    [InlineData("tile/0/002.p/89")]
    [InlineData("tile/0/003.p/1")]
    [InlineData("tile/1/000")]
    [InlineData("tile/1/000.p/3")]
    [InlineData("tile/2/000.p/1")]
    [InlineData("tile/entries/002")]
    [InlineData("tile/entries/003.p/1")]
    [InlineData("tile/0/x001/000")]
    public async Task Tile_BeyondCheckpoint_NotFound(string path)
    {
        using var response = await Node.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("tile/0/0")]
    [InlineData("tile/0/00")]
    [InlineData("tile/0/0000")]
    [InlineData("tile/0/x000/000")]
    [InlineData("tile/0/000.p/0")]
    [InlineData("tile/0/000.p/256")]
    [InlineData("tile/0/000.p/abc")]
    [InlineData("tile/0/000.p/")]
    [InlineData("tile/0/000.p/088")]
    [InlineData("tile/abc/000")]
    [InlineData("tile/-1/000")]
    [InlineData("tile/64/000")]
    [InlineData("tile/0/")]
    [InlineData("tile/0/000/")]
    [InlineData("tile/entries/")]
    public async Task Tile_MalformedPath_NotFound(string path)
    {
        using var response = await Node.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PartialTile_NarrowerThanPublished_NotFoundOrPrefixOfCurrent()
    {
        var current = await GetTileAsync($"tile/0/002.p/{Partial}");

        using var response = await Node.Http.GetAsync("tile/0/002.p/10");

        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(current.AsSpan(0, 10 * Hash.Size).ToArray(), await response.Content.ReadAsByteArrayAsync());
        }

        Node.AssertNoErrors();
    }

    private async Task<Checkpoint> CheckpointAsync()
    {
        var opened = CheckpointNote.Open(await Node.Http.GetStringAsync("/checkpoint"), Node.LogKey());
        Assert.True(opened.IsValid, opened.Message);
        return opened.Checkpoint!;
    }

    private async Task<Hash[]> Level0HashesAsync()
    {
        var bytes = new List<byte>();
        bytes.AddRange(await GetTileAsync("tile/0/000"));
        bytes.AddRange(await GetTileAsync("tile/0/001"));
        bytes.AddRange(await GetTileAsync($"tile/0/002.p/{Partial}"));
        return Hash.FromConcatenated([.. bytes]).ToArray();
    }

    private async Task<byte[]> GetTileAsync(string path)
    {
        using var response = await Node.Http.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: HTTP {(int)response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    public sealed class SixHundredEntryNode : NodeFixture
    {
        protected override string[] Settings => ["--Limits:MaxConcurrentUploadsPerKey", "32"];

        protected override async Task SeedAsync(TestNode node)
        {
            await Parallel.ForEachAsync(
                Enumerable.Range((int)node.Node.Ledger.Size, Size - (int)node.Node.Ledger.Size), new ParallelOptions { MaxDegreeOfParallelism = 32 },
                async (i, _) => await PreserveAsync(node, SubmitterKey, Bytes(16, seed: 1000 + i), $"f{i}.bin"));
            var size = (await node.Log.GetCheckpointAsync(new Api.V1.GetCheckpointRequest())).TreeSize;
            Assert.Equal((ulong)Size, size);
        }
    }
}
