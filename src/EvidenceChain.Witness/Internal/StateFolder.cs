using System.Security.Cryptography;
using System.Text;

namespace EvidenceChain.Witness.Internal;

/// <summary>
/// The witness's state folder: per log one file <c>&lt;hex SHA-256 of the origin&gt;.checkpoint</c> holding the latest
/// checkpoint it cosigned, with the log's signature lines and its own cosignature (docs/formats.md §6d). A file is
/// replaced by writing a temporary file, fsync, rename and fsync of the folder, so after a crash it holds either the
/// old or the new checkpoint, whole. A <c>LOCK</c> file held open keeps a second witness process out.
/// </summary>
/// <remarks>Thread-safe for different origins; the caller serialises writes of one origin.</remarks>
internal sealed class StateFolder : IDisposable
{
    private const UnixFileMode FileMode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode FolderMode0700 = FileMode0600 | UnixFileMode.UserExecute;

    private readonly FileStream _lock;

    /// <exception cref="IOException">Another process holds the folder, or it cannot be created.</exception>
    public StateFolder(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Path);
        }
        else if (!System.IO.Directory.Exists(Path))
        {
            System.IO.Directory.CreateDirectory(Path, FolderMode0700);
        }

        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode0600;
        }

        try
        {
            _lock = new FileStream(System.IO.Path.Combine(Path, "LOCK"), options);
        }
        catch (IOException e)
        {
            throw new IOException($"The witness state folder {Path} is in use by another process.", e);
        }
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The file name of a log's state: the lowercase hex SHA-256 of its origin and <c>.checkpoint</c>.</summary>
    public static string FileName(string origin) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(origin))) + ".checkpoint";

    /// <summary>The stored cosigned checkpoint of <paramref name="origin"/>, or null when there is none.</summary>
    public string? Read(string origin)
    {
        var file = System.IO.Path.Combine(Path, FileName(origin));
        return File.Exists(file) ? File.ReadAllText(file, Encoding.UTF8) : null;
    }

    /// <summary>Replaces the stored checkpoint of <paramref name="origin"/>; durable when it returns.</summary>
    public void Write(string origin, string cosignedCheckpoint)
    {
        var name = FileName(origin);
        var file = System.IO.Path.Combine(Path, name);
        var temp = System.IO.Path.Combine(Path, "." + name + ".tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode0600;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(cosignedCheckpoint));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, file, overwrite: true);
        PosixSync.Directory(Path);
    }

    /// <inheritdoc/>
    public void Dispose() => _lock.Dispose();
}
