using System.Text;
using EvidenceChain.Cli.Tiles;
using EvidenceChain.Core.Tiles;
using EvidenceChain.Storage.Internal;

namespace EvidenceChain.Cli.Audit;

/// <summary>
/// A log in the C2SP tlog-tiles layout as the audit reads it: a mirror folder (<c>evidencectl mirror</c>) or a
/// node's published log over HTTP (<c>GET /checkpoint</c>, <c>/tile/...</c>, <c>/tile/entries/...</c>). Both give the
/// latest checkpoint, the tiles and the entry bundles, and nothing else: what they lack is said in
/// <see cref="NotChecked"/>. A partial tile the source no longer has is read as the prefix of its full tile.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class TiledAuditSource(TileSource source, bool overHttp) : AuditSource
{
    private int _otherLines;

    public override string CheckpointWhere => "checkpoint";

    public override int ReadConcurrency => overHttp ? 8 : Environment.ProcessorCount;

    public override IReadOnlyList<string> NotChecked
    {
        get
        {
            List<string> list = overHttp
                ?
                [
                    "the checkpoint history: the node publishes only its latest checkpoint (the tree binds every earlier one)",
                    "timestamp tokens: the node publishes them only inside receipts (audit the data folder or database for all of them)",
                    "blobs, the index and API keys: not published (artefacts are served only to API keys)",
                ]
                :
                [
                    "the checkpoint history: a mirror keeps only the latest checkpoint (the tree binds every earlier one)",
                    "timestamp tokens, blobs, the index and API keys: a mirror holds the log's tiles and bundles only",
                ];
            if (_otherLines > 0)
            {
                list.Add($"{_otherLines} other signature line(s) on the checkpoint (witness cosignatures): no witness keys are pinned here (evidencectl verify --policy checks them)");
            }

            return list;
        }
    }

    public override async ValueTask<string?> ReadCheckpointAsync(CancellationToken cancellationToken)
    {
        byte[]? bytes;
        try
        {
            bytes = await source.GetAsync("checkpoint", cancellationToken);
        }
        catch (TileSourceException e)
        {
            throw new AuditSourceException(e.Message, e);
        }

        if (bytes is null)
        {
            return null;
        }

        var note = Encoding.UTF8.GetString(bytes);
        _otherLines = Math.Max(0, CountSignatureLines(note) - 1);
        return note;
    }

    public override async ValueTask<byte[]?> ReadTileAsync(TileId tile, CancellationToken cancellationToken)
    {
        try
        {
            return await source.GetTileAsync(tile, cancellationToken);
        }
        catch (TileSourceException e)
        {
            throw new AuditSourceException(e.Message, e);
        }
    }

    // Signature lines follow the blank line and start with an em dash (C2SP signed-note); the log signs with one
    // (two under the national profile: then one SM2 line is counted as "other", which the message's wording allows).
    private static int CountSignatureLines(string note)
    {
        var blank = note.IndexOf("\n\n", StringComparison.Ordinal);
        return blank < 0 ? 0 : note[(blank + 2)..].Split('\n').Count(l => l.StartsWith("\u2014 ", StringComparison.Ordinal));
    }
}
