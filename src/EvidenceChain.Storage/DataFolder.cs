namespace EvidenceChain.Storage;

/// <summary>
/// A node's data folder, held exclusively: <c>LOCK</c> is locked for as long as this object lives, so a second
/// process gets <see cref="DataFolderLockedException"/> instead of corrupting the LiteDB file. Layout:
/// <c>log/</c> (tlog-tiles: <c>checkpoint</c>, <c>checkpoints</c> history, <c>tile/</c>), <c>blobs/</c>,
/// <c>index.db</c>, <c>node.db</c>, <c>keys/</c>. See the project README.
/// </summary>
/// <remarks>Thread-safe. Dispose releases the lock.</remarks>
public sealed class DataFolder : IDisposable
{
    private readonly FileStream _lock;

    private DataFolder(string path, FileStream lockFile)
    {
        Path = path;
        _lock = lockFile;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The ledger files, servable as static C2SP tlog-tiles.</summary>
    public string LogPath => System.IO.Path.Combine(Path, "log");

    /// <summary>The content-addressed blob store.</summary>
    public string BlobsPath => System.IO.Path.Combine(Path, "blobs");

    /// <summary>The LiteDB index file.</summary>
    public string IndexPath => System.IO.Path.Combine(Path, "index.db");

    /// <summary>The LiteDB file of the node's own state (API keys): not derived from the ledger, never rebuilt.</summary>
    public string StatePath => System.IO.Path.Combine(Path, "node.db");

    /// <summary>The openings of entries' committed fields (0600 files, as private as the artefacts).</summary>
    public string OpeningsPath => System.IO.Path.Combine(Path, "openings");

    /// <summary>Key files (0600).</summary>
    public string KeysPath => System.IO.Path.Combine(Path, "keys");

    /// <summary>Opens (and with <paramref name="create"/>, creates) a data folder and takes its lock.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist and <paramref name="create"/> is false.</exception>
    /// <exception cref="DataFolderLockedException">Another process holds the folder.</exception>
    public static DataFolder Open(string path, bool create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            if (!create)
            {
                throw new DirectoryNotFoundException($"Data folder {full} does not exist.");
            }

            Internal.OwnerOnly.CreateDirectory(full);
        }

        FileStream lockFile;
        try
        {
            lockFile = new FileStream(
                System.IO.Path.Combine(full, "LOCK"),
                Internal.OwnerOnly.Apply(new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None }));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new DataFolderLockedException(
                $"Data folder {full} is in use by another process (its LOCK file is held). Stop that process, or work on a copy of the folder.",
                e);
        }

        if (create)
        {
            // Files and folders an older version made world-readable (node.db, index.db, log/, ...): the folder is
            // the operator's. Only the top level; the folder's own 0700 already keeps others out of the rest.
            Internal.OwnerOnly.RestrictEntries(full);
        }

        return new DataFolder(full, lockFile);
    }

    /// <inheritdoc/>
    public void Dispose() => _lock.Dispose();
}
