using System.Globalization;
using EvidenceChain.Node.Auth;
using EvidenceChain.Node.Certificates;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace EvidenceChain.Node.Http;

/// <summary>
/// <c>GET /v1/entries/{index}/certificate.pdf[?with_artefacts=true]</c>: the entry's evidence certificate, as
/// <c>GetCertificate</c>. Public without <c>with_artefacts</c>; with it, a key that may download the entry's artefacts.
/// Built whole first, so an error is a clean error response.
/// </summary>
internal static class CertificateEndpoints
{
    public static void MapCertificates(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/entries/{index}/certificate.pdf", (HttpContext http, string index, CertificateIssuer issuer, ApiKeyService keys,
            ILogger<CertificateIssuer> logger, IOptions<NodeOptions> options) =>
            HttpErrors.GuardAsync(http, logger, options.Value.DetailedErrors, async () =>
            {
                if (!ulong.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i))
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"index: expected a decimal entry index, got \"{index}\"."));
                }

                var withArtefacts = http.Request.Query["with_artefacts"].ToString() switch
                {
                    "" or "false" => false,
                    "true" => true,
                    var other => throw new RpcException(new Status(StatusCode.InvalidArgument, $"with_artefacts: expected true or false, got \"{other}\".")),
                };
                var caller = withArtefacts ? keys.Authenticate(http.Request.Headers.Authorization.ToString(), [Role.Submitter, Role.CaseManager, Role.Admin]) : null;
                var certificate = await issuer.IssueAsync(i, caller, http.RequestAborted);
                http.Response.ContentType = "application/pdf";
                http.Response.ContentLength = certificate.Pdf.Length;
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"{certificate.FileName}\"";
                http.Response.Headers.CacheControl = withArtefacts ? "no-store" : "no-cache";
                http.Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(certificate.Sha256))}:";
                await http.Response.Body.WriteAsync(certificate.Pdf, http.RequestAborted);
            }));
    }
}
