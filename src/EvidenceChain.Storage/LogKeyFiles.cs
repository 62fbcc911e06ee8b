using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Notes;

namespace EvidenceChain.Storage;

/// <summary>
/// The log's checkpoint key on disk: <c>log.key</c> (the signed-note private key string, mode 0600) and
/// <c>log.vkey</c> (the verifier key, public). Created on first use with a fresh random Ed25519 key.
/// </summary>
public static class LogKeyFiles
{
    /// <summary>Mode of files holding secrets: read and write for the owner only.</summary>
    public const UnixFileMode SecretMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Private key file name.</summary>
    public const string PrivateKeyFile = "log.key";

    /// <summary>Verifier key file name.</summary>
    public const string VerifierKeyFile = "log.vkey";

    /// <summary>
    /// Loads the log key from <paramref name="keysPath"/>, or creates one named <paramref name="origin"/> (or a
    /// generated unique origin when null) if there is none.
    /// </summary>
    /// <exception cref="InvalidDataException">The key file is malformed, or its name differs from <paramref name="origin"/>.</exception>
    public static NoteSigner LoadOrCreate(string keysPath, string? origin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keysPath);
        var privatePath = Path.Combine(keysPath, PrivateKeyFile);
        if (File.Exists(privatePath))
        {
            var signer = Load(privatePath);
            if (origin is not null && origin != signer.Name)
            {
                throw new InvalidDataException(
                    $"The data folder's log is \"{signer.Name}\", not \"{origin}\"; a log's origin cannot change.");
            }

            return signer;
        }

        var name = origin ?? $"evidencechain.local/log-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var created = NoteSigner.FromSeed(name, RandomNumberGenerator.GetBytes(32));
        Write(keysPath, created);
        return created;
    }

    /// <summary>Reads a private key file.</summary>
    /// <exception cref="InvalidDataException">The file does not hold a valid signed-note private key.</exception>
    public static NoteSigner Load(string privateKeyPath)
    {
        var text = File.ReadAllText(privateKeyPath, Encoding.UTF8);
        NoteSigner signer;
        try
        {
            signer = NoteSigner.Parse(text.TrimEnd('\n'));
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{privateKeyPath} does not hold a valid signed-note private key: {e.Message}", e);
        }

        if (text != signer.ToPrivateKeyString() + "\n")
        {
            throw new InvalidDataException($"{privateKeyPath} is not in canonical form (the key string and one newline).");
        }

        return signer;
    }

    /// <summary>Writes <c>log.key</c> (0600) and <c>log.vkey</c> into <paramref name="keysPath"/>; refuses to overwrite.</summary>
    public static void Write(string keysPath, NoteSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(keysPath);
        }
        else
        {
            Directory.CreateDirectory(keysPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        WriteNew(Path.Combine(keysPath, PrivateKeyFile), signer.ToPrivateKeyString() + "\n", SecretMode);
        WriteNew(
            Path.Combine(keysPath, VerifierKeyFile),
            signer.VerifierKey.ToString() + "\n",
            SecretMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    private static void WriteNew(string path, string text, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using var file = new FileStream(path, options);
        file.Write(Encoding.UTF8.GetBytes(text));
        file.Flush(flushToDisk: true);
    }
}
