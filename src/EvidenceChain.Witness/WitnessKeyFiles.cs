using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core.Notes;
using EvidenceChain.Witness.Internal;

namespace EvidenceChain.Witness;

/// <summary>
/// A witness's key on disk: <c>witness.key</c> (the cosigner private key string and one newline, mode 0600) and
/// <c>witness.vkey</c> (its vkey, 0644), created on first use with a fresh random Ed25519 key (docs/formats.md §6b).
/// </summary>
public static class WitnessKeyFiles
{
    /// <summary>The private key's file name.</summary>
    public const string PrivateKeyFile = "witness.key";

    /// <summary>The vkey's file name.</summary>
    public const string VerifierKeyFile = "witness.vkey";

    /// <summary>
    /// Loads the witness key from <paramref name="folder"/>, or creates one named <paramref name="name"/> there (the
    /// folder too, 0700) if there is none. A key that exists must have that name when one is given.
    /// </summary>
    /// <exception cref="InvalidDataException">The key file is malformed, or its name is not <paramref name="name"/>.</exception>
    /// <exception cref="ArgumentException">No key exists and <paramref name="name"/> is null or not a valid key name.</exception>
    public static WitnessSigner LoadOrCreate(string folder, string? name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var privatePath = Path.Combine(folder, PrivateKeyFile);
        if (File.Exists(privatePath))
        {
            var signer = Load(privatePath);
            if (name is not null && name != signer.Name)
            {
                throw new InvalidDataException(
                    $"The witness key in {privatePath} is named \"{signer.Name}\", not \"{name}\"; a witness's name is part of its key, so it cannot change.");
            }

            var vkey = Path.Combine(folder, VerifierKeyFile);
            if (!File.Exists(vkey))
            {
                WriteNew(vkey, signer.Key + "\n", PublicMode);
            }

            return signer;
        }

        if (name is null)
        {
            throw new ArgumentException($"There is no witness key in {folder}; give the witness a name to create one.", nameof(name));
        }

        var created = WitnessSigner.FromSeed(name, RandomNumberGenerator.GetBytes(WitnessSigner.SeedSize));
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var vkeyPath = Path.Combine(folder, VerifierKeyFile);
        File.Delete(vkeyPath); // a leftover of a lost key must not stay beside the new one
        WriteNew(privatePath, created.ToPrivateKeyString() + "\n", SecretMode);
        WriteNew(vkeyPath, created.Key + "\n", PublicMode);
        PosixSync.Directory(Path.GetFullPath(folder));
        return created;
    }

    /// <summary>Reads a witness private key file: the key string and exactly one newline.</summary>
    /// <exception cref="InvalidDataException">The file does not hold a cosigner private key in that form.</exception>
    public static WitnessSigner Load(string privateKeyPath)
    {
        var text = File.ReadAllText(privateKeyPath, Encoding.UTF8);
        WitnessSigner signer;
        try
        {
            signer = WitnessSigner.Parse(text.TrimEnd('\n'));
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{privateKeyPath} does not hold a witness private key: {e.Message}", e);
        }

        if (text != signer.ToPrivateKeyString() + "\n")
        {
            throw new InvalidDataException($"{privateKeyPath} is not in canonical form (the key string and one newline).");
        }

        return signer;
    }

    private const UnixFileMode SecretMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PublicMode = SecretMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes a whole new file: a temporary file with <paramref name="mode"/>, fsync, then a rename that never overwrites.</summary>
    private static void WriteNew(string path, string text, UnixFileMode mode)
    {
        var temp = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        try
        {
            using (var file = new FileStream(temp, options))
            {
                file.Write(Encoding.UTF8.GetBytes(text));
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: false);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
