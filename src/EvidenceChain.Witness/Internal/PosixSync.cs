using System.Runtime.InteropServices;

namespace EvidenceChain.Witness.Internal;

/// <summary>fsync of a folder, so that a file renamed into it survives a crash. A no-op on Windows.</summary>
internal static partial class PosixSync
{
    private const int ORdonly = 0;
    private const int ODirectory = 0x10000;

    /// <exception cref="IOException">The folder cannot be opened or synced.</exception>
    public static void Directory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(path, ORdonly | ODirectory);
        if (fd < 0)
        {
            throw new IOException($"Cannot open folder {path} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of folder {path} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
