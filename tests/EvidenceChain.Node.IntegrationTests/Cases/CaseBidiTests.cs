using EvidenceChain.Node.IntegrationTests.Infrastructure;
using Grpc.Core;
using EvidenceChain.Testing.Node;

namespace EvidenceChain.Node.IntegrationTests.Cases;

/// <summary>Bidirectional control characters are refused in every case text, naming the field and the code point.</summary>
public sealed class CaseBidiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly NodeFixture _fixture = fixture;

    [Theory]
    [InlineData("title", "\u202E")]
    [InlineData("reference", "\u2066")]
    [InlineData("parties[0].name", "\u200F")]
    [InlineData("parties[0].name", "\u061C")]
    public async Task CreateCase_BidiControl_InvalidArgumentNamesFieldAndCodePoint(string field, string bidi)
    {
        var node = _fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        var size = node.Node.Ledger.Size;
        var title = field == "title" ? "Li v. Zhang" + bidi : "Li v. Zhang";
        var reference = field == "reference" ? "ref" + bidi : "ref";
        var party = (Name: field == "parties[0].name" ? "Li" + bidi : "Li", Role: field == "parties[0].role" ? "claimant" + bidi : "claimant");

        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => node.CreateAsync(manager, title, reference, party), field, $"U+{(int)bidi[0]:X4}");

        Assert.Equal(size, node.Node.Ledger.Size);
        node.AssertNoErrors();
    }

    [Fact]
    public async Task AddNote_BidiControl_InvalidArgumentNamesNoteAndCodePoint()
    {
        var node = _fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        var id = (await node.CreateAsync(manager)).Case.Id;
        var size = node.Node.Ledger.Size;

        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => node.Cases().AddNoteAsync(new() { CaseId = id, Text = "paid \u202Atoday" }, TestNode.As(manager)).ResponseAsync,
            "note", "U+202A");

        Assert.Equal(size, node.Node.Ledger.Size);
        node.AssertNoErrors();
    }
}
