using EvidenceChain.Witness.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvidenceChain.Witness;

/// <summary>
/// The witness on HTTP (c2sp.org/tlog-witness): <c>POST /add-checkpoint</c>, the monitoring read
/// <c>GET /&lt;hex SHA-256 of the origin&gt;/checkpoint</c>, and <c>GET /witness.vkey</c> (the witness's key).
/// Unauthenticated by design: the log's signature on the checkpoint is the request's authentication.
/// </summary>
public static class WitnessEndpoints
{
    /// <summary>The largest request body accepted, in bytes (64 KiB); a larger one gets 413.</summary>
    public const int MaxRequestBytes = 64 * 1024;

    /// <summary>Maps the witness's endpoints onto <paramref name="app"/>.</summary>
    public static void MapWitness(this IEndpointRouteBuilder app, CheckpointWitness witness)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(witness);
        app.MapPost("/add-checkpoint", async (HttpContext http) =>
        {
            var body = await ReadBodyAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
            var answer = body is null
                ? WitnessAnswer.Error(StatusCodes.Status413PayloadTooLarge, $"an add-checkpoint request is at most {MaxRequestBytes} bytes")
                : await witness.AddCheckpointAsync(body.Value, http.RequestAborted).ConfigureAwait(false);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Text(answer.Body, answer.ContentType, statusCode: answer.Status);
        });

        app.MapGet("/{originHash:length(64)}/checkpoint", (string originHash) =>
            witness.LatestCheckpoint(originHash) is { } note
                ? Results.Text(note, "text/plain; charset=utf-8")
                : Results.Text("this witness has cosigned no checkpoint of that log\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound));

        app.MapGet("/witness.vkey", () => Results.Text(witness.Key + "\n", "text/plain; charset=utf-8"));
    }

    /// <summary>The whole body, or null when it is longer than <see cref="MaxRequestBytes"/>.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxRequestBytes)
        {
            return null;
        }

        var buffer = new byte[MaxRequestBytes + 1];
        var length = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
            if (length > MaxRequestBytes)
            {
                return null;
            }
        }

        return buffer.AsMemory(0, length);
    }
}
