using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Tiles;
using EvidenceChain.Storage.Internal;

namespace EvidenceChain.Cli.Mirror;

/// <summary>
/// The mirror's folder: the log's <c>checkpoint</c> and its tiles and bundles in the tlog-tiles layout (so any static
/// server can serve it), and <c>conflicts/</c>, the evidence of every refusal. Files go in place by temp + fsync +
/// rename; <see cref="CommitCheckpointAsync"/>, the commit point, runs after every folder written to was fsync'd.
/// Files are created with the process's umask (world-readable by default), not 0600: a mirror is public.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class MirrorFolder
{
    /// <summary>The file that holds the mirrored checkpoint, as the log served it.</summary>
    public const string CheckpointFile = "checkpoint";

    /// <summary>The folder of conflict evidence.</summary>
    public const string ConflictsFolder = "conflicts";

    private const string TempSuffix = ".tmp";
    private readonly ConcurrentDictionary<string, bool> _touched = new(StringComparer.Ordinal);

    public MirrorFolder(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>Creates the folder when missing and deletes temporary files an interrupted run left behind.</summary>
    public void Prepare()
    {
        Directory.CreateDirectory(Path);
        var tiles = System.IO.Path.Combine(Path, "tile");
        if (Directory.Exists(tiles))
        {
            foreach (var file in Directory.EnumerateFiles(tiles, "*" + TempSuffix, SearchOption.AllDirectories))
            {
                File.Delete(file);
            }
        }

        File.Delete(System.IO.Path.Combine(Path, CheckpointFile + TempSuffix));
    }

    /// <summary>The mirrored checkpoint note, or null when the folder holds none yet.</summary>
    public byte[]? ReadCheckpoint() => Read(CheckpointFile);

    /// <summary>The file of <paramref name="tile"/>, or null when it is not there.</summary>
    public byte[]? Read(TileId tile) => Read(tile.ToPath());

    /// <summary>Deletes the partial versions (<c>&lt;N&gt;.p/</c>) of the full tile <paramref name="full"/>, if there are any.</summary>
    public void DeletePartials(TileId full)
    {
        var partials = Full(full.ToPath() + ".p");
        if (Directory.Exists(partials))
        {
            Directory.Delete(partials, recursive: true);
        }
    }

    /// <summary>Writes <paramref name="bytes"/> as the file at <paramref name="relativePath"/> (temp, fsync, rename); its folder is fsync'd by <see cref="SyncFoldersAsync"/>.</summary>
    public async Task WriteAsync(string relativePath, byte[] bytes, CancellationToken cancellationToken)
    {
        var file = Full(relativePath);
        var folder = System.IO.Path.GetDirectoryName(file)!;
        CreateFolders(folder);
        await WriteDurablyAsync(file, bytes, cancellationToken);
        _touched.TryAdd(folder, true);
    }

    /// <summary>fsyncs every folder written to since the last call, deepest first.</summary>
    public Task SyncFoldersAsync()
    {
        foreach (var folder in _touched.Keys.OrderByDescending(f => f.Length))
        {
            Durable.SyncDirectory(folder);
            _touched.TryRemove(folder, out _);
        }

        return Task.CompletedTask;
    }

    /// <summary>Replaces the checkpoint (temp, fsync, rename, fsync the folder): the commit point of a mirror run.</summary>
    public async Task CommitCheckpointAsync(byte[] note, CancellationToken cancellationToken)
    {
        await SyncFoldersAsync();
        await WriteDurablyAsync(Full(CheckpointFile), note, cancellationToken);
        Durable.SyncDirectory(Path);
    }

    /// <summary>
    /// Saves the evidence of a refusal in <c>conflicts/&lt;size&gt;-&lt;root&gt;/</c> (named by the log's checkpoint):
    /// <c>checkpoint</c> as the log served it, <c>mirror-checkpoint</c> (the one this folder held), <c>reason.txt</c>
    /// and any <paramref name="files"/> (tiles as served) under their own paths. Returns the folder's path.
    /// </summary>
    public async Task<string> SaveConflictAsync(Checkpoint served, byte[] servedNote, byte[]? heldNote, string reason, IReadOnlyList<(string Path, byte[] Bytes)> files, CancellationToken cancellationToken)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{ConflictsFolder}/{served.Size}-{served.Root}");
        await WriteAsync($"{name}/checkpoint", servedNote, cancellationToken);
        if (heldNote is not null)
        {
            await WriteAsync($"{name}/mirror-checkpoint", heldNote, cancellationToken);
        }

        await WriteAsync($"{name}/reason.txt", Encoding.UTF8.GetBytes(reason + "\n"), cancellationToken);
        foreach (var (path, bytes) in files)
        {
            await WriteAsync($"{name}/{path}", bytes, cancellationToken);
        }

        await SyncFoldersAsync();
        return Full(name);
    }

    private byte[]? Read(string relativePath)
    {
        var file = Full(relativePath);
        try
        {
            return File.Exists(file) ? File.ReadAllBytes(file) : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private string Full(string relativePath) => System.IO.Path.Combine(Path, relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar));

    private void CreateFolders(string folder)
    {
        if (Directory.Exists(folder))
        {
            return;
        }

        for (var d = folder; !Directory.Exists(d); d = System.IO.Path.GetDirectoryName(d)!)
        {
            _touched.TryAdd(System.IO.Path.GetDirectoryName(d)!, true);
        }

        Directory.CreateDirectory(folder);
    }

    private static async Task WriteDurablyAsync(string file, byte[] bytes, CancellationToken cancellationToken)
    {
        var temp = file + TempSuffix;
        var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            PreallocationSize = bytes.Length,
        });
        await using (stream)
        {
            await stream.WriteAsync(bytes, cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, file, overwrite: true);
    }
}
