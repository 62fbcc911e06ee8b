using System.Net;
using EvidenceChain.Testing.Node;

namespace EvidenceChain.Web.Tests;

/// <summary>
/// The node side of the console (issue 17): <c>/console</c> and every path under it answer the same index.html as
/// the verification page, with the same Content-Security-Policy and headers, so the app's router can take over.
/// </summary>
public sealed class ConsoleRouteTests
{
    [Fact]
    public async Task Console_AnyPath_ServesThePageWithItsPolicy()
    {
        await using var node = await TestNode.StartAsync();
        using var root = await node.Http.GetAsync("/");
        var index = await root.Content.ReadAsStringAsync();
        var policy = string.Join(' ', root.Headers.GetValues("Content-Security-Policy"));

        foreach (var path in new[] { "/console", "/console/", "/console/evidence", "/console/cases/c0123456789abcdef", "/console/a/b?x=1" })
        {
            using var page = await node.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Equal(index, await page.Content.ReadAsStringAsync());
            Assert.Equal(policy, string.Join(' ', page.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("nosniff", string.Join(',', page.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", string.Join(',', page.Headers.GetValues("Referrer-Policy")));
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        }

        using var other = await node.Http.GetAsync("/consoles");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode); // only /console and below
        node.AssertNoErrors();
    }
}
