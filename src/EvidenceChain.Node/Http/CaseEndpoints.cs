using EvidenceChain.Node.Auth;
using EvidenceChain.Node.Services;
using Microsoft.Extensions.Options;

namespace EvidenceChain.Node.Http;

/// <summary>
/// <c>GET /v1/cases/{id}/export.zip[?file_name=NAME]</c>: exports the case (as <c>ExportCase</c>: recorded as a case event) and serves
/// the zip (VERIFY.txt names NAME, the name the client saves it under, when given). Needs a case-manager or admin key. The zip is built whole first, so an error is a clean error response.
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
                http.Response.ContentType = "application/zip";
                http.Response.ContentLength = (long)export.Info.Size;
                var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
                disposition.SetHttpFileName(export.Info.FileName);
                http.Response.Headers.ContentDisposition = disposition.ToString();
                http.Response.Headers.CacheControl = "no-store";
                http.Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(export.Info.Sha256))}:";
                await export.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
            }));
    }
}
