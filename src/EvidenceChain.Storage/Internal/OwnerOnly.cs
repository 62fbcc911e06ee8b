using Microsoft.Win32.SafeHandles;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// The data folder is the operator's: every file the node creates in it is 0600 and every folder 0700 (the public
/// reads go through HTTP, not the file system). No-ops on Windows, where ACLs apply instead.
/// </summary>
internal static class OwnerOnly
{
    /// <summary>rw-------.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwx------.</summary>
    public const UnixFileMode DirectoryMode = FileMode | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> and any missing parents, each 0700.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            // Directory.CreateDirectory(path, mode) gives the missing parents the default mode: create each.
            var missing = new Stack<string>();
            for (var d = Path.GetFullPath(path); !Directory.Exists(d); d = Path.GetDirectoryName(d)!)
            {
                missing.Push(d);
            }

            while (missing.TryPop(out var d))
            {
                Directory.CreateDirectory(d, DirectoryMode);
            }
        }
    }

    /// <summary>Sets a file stream's create mode to 0600.</summary>
    public static FileStreamOptions Apply(FileStreamOptions options)
    {
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    /// <summary>Restricts a file just opened (or created) through <paramref name="handle"/> to 0600.</summary>
    public static SafeFileHandle Restrict(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(handle, FileMode);
        }

        return handle;
    }

    /// <summary>
    /// Creates an empty 0600 <paramref name="path"/> when it does not exist, so that a library that creates it with
    /// the default mode (LiteDB) finds it made already.
    /// </summary>
    public static void PreCreate(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var _ = new FileStream(path, Apply(new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write }));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created meanwhile: fine.
        }
    }

    /// <summary>
    /// Pre-creates a LiteDB file and its journal (<c>name-log.ext</c>, which LiteDB makes on the first write and deletes
    /// when it closes) as 0600. An empty journal is what LiteDB finds after a clean close.
    /// </summary>
    public static void PreCreateLiteDb(string path)
    {
        PreCreate(path);
        var directory = Path.GetDirectoryName(path) ?? ".";
        PreCreate(Path.Combine(directory, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path)));
    }

    /// <summary>Restricts the files and folders directly in <paramref name="folder"/> (made by an older version) to 0600/0700.</summary>
    public static void RestrictEntries(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            var mode = entry is DirectoryInfo ? DirectoryMode : FileMode;
            if (entry.LinkTarget is null && entry.UnixFileMode != mode)
            {
                entry.UnixFileMode = mode;
            }
        }
    }
}
