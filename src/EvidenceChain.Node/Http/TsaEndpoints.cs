using EvidenceChain.Ledger.Timestamping;
using Grpc.Core;

namespace EvidenceChain.Node.Http;

/// <summary>
/// The built-in TSA over HTTP (RFC 3161 §3.4): <c>POST /tsa</c> with an application/timestamp-query body answers
/// application/timestamp-reply, so <c>openssl ts -query ... | curl --data-binary @- ...</c> works. Public, like any
/// TSA; a malformed request gets a rejection TimeStampResp, the wrong content type 415, a body over 64 KiB 413.
/// </summary>
internal static class TsaEndpoints
{
    private const int MaxRequestBytes = 64 * 1024;

    public static void MapTsa(this IEndpointRouteBuilder app)
    {
        app.MapPost("/tsa", async (HttpContext http, TimeStampAuthority tsa) =>
        {
            if (!string.Equals(http.Request.ContentType?.Split(';')[0].Trim(), "application/timestamp-query", StringComparison.OrdinalIgnoreCase))
            {
                return HttpErrors.Result(StatusCodes.Status415UnsupportedMediaType, StatusCode.InvalidArgument, "POST /tsa takes Content-Type: application/timestamp-query (an RFC 3161 TimeStampReq).");
            }

            if (http.Request.ContentLength > MaxRequestBytes)
            {
                return HttpErrors.Result(StatusCodes.Status413PayloadTooLarge, StatusCode.ResourceExhausted, $"A TimeStampReq is at most {MaxRequestBytes} bytes.");
            }

            using var body = new MemoryStream();
            var buffer = new byte[8192];
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
            {
                if (body.Length + read > MaxRequestBytes)
                {
                    return HttpErrors.Result(StatusCodes.Status413PayloadTooLarge, StatusCode.ResourceExhausted, $"A TimeStampReq is at most {MaxRequestBytes} bytes.");
                }

                body.Write(buffer, 0, read);
            }

            http.Response.Headers.CacheControl = "no-store";
            return Results.Bytes(tsa.Respond(body.GetBuffer().AsSpan(0, (int)body.Length)), "application/timestamp-reply");
        });
    }
}
