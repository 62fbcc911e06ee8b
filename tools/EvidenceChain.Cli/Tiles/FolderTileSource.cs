namespace EvidenceChain.Cli.Tiles;

/// <summary>A log in a local folder in the tlog-tiles layout. Thread-safe.</summary>
internal sealed class FolderTileSource(string folder) : TileSource
{
    public override string Name => folder;

    public override async Task<byte[]?> GetAsync(string path, CancellationToken cancellationToken)
    {
        var file = Path.Combine(folder, path.Replace('/', Path.DirectorySeparatorChar));
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists)
            {
                return null;
            }

            return info.Length > MaxFileBytes
                ? throw new TileSourceException($"{file} is {info.Length} bytes; no tile, bundle or checkpoint is larger than {MaxFileBytes}")
                : await File.ReadAllBytesAsync(file, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TileSourceException($"{file} cannot be read: {e.Message}", e);
        }
    }
}
