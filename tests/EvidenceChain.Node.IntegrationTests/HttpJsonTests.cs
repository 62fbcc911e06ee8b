using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EvidenceChain.Api.V1;
using EvidenceChain.Core;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing.Node;
using Google.Protobuf;
using Grpc.Core;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;
using InclusionProof = EvidenceChain.Api.V1.InclusionProof;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// The HTTP/1.1 side: the API as JSON through gRPC JSON transcoding, the raw upload <c>POST /v1/files</c> and raw
/// download <c>GET /v1/entries/{index}/artefacts/{name}</c>, and errors as <c>{"code":..,"message":..}</c>.
/// </summary>
public sealed class HttpJsonTests(HttpJsonTests.TwoEntryNode fixture) : IClassFixture<HttpJsonTests.TwoEntryNode>
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));
    private readonly TwoEntryNode _fixture = fixture;

    private TestNode Node => _fixture.Node;

    [Fact]
    public async Task GetEntryJson_KnownIndex_SameEntryAsGrpcWithInt64AsString()
    {
        var json = await GetJsonAsync($"/v1/entries/{_fixture.Entries[1].Index}");

        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(json).RootElement.GetProperty("index").ValueKind);
        Assert.Equal(_fixture.Entries[1].Public(), Parser.Parse<Entry>(json));
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetEntryJson_UnknownIndex_Http404Json()
    {
        using var response = await Node.Http.GetAsync("/v1/entries/77");

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, StatusCode.NotFound, "Entry 77 does not exist");
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetEntryJson_NonNumericIndex_Http400NamesIndex()
    {
        using var response = await Node.Http.GetAsync("/v1/entries/abc");

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, StatusCode.InvalidArgument, "index");
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task FindEntriesJson_Sha256_FindsEntry()
    {
        var json = await GetJsonAsync($"/v1/entries:find?sha256={Sha256Hex(_fixture.Content)}");

        Assert.Equal([_fixture.Entries[0].Public()], Parser.Parse<FindEntriesResponse>(json).Entries);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task FindEntriesJson_MalformedSha256_Http400NamesField()
    {
        using var response = await Node.Http.GetAsync("/v1/entries:find?sha256=nothex");

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, StatusCode.InvalidArgument, "sha256", "64 hex digits");
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task CheckpointAndProofsJson_Latest_VerifyAgainstEachOther()
    {
        var checkpoint = Parser.Parse<Checkpoint>(await GetJsonAsync("/v1/checkpoint"));
        var byIndex = Parser.Parse<InclusionProof>(await GetJsonAsync($"/v1/proofs/inclusion?index={_fixture.Entries[1].Index}&treeSize={checkpoint.TreeSize}"));
        var byLeaf = Parser.Parse<InclusionProof>(await GetJsonAsync($"/v1/proofs/inclusion?leafHash={_fixture.Entries[1].LeafHash}"));
        var consistency = Parser.Parse<ConsistencyProof>(await GetJsonAsync($"/v1/proofs/consistency?size1=1&size2={checkpoint.TreeSize}"));

        Assert.Equal(byIndex, byLeaf);
        Assert.Equal(checkpoint.RootHash, byIndex.RootHash);
        Assert.Equal(checkpoint.SignedNote, byIndex.SignedCheckpoint);
        var hashes = byIndex.Hashes.Select(Hash.Parse).ToArray();
        Assert.True(Core.Merkle.InclusionProof.Verify(_fixture.Entries[1].Index, checkpoint.TreeSize, Hash.Parse(_fixture.Entries[1].LeafHash), hashes, Hash.Parse(checkpoint.RootHash)).IsValid);
        Assert.True(Core.Merkle.ConsistencyProof.Verify(
            1, checkpoint.TreeSize, Hash.Parse(consistency.Root1), Hash.Parse(checkpoint.RootHash), [.. consistency.Hashes.Select(Hash.Parse)]).IsValid);
        var entry0 = await Node.Evidence.GetEntryAsync(new GetEntryRequest { Index = 0 }); // the first admin key's event
        Assert.Equal(Core.Merkle.Rfc6962.HashLeaf(entry0.Leaf.Span).ToString(), consistency.Root1);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task ProofsJson_TreeSizeBeyondTree_Http400OutOfRange()
    {
        using var response = await Node.Http.GetAsync("/v1/proofs/inclusion?index=0&treeSize=1000");

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, StatusCode.OutOfRange, "tree_size 1000", "beyond");
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task ProofsJson_Size1AboveSize2_Http400InvalidArgument()
    {
        using var response = await Node.Http.GetAsync("/v1/proofs/consistency?size1=2&size2=1");

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, StatusCode.InvalidArgument, "size1 2", "size2 1");
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task ListEntriesJson_Range_SameAsGrpc()
    {
        var json = await GetJsonAsync($"/v1/entries?start={_fixture.Entries[0].Index}&limit=2");

        Assert.Equal(_fixture.Entries.Select(e => e.Public()), Parser.Parse<ListEntriesResponse>(json).Entries);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task AdminJson_CreateListRevoke_KeyWorksThenIsRevoked()
    {
        using var create = JsonRequest(HttpMethod.Post, "/v1/admin/keys", Node.AdminKey, """{"role":"submitter","description":"via json"}""");
        using var created = await Node.Http.SendAsync(create);
        var body = Parser.Parse<CreateApiKeyResponse>(await ReadOkAsync(created));
        await PreserveAsync(Node, body.Secret, Bytes(5, seed: 100)); // the secret works over gRPC

        using var list = JsonRequest(HttpMethod.Get, "/v1/admin/keys", Node.AdminKey);
        using var listed = await Node.Http.SendAsync(list);
        Assert.Contains(Parser.Parse<ListApiKeysResponse>(await ReadOkAsync(listed)).Keys, k => k.Id == body.Key.Id && k.Role == "submitter");

        using var revoke = JsonRequest(HttpMethod.Post, $"/v1/admin/keys/{body.Key.Id}:revoke", Node.AdminKey, "{}");
        using var revoked = await Node.Http.SendAsync(revoke);
        Assert.NotEmpty(Parser.Parse<ApiKey>(await ReadOkAsync(revoked)).Revoked);

        using var again = JsonRequest(HttpMethod.Post, $"/v1/admin/keys/{body.Key.Id}:revoke", Node.AdminKey, "{}");
        using var twice = await Node.Http.SendAsync(again);
        await HttpAssert.ErrorAsync(twice, HttpStatusCode.BadRequest, StatusCode.FailedPrecondition, body.Key.Id);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task AdminJson_NoKey_Http401Json()
    {
        using var request = JsonRequest(HttpMethod.Post, "/v1/admin/keys", null, """{"role":"submitter"}""");

        using var response = await Node.Http.SendAsync(request);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, StatusCode.Unauthenticated, "authorization: Bearer");
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task AdminJson_SubmitterKey_Http403Json()
    {
        using var request = JsonRequest(HttpMethod.Post, "/v1/admin/keys", _fixture.SubmitterKey, """{"role":"admin"}""");

        using var response = await Node.Http.SendAsync(request);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.Forbidden, StatusCode.PermissionDenied, "needs role admin");
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task AdminJson_UnknownRole_Http400NamesRole()
    {
        using var request = JsonRequest(HttpMethod.Post, "/v1/admin/keys", Node.AdminKey, """{"role":"superuser"}""");

        using var response = await Node.Http.SendAsync(request);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, StatusCode.InvalidArgument, "role", "superuser");
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PostFiles_RawBody_PreservedAndDownloadsWithHeaders()
    {
        var content = Bytes(600_000, seed: 101);
        using var request = RawUpload("/v1/files?file_name=scan%20%C3%A9.png&media_type=image%2Fpng&title=Scan", _fixture.SubmitterKey, content);
        using var posted = await Node.Http.SendAsync(request);
        var response = Parser.Parse<PreserveFileResponse>(await ReadOkAsync(posted));
        var artefact = Assert.Single(response.Entry.Artefacts);
        Assert.Equal(("file", "image/png", (ulong)content.Length, Sha256Hex(content)), (artefact.Name, artefact.MediaType, artefact.Size, artefact.Sha256));
        Assert.Equal(("scan \u00e9.png", "Scan"), (response.Entry.Disclosed["file-name"], response.Entry.Disclosed["title"]));

        using var get = new HttpRequestMessage(HttpMethod.Get, $"/v1/entries/{response.Entry.Index}/artefacts/{Uri.EscapeDataString("scan \u00e9.png")}");
        get.Headers.Authorization = new("Bearer", _fixture.SubmitterKey);
        using var download = await Node.Http.SendAsync(get);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", download.Content.Headers.ContentType?.ToString());
        Assert.Equal("scan \u00e9.png", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(content.Length, download.Content.Headers.ContentLength);
        Assert.Equal($"\"{Sha256Hex(content)}\"", download.Headers.ETag?.ToString());
        Assert.Equal($"sha-256=:{Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(content))}:", Assert.Single(download.Headers.GetValues("Repr-Digest")));
        Assert.Equal("scan \u00e9.png", download.Content.Headers.ContentDisposition?.FileNameStar);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PostFiles_ContentTypeWithoutMediaType_RecordsContentType()
    {
        using var request = RawUpload("/v1/files?file_name=page.html", _fixture.SubmitterKey, "<p>hi</p>"u8.ToArray(), "text/html");

        using var posted = await Node.Http.SendAsync(request);

        Assert.Equal("text/html", Parser.Parse<PreserveFileResponse>(await ReadOkAsync(posted)).Entry.Artefacts[0].MediaType);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PostFiles_DigestMismatch_Http400AndNothingKept()
    {
        var content = Bytes(900, seed: 102);
        var claimed = Sha256Hex(Bytes(900, seed: 103));
        using var request = RawUpload($"/v1/files?file_name=x.bin&expected_sha256={claimed}", _fixture.SubmitterKey, content);
        var size = (await Node.Log.GetCheckpointAsync(new GetCheckpointRequest())).TreeSize;

        using var response = await Node.Http.SendAsync(request);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, StatusCode.InvalidArgument, "expected_sha256", claimed, "nothing was kept");
        Node.AssertNothingKept(Sha256Hex(content));
        Assert.Equal(size, (await Node.Log.GetCheckpointAsync(new GetCheckpointRequest())).TreeSize);
        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("/v1/files?file_name=x.bin&expected_sha256=12ab", "expected_sha256")]
    [InlineData("/v1/files?file_name=..%2Fx", "file_name")]
    [InlineData("/v1/files?file_name=a%2Fb", "file_name")]
    [InlineData("/v1/files", "file_name is empty")]
    [InlineData("/v1/files?file_name=x.bin&media_type=nonsense", "media_type")]
    public async Task PostFiles_BadQuery_Http400NamesField(string uri, string field)
    {
        using var request = RawUpload(uri, _fixture.SubmitterKey, Bytes(10, seed: 104));

        using var response = await Node.Http.SendAsync(request);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, StatusCode.InvalidArgument, field);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PostFiles_EmptyBody_PreservesEmptyFile()
    {
        using var request = RawUpload("/v1/files?file_name=empty.txt", _fixture.SubmitterKey, []);

        using var response = await Node.Http.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        var artefact = json.RootElement.GetProperty("entry").GetProperty("artefacts")[0];
        Assert.Equal("0", artefact.GetProperty("size").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([])), artefact.GetProperty("sha256").GetString());
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PostFiles_BidiControlInFileName_Http400NamesCodePoint()
    {
        using var request = RawUpload("/v1/files?file_name=invoice%E2%80%AEfdp.exe", _fixture.SubmitterKey, [1, 2, 3]);

        using var response = await Node.Http.SendAsync(request);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, StatusCode.InvalidArgument, "file_name", "U+202E");
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task PostFiles_NoKey_Http401()
    {
        using var request = RawUpload("/v1/files?file_name=x.bin", null, Bytes(10, seed: 105));

        using var response = await Node.Http.SendAsync(request);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, StatusCode.Unauthenticated, "submitter");
        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData(null, "0", "a.bin", HttpStatusCode.Unauthorized, StatusCode.Unauthenticated, "API key")]
    [InlineData("submitter", "abc", "a.bin", HttpStatusCode.BadRequest, StatusCode.InvalidArgument, "index")]
    [InlineData("submitter", "99", "a.bin", HttpStatusCode.NotFound, StatusCode.NotFound, "Entry 99 does not exist")]
    [InlineData("submitter", "2", "nope.bin", HttpStatusCode.NotFound, StatusCode.NotFound, "no artefact named \"nope.bin\"")]
    public async Task GetRawArtefact_BadRequest_JsonErrorNamesProblem(string? role, string index, string name, HttpStatusCode http, StatusCode code, string part)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/entries/{index}/artefacts/{name}");
        if (role is not null)
        {
            request.Headers.Authorization = new("Bearer", _fixture.SubmitterKey);
        }

        using var response = await Node.Http.SendAsync(request);

        await HttpAssert.ErrorAsync(response, http, code, part);
        Node.AssertNoErrors();
    }

    private static HttpRequestMessage JsonRequest(HttpMethod method, string uri, string? key, string? body = null)
    {
        var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Authorization = new("Bearer", key);
        }

        return request;
    }

    private static HttpRequestMessage RawUpload(string uri, string? key, byte[] content, string? contentType = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(content) };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        if (key is not null)
        {
            request.Headers.Authorization = new("Bearer", key);
        }

        return request;
    }

    private static async Task<string> ReadOkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    private async Task<string> GetJsonAsync(string uri)
    {
        using var response = await Node.Http.GetAsync(uri);
        return await ReadOkAsync(response);
    }

    public sealed class TwoEntryNode : NodeFixture
    {
        public byte[] Content { get; } = Bytes(500, seed: 99);

        public List<Entry> Entries { get; } = [];

        protected override async Task SeedAsync(TestNode node)
        {
            Entries.Add((await PreserveAsync(node, SubmitterKey, Content, "a.bin")).Entry);
            Entries.Add((await PreserveAsync(node, SubmitterKey, Bytes(50, seed: 98), "b.bin")).Entry);
        }
    }
}
