using System.Net;
using System.Net.Http.Headers;
using EvidenceChain.Testing.Node;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// Downloads are never run or rendered as documents of the node's origin: nosniff and a sandboxing policy on every
/// /v1 response, artefacts as attachments (HTML, SVG, XML, JavaScript alike), raster images only inline.
/// </summary>
public sealed class DownloadHeaderTests
{
    [Theory]
    [InlineData("page.html", "text/html", "attachment")]
    [InlineData("drawing.svg", "image/svg+xml", "attachment")]
    [InlineData("feed.xml", "application/xml", "attachment")]
    [InlineData("app.js", "text/javascript", "attachment")]
    [InlineData("capture.warc", "application/warc", "attachment")]
    [InlineData("shot.png", "image/png", "inline")]
    [InlineData("photo.jpg", "image/jpeg; charset=binary", "inline")]
    public async Task Artefact_Download_NosniffSandboxAndDisposition(string fileName, string mediaType, string disposition)
    {
        await using var node = await TestNode.StartAsync();
        var key = await node.CreateKeyAsync("submitter");
        var index = (await PreserveAsync(node, key, "<script>alert(1)</script>"u8.ToArray(), fileName, mediaType)).Entry.Index;

        using var response = await GetAsync(node, $"/v1/entries/{index}/artefacts/file", key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNoRender(response);
        Assert.Equal(disposition, response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(fileName, response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("same-origin", string.Join(',', response.Headers.GetValues("Cross-Origin-Resource-Policy")));
        node.AssertNoErrors();
    }

    [Fact]
    public async Task ReceiptCertificateAndJson_Nosniff()
    {
        await using var node = await TestNode.StartAsync();
        var key = await node.CreateKeyAsync("submitter");
        var index = (await PreserveAsync(node, key, Bytes(10, 1), "a.txt")).Entry.Index;

        foreach (var path in new[] { $"/v1/entries/{index}/receipt.zip", $"/v1/entries/{index}", "/v1/whoami", "/v1/entries/99999" })
        {
            using var response = await GetAsync(node, path, key);
            AssertNoRender(response);
        }

        using var receipt = await GetAsync(node, $"/v1/entries/{index}/receipt.zip", key);
        Assert.Equal("attachment", receipt.Content.Headers.ContentDisposition?.DispositionType);
        node.AssertNoErrors();
    }

    private static void AssertNoRender(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", string.Join(',', response.Headers.GetValues("X-Content-Type-Options")));
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("sandbox", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> GetAsync(TestNode node, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await node.Http.SendAsync(request);
    }
}
