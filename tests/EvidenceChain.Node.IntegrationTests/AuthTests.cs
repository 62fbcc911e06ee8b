using System.Net;
using EvidenceChain.Api.V1;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing.Node;
using Grpc.Core;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>Bearer API keys and roles: who may preserve, download and manage keys, and what is public.</summary>
public sealed class AuthTests(AuthTests.OneEntryNode fixture) : IClassFixture<AuthTests.OneEntryNode>
{
    private readonly OneEntryNode _fixture = fixture;

    private TestNode Node => _fixture.Node;

    [Fact]
    public async Task PreserveFile_NoKey_UnauthenticatedNamesHeaderAndRole()
    {
        await RpcAssert.FailsAsync(
            StatusCode.Unauthenticated, () => SendWithHeadersAsync(new Metadata(), Uploads.Metadata(), Chunk("x"u8)), "authorization: Bearer", "submitter");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_WrongSecret_UnauthenticatedUnknownOrWrong()
    {
        var id = KeyId(_fixture.SubmitterKey);

        await RpcAssert.FailsAsync(
            StatusCode.Unauthenticated, () => PreserveAsync(Node, id + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", Bytes(5, seed: 60)),
            id, "unknown or its secret is wrong");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_UnknownKeyId_UnauthenticatedUnknownOrWrong()
    {
        await RpcAssert.FailsAsync(
            StatusCode.Unauthenticated, () => PreserveAsync(Node, "k0000000000000000.secret", Bytes(5, seed: 61)), "unknown or its secret is wrong");

        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("nodot")]
    [InlineData(".secretonly")]
    [InlineData("idonly.")]
    public async Task PreserveFile_MalformedKey_UnauthenticatedMalformed(string key)
    {
        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => PreserveAsync(Node, key, Bytes(5, seed: 62)), "malformed", "<id>.<secret>");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_NotBearerScheme_UnauthenticatedNamesScheme()
    {
        await RpcAssert.FailsAsync(
            StatusCode.Unauthenticated,
            () => SendWithHeadersAsync(new Metadata { { "authorization", "Basic " + _fixture.SubmitterKey } }, Uploads.Metadata(), Chunk("x"u8)),
            "Bearer <key>");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_RevokedKey_UnauthenticatedSaysRevoked()
    {
        var created = await Node.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = "submitter" }, TestNode.As(Node.AdminKey));
        await PreserveAsync(Node, created.Secret, Bytes(5, seed: 63));
        await Node.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = created.Key.Id }, TestNode.As(Node.AdminKey));

        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => PreserveAsync(Node, created.Secret, Bytes(5, seed: 64)), created.Key.Id, "revoked");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_AdminKey_PermissionDeniedNamesRoles()
    {
        await RpcAssert.FailsAsync(
            StatusCode.PermissionDenied, () => PreserveAsync(Node, Node.AdminKey, Bytes(5, seed: 65)), "needs role submitter", "has role admin");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PreserveFile_CaseManagerKey_PermissionDenied()
    {
        await RpcAssert.FailsAsync(
            StatusCode.PermissionDenied, () => PreserveAsync(Node, _fixture.CaseManagerKey, Bytes(5, seed: 66)), "needs role submitter", "has role case-manager");

        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("submitter")]
    [InlineData("case-manager")]
    public async Task CreateApiKey_NonAdminKey_PermissionDeniedNamesAdmin(string role)
    {
        var key = role == "submitter" ? _fixture.SubmitterKey : _fixture.CaseManagerKey;

        await RpcAssert.FailsAsync(
            StatusCode.PermissionDenied, () => Node.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = "admin" }, TestNode.As(key)).ResponseAsync,
            "needs role admin", $"has role {role}");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task ListApiKeys_NoKey_Unauthenticated()
    {
        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => Node.Admin.ListApiKeysAsync(new ListApiKeysRequest()).ResponseAsync, "admin");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task DownloadArtefact_OwnSubmitterKey_Streams()
    {
        var (artefact, content, _) = await DownloadAsync(Node, _fixture.SubmitterKey, _fixture.Entry.Index, "owned.txt");

        Assert.Equal(_fixture.Content, content);
        Assert.Equal("file", artefact.Name); // asked for by its own name, served under its public one
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task DownloadArtefact_OtherSubmitterKey_PermissionDeniedNamesOwnership()
    {
        var other = await Node.CreateKeyAsync("submitter");

        await RpcAssert.FailsAsync(
            StatusCode.PermissionDenied, () => DownloadAsync(Node, other, _fixture.Entry.Index, "owned.txt"), "submitted by another key", "only its own");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetRawArtefact_OtherSubmitterKey_Http403()
    {
        var other = await Node.CreateKeyAsync("submitter");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/entries/{_fixture.Entry.Index}/artefacts/owned.txt");
        request.Headers.Authorization = new("Bearer", other);

        using var response = await Node.Http.SendAsync(request);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.Forbidden, StatusCode.PermissionDenied, "another key");
        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("case-manager")]
    [InlineData("admin")]
    public async Task DownloadArtefact_CaseManagerOrAdminKey_StreamsAnyArtefact(string role)
    {
        var key = role == "admin" ? Node.AdminKey : _fixture.CaseManagerKey;

        var (_, content, _) = await DownloadAsync(Node, key, _fixture.Entry.Index, "owned.txt");

        Assert.Equal(_fixture.Content, content);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task DownloadArtefact_NoKey_Unauthenticated()
    {
        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, ReadWithoutKeyAsync, "needs an API key", "authorization: Bearer");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PublicCalls_NoKey_Succeed()
    {
        var sha256 = Sha256Hex(_fixture.Content);

        var checkpoint = await Node.Log.GetCheckpointAsync(new GetCheckpointRequest());
        var entry = await Node.Evidence.GetEntryAsync(new GetEntryRequest { Index = _fixture.Entry.Index });
        var found = await Node.Evidence.FindEntriesAsync(new FindEntriesRequest { Sha256 = sha256 });
        var proof = await Node.Log.GetInclusionProofAsync(new GetInclusionProofRequest { LeafHash = _fixture.Entry.LeafHash });
        var consistency = await Node.Log.GetConsistencyProofAsync(new GetConsistencyProofRequest { Size1 = 1 });
        var list = await Node.Log.ListEntriesAsync(new ListEntriesRequest());

        Assert.True(checkpoint.TreeSize >= 1);
        Assert.Equal(_fixture.Entry.Public(), entry);
        Assert.Contains(found.Entries, e => e.Index == _fixture.Entry.Index);
        Assert.Equal(_fixture.Entry.Index, proof.Index);
        Assert.Equal(1ul, consistency.Size1);
        Assert.Equal(_fixture.Entry.Public(), list.Entries[(int)_fixture.Entry.Index]);
        Node.AssertNoErrors();
    }

    private async Task ReadWithoutKeyAsync()
    {
        using var call = Node.Evidence.DownloadArtefact(new DownloadArtefactRequest { Index = _fixture.Entry.Index, Name = "owned.txt" });
        await foreach (var _ in call.ResponseStream.ReadAllAsync())
        {
        }
    }

    private async Task<PreserveFileResponse> SendWithHeadersAsync(Metadata headers, params PreserveFileRequest[] messages)
    {
        using var call = Node.Evidence.PreserveFile(headers);
        try
        {
            foreach (var message in messages)
            {
                await call.RequestStream.WriteAsync(message);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException or HttpRequestException)
        {
            // The node has answered already.
        }

        return await call.ResponseAsync;
    }

    public sealed class OneEntryNode : NodeFixture
    {
        public byte[] Content { get; } = Bytes(3000, seed: 59);

        public Entry Entry { get; private set; } = new();

        public string CaseManagerKey { get; private set; } = string.Empty;

        protected override async Task SeedAsync(TestNode node)
        {
            CaseManagerKey = await node.CreateKeyAsync("case-manager");
            Entry = (await PreserveAsync(node, SubmitterKey, Content, "owned.txt", chunkSize: 1000)).Entry;
        }
    }
}
