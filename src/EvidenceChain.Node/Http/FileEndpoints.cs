using System.Runtime.CompilerServices;
using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Node.Auth;
using EvidenceChain.Node.Internal;
using EvidenceChain.Node.Services;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Options;

namespace EvidenceChain.Node.Http;

/// <summary>
/// Raw-bytes HTTP for what JSON transcoding cannot stream: <c>POST /v1/files</c> preserves the request body (metadata
/// in the query string), <c>GET /v1/entries/{index}/artefacts/{name}</c> downloads an artefact. Same auth, limits
/// and errors as the gRPC calls.
/// </summary>
internal static class FileEndpoints
{
    private const int BufferSize = 256 * 1024;

    // Proto3 JSON as the transcoded calls write it: every field, 64-bit integers as strings.
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static void MapFiles(this IEndpointRouteBuilder app)
    {
        // JSON transcoding's own binder would answer "The input string 'abc' was not in a correct format." without
        // naming the field; this route wins over the transcoded GET /v1/entries/{index} for non-numeric indices.
        app.MapGet("/v1/entries/{index:regex(\\D)}", (HttpContext http, string index) =>
            HttpErrors.WriteAsync(http, new Status(StatusCode.InvalidArgument, $"index: expected a decimal entry index, got \"{index}\".")));

        app.MapPost("/v1/files", (HttpContext http, FileIntake intake, EvidenceLedger ledger, ApiKeyService keys, UploadSlots uploads,
            ReceiptBuilder receipts, EntryDisclosure disclosure, ILogger<FileIntake> logger, IOptions<NodeOptions> options, IOptions<NodeLimits> limits, TimeProvider time) =>
            HttpErrors.GuardAsync(http, logger, options.Value.DetailedErrors, async () =>
            {
                var caller = keys.Authenticate(http.Request.Headers.Authorization.ToString(), [Role.Submitter]);
                using var slot = uploads.Acquire(caller.KeyId);
                var file = Describe(http.Request); // PreserveAsync checks it before reading any content
                var waitForReceipt = (http.Request.Query["wait_for_receipt"].FirstOrDefault() ?? http.Request.Query["waitForReceipt"].FirstOrDefault()) switch
                {
                    null or "" or "false" => false,
                    "true" => true,
                    var other => throw new RpcException(new Status(StatusCode.InvalidArgument, $"wait_for_receipt: expected true or false, got \"{other}\".")),
                };
                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
                {
                    bodyLimit.MaxRequestBodySize = null; // the intake enforces Limits:MaxFileSize itself, with a clear error
                }

                if (http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
                {
                    rate.MinDataRate = null; // UploadPace enforces Limits:MinUploadBytesPerSecond and UploadIdleTimeout, with a clear error
                }

                using var pace = new UploadPace(limits.Value, time);
                var result = await intake.PreserveAsync(file, BodyChunksAsync(http.Request.Body, pace, http.RequestAborted), caller.KeyId, http.RequestAborted);
                var stored = result.ToStoredEntry();
                var response = new Api.V1.PreserveFileResponse
                {
                    Entry = Wire.ToProto(stored, await disclosure.ForAsync(caller, stored.Entry, http.RequestAborted)),
                    TreeSize = result.TreeSize,
                    SignedCheckpoint = result.SignedCheckpoint,
                };
                if (waitForReceipt)
                {
                    response.Receipt = ReceiptBuilder.ToProto(await receipts.BuildAsync(result.Index, wait: true, http.RequestAborted, caller));
                }

                http.Response.ContentType = "application/json; charset=utf-8";
                await http.Response.WriteAsync(Json.Format(response), http.RequestAborted);
            }));

        app.MapGet("/v1/entries/{index}/artefacts/{name}", (HttpContext http, string index, string name, EvidenceLedger ledger, IBlobStore blobs,
            EntryOpenings openings, ApiKeyService keys, ILogger<FileIntake> logger, IOptions<NodeOptions> options) =>
            HttpErrors.GuardAsync(http, logger, options.Value.DetailedErrors, async () =>
            {
                var caller = keys.Authenticate(http.Request.Headers.Authorization.ToString(), [Role.Submitter, Role.CaseManager, Role.Admin]);
                if (!ulong.TryParse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i))
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"index: expected a decimal entry index, got \"{index}\"."));
                }

                var (artefact, content, fileName) = await ArtefactAccess.OpenAsync(ledger, blobs, openings, caller, i, name, http.RequestAborted);
                await using (content)
                {
                    http.Response.ContentType = artefact.MediaType;
                    http.Response.ContentLength = artefact.Size;
                    // A download, whatever it is; only a raster image may show inline, and then as an image only.
                    http.Response.Headers.ContentDisposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue(
                        DownloadHeaders.InlineImage(artefact.MediaType) ? "inline" : "attachment")
                    {
                        FileNameStar = fileName, // the file's own name for a caller allowed to see it
                    }.ToString();
                    http.Response.Headers.ETag = $"\"{artefact.Sha256}\"";
                    http.Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(artefact.Sha256.ToArray())}:";
                    http.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
                    http.Response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
                    // Headers are gone by now: a mismatch can only abort the response, which the client sees as truncated.
                    var served = await ArtefactAccess.CopyAsync(content, http.Response.Body.WriteAsync, http.RequestAborted);
                    if (served.Sha256 != artefact.Sha256)
                    {
                        http.Abort();
                    }
                }
            }));
    }

    private static FileDescription Describe(HttpRequest request)
    {
        string Param(string snake, string camel) => (request.Query[snake].FirstOrDefault() ?? request.Query[camel].FirstOrDefault()) ?? string.Empty;

        var mediaType = Param("media_type", "mediaType");
        if (mediaType.Length == 0 && request.ContentType is { } contentType
            && !contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            mediaType = contentType; // curl sends form-urlencoded unless told otherwise; that is never the file's type
        }

        var expectedText = Param("expected_sha256", "expectedSha256");
        var expected = expectedText.Length == 0 ? (Hash?)null : Wire.ParseHash(expectedText, "expected_sha256");
        return new FileDescription(Param("file_name", "fileName"), mediaType, Param("title", "title"), Param("description", "description"), expected);
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> BodyChunksAsync(Stream body, UploadPace pace, [EnumeratorCancellation] CancellationToken ct)
    {
        var buffer = new byte[BufferSize];
        int read;
        while ((read = await pace.ReadAsync(static (state, token) => state.body.ReadAsync(state.buffer, token), (body, buffer), ct)) > 0)
        {
            pace.Received(read);
            yield return buffer.AsMemory(0, read);
        }
    }
}
