using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// Writes that survive a crash or power loss: data is fsync'd before it is renamed into place, and the folders
/// whose entries changed are fsync'd after.
/// </summary>
internal static partial class Durable
{
    private const int ORdonly = 0;
    private const int ODirectory = 0x10000;
    private const uint SyncFileRangeWrite = 2;

    /// <summary>Writes <paramref name="bytes"/> to a temporary file, fsyncs it and renames it over <paramref name="path"/>.
    /// The caller fsyncs the folder (<see cref="SyncDirectory"/>).</summary>
    public static async Task WriteFileAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            PreallocationSize = bytes.Length,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly.FileMode;
        }

        var stream = new FileStream(temp, options);
        await using (stream)
        {
            await stream.WriteAsync(bytes, cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Creates <paramref name="directory"/> and any missing parents; returns the folders whose entries changed.</summary>
    public static void CreateDirectory(string directory, ISet<string> changed)
    {
        var missing = new Stack<string>();
        for (var d = directory; !Directory.Exists(d); d = Path.GetDirectoryName(d)!)
        {
            missing.Push(d);
        }

        while (missing.TryPop(out var d))
        {
            OwnerOnly.CreateDirectory(d);
            changed.Add(Path.GetDirectoryName(d)!);
        }
    }

    /// <summary>fsyncs a folder so that entries created or renamed in it are durable. A no-op on Windows.</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, ORdonly | ODirectory);
        if (fd < 0)
        {
            throw new IOException($"Cannot open folder {directory} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of folder {directory} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Linux <c>syncfs</c>: writes every dirty page and metadata change of the file system holding
    /// <paramref name="path"/> to disk, in one call however many files changed.
    /// </summary>
    public static void SyncFileSystem(string path)
    {
        var fd = Open(path, ORdonly | ODirectory);
        if (fd < 0)
        {
            throw new IOException($"Cannot open folder {path} to sync its file system (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (SyncFs(fd) != 0)
            {
                throw new IOException($"syncfs of the file system of {path} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Linux <c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>: starts writing a range of <paramref name="file"/> that is
    /// in the page cache to disk and returns without waiting, so that a large file's final fsync finds most of it
    /// written already instead of all of it dirty. A hint only: elsewhere, or if it fails, nothing happens, and the
    /// fsync that follows is what makes the file durable.
    /// </summary>
    public static void StartWriteBack(SafeFileHandle file, long offset, long length)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = SyncFileRange(file, offset, length, SyncFileRangeWrite);
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
