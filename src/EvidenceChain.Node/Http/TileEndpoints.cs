using EvidenceChain.Ledger;
using EvidenceChain.Core.Tiles;
using EvidenceChain.Node.Witnessing;

namespace EvidenceChain.Node.Http;

/// <summary>
/// C2SP tlog-tiles reads: <c>GET /checkpoint</c>, <c>GET /tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c> and
/// <c>GET /tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c>. Full tiles never change and are cached for a year as immutable;
/// partial tiles for an hour; the checkpoint must be revalidated. The checkpoint is always the newest published one,
/// with the cosignatures its witnesses returned so far appended (none until its cosigning round is done).
/// </summary>
internal static class TileEndpoints
{
    public static void MapTiles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/checkpoint", (HttpContext http, EvidenceLedger ledger, NodeWitnessing witnessing) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Text(witnessing.LatestNote(ledger.Latest), "text/plain; charset=utf-8");
        });

        app.MapGet("/tile/{**rest}", async (HttpContext http, string rest, EvidenceLedger ledger) =>
        {
            if (!TileId.TryParsePath("tile/" + rest, out var tile))
            {
                return Results.NotFound();
            }

            var bytes = await ledger.ReadPublishedTileAsync(tile, http.RequestAborted);
            if (bytes is null)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = tile.IsFull ? "public, max-age=31536000, immutable" : "public, max-age=3600";
            return Results.Bytes(bytes, "application/octet-stream");
        });
    }
}
