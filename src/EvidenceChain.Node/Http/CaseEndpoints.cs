using EvidenceChain.Node.Auth;
using EvidenceChain.Node.Services;
using Microsoft.Extensions.Options;

namespace EvidenceChain.Node.Http;

/// <summary>
/// <c>GET /v1/cases/{id}/export.zip[?file_name=NAME]</c>: exports the case (as <c>ExportCase</c>: recorded as a case event) and serves
/// the zip (VERIFY.txt names NAME, the name the client saves it under, when given). Needs a case-manager or admin key.
/// <c>GET /v1/watches/{id}/export.zip[?file_name=NAME]</c>: exports the watch with its receipts (as <c>ExportWatch</c>),
/// for the key that created it, a case manager or an admin. Each zip is built whole first, so an error is a clean error response.
/// </summary>
internal static class CaseEndpoints
{
    public static void MapCaseExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/cases/{id}/export.zip", (HttpContext http, string id, CaseExporter exporter, ApiKeyService keys, ILogger<CaseExporter> logger,
            IOptions<NodeOptions> options) =>
            HttpErrors.GuardAsync(http, logger, options.Value.DetailedErrors, async () =>
            {
                var caller = keys.Authenticate(http.Request.Headers.Authorization.ToString(), [Role.CaseManager, Role.Admin]);
                await using var export = await exporter.ExportAsync(id, http.Request.Query["file_name"].ToString(), caller, http.RequestAborted);
                await SendAsync(http, export.Info.FileName, (long)export.Info.Size, export.Info.Sha256, export.Content);
            }));

        app.MapGet("/v1/watches/{id}/export.zip", (HttpContext http, string id, WatchExporter exporter, Jobs.NodeJobs jobs, ApiKeyService keys, ILogger<WatchExporter> logger,
            IOptions<NodeOptions> options) =>
            HttpErrors.GuardAsync(http, logger, options.Value.DetailedErrors, async () =>
            {
                var caller = keys.Authenticate(http.Request.Headers.Authorization.ToString(), [Role.Submitter, Role.CaseManager, Role.Admin]);
                var watch = WatchApi.Find(jobs, id, caller);
                await using var export = await exporter.ExportAsync(watch, http.Request.Query["file_name"].ToString(), caller, http.RequestAborted);
                await SendAsync(http, export.Info.FileName, (long)export.Info.Size, export.Info.Sha256, export.Content);
            }));
    }

    private static async Task SendAsync(HttpContext http, string fileName, long size, string sha256, Stream content)
    {
        http.Response.ContentType = "application/zip";
        http.Response.ContentLength = size;
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(fileName);
        http.Response.Headers.ContentDisposition = disposition.ToString();
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(sha256))}:";
        await content.CopyToAsync(http.Response.Body, http.RequestAborted);
    }
}
