using System.Threading.RateLimiting;
using EvidenceChain.Ledger.Timestamping;
using Grpc.Core;

namespace EvidenceChain.Node.Http;

/// <summary>
/// The built-in TSA over HTTP (RFC 3161 §3.4): <c>POST /tsa</c> with an application/timestamp-query body answers
/// application/timestamp-reply, so <c>openssl ts -query ... | curl --data-binary @- ...</c> works. Public, like any
/// TSA; a malformed request gets a rejection TimeStampResp, the wrong content type 415, a body over 64 KiB 413, and a
/// client over Limits:TsaRequestsPerSecondPerClient 429.
/// </summary>
internal static class TsaEndpoints
{
    private const int MaxRequestBytes = 64 * 1024;

    /// <summary>The rate-limiting policy of <c>POST /tsa</c>: a token bucket per client address.</summary>
    public const string RateLimitPolicy = "tsa";

    /// <summary>Registers <see cref="RateLimitPolicy"/>: Limits:TsaRequestsPerSecondPerClient per remote address.</summary>
    public static IServiceCollection AddTsaRateLimit(this IServiceCollection services, int perSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perSecond, 1, "Limits:TsaRequestsPerSecondPerClient");
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(RateLimitPolicy, http => RateLimitPartition.GetTokenBucketLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? string.Empty,
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
    }

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
        }).RequireRateLimiting(RateLimitPolicy);
    }
}
