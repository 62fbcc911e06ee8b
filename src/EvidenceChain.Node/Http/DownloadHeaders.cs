namespace EvidenceChain.Node.Http;

/// <summary>
/// Headers that keep what the node serves under <c>/v1/</c> (JSON, artefacts, receipts, certificates, exports) from
/// being run or rendered as a document of the node's origin: <c>X-Content-Type-Options: nosniff</c> and a
/// Content-Security-Policy that sandboxes a response a browser opens anyway (no script, no same origin, nothing
/// loaded). Artefacts are downloads (<c>Content-Disposition: attachment</c>), except raster images, which may show
/// inline as images (<see cref="InlineImage"/>): never SVG, HTML, XML, scripts, WARCs or DOM snapshots.
/// </summary>
internal static class DownloadHeaders
{
    /// <summary>The policy on every <c>/v1/</c> response.</summary>
    public const string SandboxPolicy = "default-src 'none'; sandbox; frame-ancestors 'none'";

    private static readonly string[] InlineImages = ["image/png", "image/jpeg", "image/gif", "image/webp"];

    /// <summary>Adds the headers to every response under <c>/v1/</c>.</summary>
    public static void UseDownloadHeaders(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.ContentSecurityPolicy = SandboxPolicy;
            }

            await next(http);
        });

    /// <summary>
    /// Whether an artefact of <paramref name="mediaType"/> may be shown inline: the raster image types only (a browser
    /// never runs them, and nosniff keeps it from reading them as anything else).
    /// </summary>
    public static bool InlineImage(string mediaType)
    {
        var bare = mediaType.Split(';', 2)[0].Trim();
        return InlineImages.Any(t => string.Equals(t, bare, StringComparison.OrdinalIgnoreCase));
    }
}
