using System.Globalization;
using EvidenceChain.Node.Services;
using EvidenceChain.Verifier.Receipts;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace EvidenceChain.Node.Http;

/// <summary>
/// <c>GET /v1/entries/{index}/receipt.zip[?wait=true]</c>: the entry's receipt as the <c>.evidence.zip</c> file (without
/// artefacts; <c>evidencectl receipt --with-artefacts</c> adds them with a key). Public, like <c>GetReceipt</c>; with an
/// <c>authorization</c> header whose key may see the entry it also carries <c>disclosed.json</c>.
/// </summary>
internal static class ReceiptEndpoints
{
    public static void MapReceipts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/entries/{index}/receipt.zip", (HttpContext http, string index, ReceiptBuilder receipts, EntryDisclosure disclosure,
            ILogger<ReceiptBuilder> logger, IOptions<NodeOptions> options) =>
            HttpErrors.GuardAsync(http, logger, options.Value.DetailedErrors, async () =>
            {
                if (!ulong.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i))
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"index: expected a decimal entry index, got \"{index}\"."));
                }

                var wait = http.Request.Query["wait"].ToString() switch
                {
                    "" or "false" => false,
                    "true" => true,
                    var other => throw new RpcException(new Status(StatusCode.InvalidArgument, $"wait: expected true or false, got \"{other}\".")),
                };
                var receipt = await receipts.BuildAsync(i, wait, http.RequestAborted, disclosure.Reader(http));

                // A few kilobytes without artefacts: built whole first, so an error is a clean error response, never a
                // truncated zip, and Content-Length is exact.
                using var zip = new MemoryStream();
                await ReceiptArchive.WriteAsync(zip, receipt, http.RequestAborted);
                http.Response.ContentType = "application/zip";
                http.Response.ContentLength = zip.Length;
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"{receipt.FileName}\"";
                http.Response.Headers.CacheControl = "no-cache";
                await http.Response.Body.WriteAsync(zip.GetBuffer().AsMemory(0, (int)zip.Length), http.RequestAborted);
            }));
    }
}
