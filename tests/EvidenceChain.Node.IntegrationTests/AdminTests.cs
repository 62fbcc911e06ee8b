using EvidenceChain.Api.V1;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing.Node;
using Grpc.Core;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>AdminService: create, list and revoke API keys.</summary>
public sealed class AdminTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly NodeFixture _fixture = fixture;

    private TestNode Node => _fixture.Node;

    private CallOptions AsAdmin => TestNode.As(Node.AdminKey);

    [Theory]
    [InlineData("submitter")]
    [InlineData("case-manager")]
    [InlineData("admin")]
    public async Task CreateApiKey_EachRole_KeyIsListedWithRoleAndWorks(string role)
    {
        var created = await Node.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = role, Description = "held by " + role }, AsAdmin);

        Assert.Equal(role, created.Key.Role);
        Assert.Equal("held by " + role, created.Key.Description);
        Assert.Matches("^k[0-9a-f]{16}$", created.Key.Id);
        Assert.StartsWith(created.Key.Id + ".", created.Secret, StringComparison.Ordinal);
        Assert.Empty(created.Key.Revoked);
        Assert.True(DateTimeOffset.TryParse(created.Key.Created, out _), created.Key.Created);
        var listed = (await Node.Admin.ListApiKeysAsync(new ListApiKeysRequest(), AsAdmin)).Keys.Single(k => k.Id == created.Key.Id);
        Assert.Equal(created.Key, listed);
        var seeded = await PreserveAsync(Node, _fixture.SubmitterKey, Bytes(20, seed: 72), "seed.txt");
        if (role == "submitter")
        {
            await PreserveAsync(Node, created.Secret, Bytes(5, seed: 73));
        }
        else
        {
            var (_, content, _) = await DownloadAsync(Node, created.Secret, seeded.Entry.Index, "seed.txt");
            Assert.Equal(Bytes(20, seed: 72), content);
        }

        if (role == "admin")
        {
            Assert.NotEmpty((await Node.Admin.ListApiKeysAsync(new ListApiKeysRequest(), TestNode.As(created.Secret))).Keys);
        }
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task ListApiKeys_NewNode_HasFirstAdminKeyAndNoSecrets()
    {
        var keys = (await Node.Admin.ListApiKeysAsync(new ListApiKeysRequest(), AsAdmin)).Keys;

        var first = keys[0];
        Assert.Equal(KeyId(Node.AdminKey), first.Id);
        Assert.Equal("admin", first.Role);
        var secret = Node.AdminKey[(first.Id.Length + 1)..];
        Assert.DoesNotContain(keys, k => k.ToString().Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(Node.Logs.Records, r => r.Message.Contains(secret, StringComparison.Ordinal));
        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("")]
    [InlineData("root")]
    [InlineData("Admin")]
    public async Task CreateApiKey_UnknownRole_InvalidArgumentNamesRole(string role)
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => Node.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = role }, AsAdmin).ResponseAsync,
            "role must be submitter, case-manager or admin", $"\"{role}\"");

        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData(257)]
    [InlineData(-1)]
    public async Task CreateApiKey_BadDescription_InvalidArgumentNamesDescription(int length)
    {
        var description = length < 0 ? "two\nlines" : new string('d', length);

        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument,
            () => Node.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = "submitter", Description = description }, AsAdmin).ResponseAsync,
            "description", "256 UTF-8 bytes");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task RevokeApiKey_ValidKey_RevokedAtOnceAndListedAsRevoked()
    {
        var key = await Node.CreateKeyAsync("submitter");
        await PreserveAsync(Node, key, Bytes(5, seed: 70));

        var revoked = await Node.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = KeyId(key) }, AsAdmin);

        Assert.Equal(KeyId(key), revoked.Id);
        Assert.True(DateTimeOffset.TryParse(revoked.Revoked, out _), revoked.Revoked);
        var listed = (await Node.Admin.ListApiKeysAsync(new ListApiKeysRequest(), AsAdmin)).Keys.Single(k => k.Id == revoked.Id);
        Assert.Equal(revoked.Revoked, listed.Revoked);
        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => PreserveAsync(Node, key, Bytes(5, seed: 71)), "revoked");
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task RevokeApiKey_Twice_FailedPreconditionSecondTime()
    {
        var key = await Node.CreateKeyAsync("submitter");
        await Node.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = KeyId(key) }, AsAdmin);

        await RpcAssert.FailsAsync(
            StatusCode.FailedPrecondition, () => Node.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = KeyId(key) }, AsAdmin).ResponseAsync,
            KeyId(key), "revoked");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task RevokeApiKey_UnknownId_NotFoundNamesId()
    {
        await RpcAssert.FailsAsync(
            StatusCode.NotFound, () => Node.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = "k0123456789abcdef" }, AsAdmin).ResponseAsync,
            "k0123456789abcdef");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task RevokeApiKey_EmptyId_InvalidArgumentNamesId()
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => Node.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest(), AsAdmin).ResponseAsync, "id");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task RevokeApiKey_LastValidAdminKey_FailedPreconditionUntilAnotherAdminExists()
    {
        await using var node = await TestNode.StartAsync();
        var first = KeyId(node.AdminKey);

        await RpcAssert.FailsAsync(
            StatusCode.FailedPrecondition,
            () => node.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = first }, TestNode.As(node.AdminKey)).ResponseAsync,
            first, "last valid admin key");

        var second = await node.CreateKeyAsync("admin");
        await node.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = first }, TestNode.As(second));
        await RpcAssert.FailsAsync(
            StatusCode.FailedPrecondition,
            () => node.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = KeyId(second) }, TestNode.As(second)).ResponseAsync,
            "last valid admin key");
        await RpcAssert.FailsAsync(
            StatusCode.Unauthenticated, () => node.Admin.ListApiKeysAsync(new ListApiKeysRequest(), TestNode.As(node.AdminKey)).ResponseAsync, "revoked");
        node.AssertNoErrors();
    }
}
