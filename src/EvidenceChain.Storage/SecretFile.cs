using System.Security.Cryptography;
using System.Text;

namespace EvidenceChain.Storage;

/// <summary>
/// Writes a file that holds a secret (a private key, an API key) the one way this repository does it: readable and
/// writable by the owner only (mode 0600 on Unix), written in full to a temporary file in the same folder, flushed to
/// disk and then renamed into place, so the name never shows a partial secret or, even for an instant, a wider mode.
/// </summary>
/// <remarks>Stateless and thread-safe. On Windows the file gets the folder's inherited access rules.</remarks>
public static class SecretFile
{
    /// <summary>Owner read and write: the mode of every secret file.</summary>
    internal const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/>. Requires the folder to exist. Refuses to
    /// replace an existing file unless <paramref name="overwrite"/>; a replaced file's old mode is not kept.
    /// </summary>
    /// <exception cref="IOException"><paramref name="path"/> exists and <paramref name="overwrite"/> is false, or the write failed.</exception>
    public static void Write(string path, string text, bool overwrite = false) => Write(path, Encoding.UTF8.GetBytes(text), overwrite);

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, as <see cref="Write(string, string, bool)"/>.</summary>
    /// <exception cref="IOException"><paramref name="path"/> exists and <paramref name="overwrite"/> is false, or the write failed.</exception>
    public static void Write(string path, ReadOnlySpan<byte> content, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (!overwrite && Path.Exists(full))
        {
            throw new IOException($"{path} already exists");
        }

        var temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Mode;
        }

        try
        {
            using (var file = new FileStream(temp, options))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
