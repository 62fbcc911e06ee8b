using System.IO.Compression;
using System.Text;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Verifier.Cases;
using Grpc.Core;

namespace EvidenceChain.Node.IntegrationTests.Cases;

/// <summary>A case export's VERIFY.txt names the file as the client saves it, in commands every shell runs alike.</summary>
public sealed class CaseExportInstructionsTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly NodeFixture _fixture = fixture;

    private static string Instructions(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        using var reader = new StreamReader(archive.GetEntry("VERIFY.txt")!.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private async Task<(string Manager, string CaseId)> CaseWithOneItemAsync(string title)
    {
        var node = _fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        var created = await node.CreateAsync(manager, title);
        await node.AttachAsync(manager, created.Case.Id, await node.PreserveAsync(_fixture.SubmitterKey, 40));
        return (manager, created.Case.Id);
    }

    [Fact]
    public async Task ExportCase_WithFileName_VerifyTxtNamesThatFileAndTheExportVerifies()
    {
        var node = _fixture.Node;
        var (manager, id) = await CaseWithOneItemAsync("Named export");

        var (info, zip) = await node.ExportAsync(manager, id, "Li v Zhang.zip");

        Assert.Equal("Li v Zhang.zip", info.FileName);
        var text = Instructions(zip);
        Assert.Contains("in the folder where you saved this zip as Li v Zhang.zip:", text, StringComparison.Ordinal);
        Assert.Contains("evidencectl verify-case \"Li v Zhang.zip\" --log-key LOG.vkey --tsa-ca TSA-CA.pem", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"case-{id}.zip", text, StringComparison.Ordinal);
        Assert.DoesNotContain("$(", text, StringComparison.Ordinal);
        Assert.Contains("evidencectl note verify --key LOG.vkey manifest.note", text, StringComparison.Ordinal);
        using var stream = new MemoryStream(zip);
        var report = await CaseExportVerifier.VerifyAsync(stream, node.Trust());
        Assert.True(report.IsValid, CaseLifecycleTests.Describe(report));
        node.AssertNoErrors();
    }

    [Fact]
    public async Task ExportCase_WithoutFileName_VerifyTxtGivesTheSuggestedName()
    {
        var node = _fixture.Node;
        var (manager, id) = await CaseWithOneItemAsync("Unnamed export");

        var (info, zip) = await node.ExportAsync(manager, id);

        Assert.Equal($"case-{id}.zip", info.FileName);
        var text = Instructions(zip);
        Assert.Contains($"the node suggested the name\n   case-{id}.zip; give the name you saved it under", text, StringComparison.Ordinal);
        Assert.Contains($"evidencectl verify-case case-{id}.zip --log-key LOG.vkey --tsa-ca TSA-CA.pem", text, StringComparison.Ordinal);
        Assert.DoesNotContain("$(", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportZip_FileNameQuery_VerifyTxtAndContentDispositionNameIt()
    {
        var node = _fixture.Node;
        var (manager, id) = await CaseWithOneItemAsync("HTTP named export");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/cases/{id}/export.zip?file_name=dispute-2026.zip");
        request.Headers.Authorization = new("Bearer", manager);
        using var response = await node.Http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("dispute-2026.zip", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Contains("evidencectl verify-case dispute-2026.zip --log-key LOG.vkey", Instructions(await response.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exports/case.zip")]
    [InlineData("..\\case.zip")]
    [InlineData("..")]
    [InlineData("a\nb.zip")]
    public async Task ExportCase_FileNameNotAPlainName_InvalidArgumentAndNothingRecorded(string fileName)
    {
        var node = _fixture.Node;
        var (manager, id) = await CaseWithOneItemAsync("Bad name");
        var before = (await node.Cases().GetCaseAsync(new() { Id = id }, CaseLifecycleTests.As(manager))).Events.Count;

        var e = await Assert.ThrowsAsync<RpcException>(() => node.ExportAsync(manager, id, fileName));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("file_name \"", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(before, (await node.Cases().GetCaseAsync(new() { Id = id }, CaseLifecycleTests.As(manager))).Events.Count);
    }
}
