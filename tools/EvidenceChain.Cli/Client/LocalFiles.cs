namespace EvidenceChain.Cli.Client;

/// <summary>Checks the local paths a command reads or writes before it talks to the node.</summary>
internal static class LocalFiles
{
    /// <summary>An existing regular file to read.</summary>
    /// <exception cref="UsageException">No such file, a folder, or not a file name.</exception>
    public static FileInfo Existing(string path)
    {
        var info = Info(path);
        if (Directory.Exists(info.FullName))
        {
            throw new UsageException($"{path} is a folder, not a file");
        }

        return info.Exists ? info : throw new UsageException($"{path}: no such file");
    }

    /// <summary>A file to create (or to replace when <paramref name="replace"/>) in an existing folder.</summary>
    /// <exception cref="UsageException">A folder, an existing file, a missing folder, or not a file name.</exception>
    public static FileInfo Target(string path, bool replace)
    {
        var info = Info(path);
        if (Directory.Exists(info.FullName) || path.EndsWith('/') || path.EndsWith(Path.DirectorySeparatorChar))
        {
            throw new UsageException($"-o {path} is a folder; give the name of the file to write");
        }

        if (info.Exists && !replace)
        {
            throw new UsageException($"-o {path} exists; give --force to replace it");
        }

        return info.Directory is { Exists: true } ? info : throw new UsageException($"-o {path}: the folder {info.DirectoryName} does not exist");
    }

    private static FileInfo Info(string path)
    {
        try
        {
            return new FileInfo(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            // An empty name, or one holding a NUL character.
            throw new UsageException($"\"{Text.Printable(path)}\" is not a file name");
        }
    }
}
