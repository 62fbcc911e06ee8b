using EvidenceChain.Api.V1;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing.Node;
using Grpc.Core;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>EvidenceService reads: GetEntry, FindEntries and DownloadArtefact, and their bad inputs.</summary>
public sealed class EvidenceReadTests(EvidenceReadTests.SharedContentNode fixture) : IClassFixture<EvidenceReadTests.SharedContentNode>
{
    private readonly SharedContentNode _fixture = fixture;

    private TestNode Node => _fixture.Node;

    [Fact]
    public async Task GetEntry_KnownIndex_AsPreserved()
    {
        var entry = await Node.Evidence.GetEntryAsync(new GetEntryRequest { Index = _fixture.First.Index });

        Assert.Equal(_fixture.First.Public(), entry);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetEntry_UnknownIndex_NotFoundNamesIndexAndRange()
    {
        await RpcAssert.FailsAsync(
            StatusCode.NotFound, () => Node.Evidence.GetEntryAsync(new GetEntryRequest { Index = 999 }).ResponseAsync, "Entry 999 does not exist", "indices 0 to 4");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task FindEntries_Sha256_AllEntriesWithThatContentOldestFirst()
    {
        var found = await Node.Evidence.FindEntriesAsync(new FindEntriesRequest { Sha256 = Sha256Hex(_fixture.Content) });

        Assert.Equal([_fixture.First.Public(), _fixture.Second.Public()], found.Entries);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task FindEntries_Limit_StopsAfterThatMany()
    {
        var found = await Node.Evidence.FindEntriesAsync(new FindEntriesRequest { Sha256 = Sha256Hex(_fixture.Content), Limit = 1 });

        Assert.Equal([_fixture.First.Public()], found.Entries);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task FindEntries_UnknownDigest_Empty()
    {
        var found = await Node.Evidence.FindEntriesAsync(new FindEntriesRequest { Sha256 = Sha256Hex("never preserved"u8) });

        Assert.Empty(found.Entries);
        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("sha256", "abc")]
    [InlineData("sha256", "zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sm3", "12345")]
    public async Task FindEntries_MalformedHex_InvalidArgumentNamesField(string field, string value)
    {
        var request = field == "sha256" ? new FindEntriesRequest { Sha256 = value } : new FindEntriesRequest { Sm3 = value };

        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => Node.Evidence.FindEntriesAsync(request).ResponseAsync, $"{field}: expected 64 hex digits", value);

        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FindEntries_NoneOrBothDigests_InvalidArgumentExactlyOne(bool both)
    {
        var digest = Sha256Hex(_fixture.Content);
        var request = both ? new FindEntriesRequest { Sha256 = digest, Sm3 = digest } : new FindEntriesRequest();

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Node.Evidence.FindEntriesAsync(request).ResponseAsync, "exactly one of sha256 and sm3");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task FindEntries_LimitOverMaximum_InvalidArgumentNamesLimit()
    {
        var request = new FindEntriesRequest { Sha256 = Sha256Hex(_fixture.Content), Limit = 1001 };

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Node.Evidence.FindEntriesAsync(request).ResponseAsync, "limit", "1000");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task DownloadArtefact_UnknownIndex_NotFoundNamesIndex()
    {
        await RpcAssert.FailsAsync(
            StatusCode.NotFound, () => DownloadAsync(Node, _fixture.SubmitterKey, 42, "a.bin"), "Entry 42 does not exist");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task DownloadArtefact_UnknownName_NotFoundListsNames()
    {
        await RpcAssert.FailsAsync(
            StatusCode.NotFound, () => DownloadAsync(Node, _fixture.SubmitterKey, _fixture.First.Index, "b.bin"), "no artefact named \"b.bin\"", "file");

        Node.AssertNoErrors();
    }

    public sealed class SharedContentNode : NodeFixture
    {
        public byte[] Content { get; } = Bytes(700, seed: 90);

        public Entry First { get; private set; } = new();

        public Entry Second { get; private set; } = new();

        protected override async Task SeedAsync(TestNode node)
        {
            First = (await PreserveAsync(node, SubmitterKey, Content, "a.bin")).Entry;
            await PreserveAsync(node, SubmitterKey, Bytes(10, seed: 91), "other.bin");
            Second = (await PreserveAsync(node, SubmitterKey, Content, "c.bin")).Entry;
        }
    }
}
