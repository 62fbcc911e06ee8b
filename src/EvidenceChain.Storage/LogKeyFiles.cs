using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core.Notes;

namespace EvidenceChain.Storage;

/// <summary>
/// The log's checkpoint key on disk: <c>log.key</c> (the signed-note private key string, mode 0600) and
/// <c>log.vkey</c> (the verifier key, public). Created on first use with a fresh random Ed25519 key. Under the national
/// crypto profile also the log's SM2 key: <c>log-sm2.key</c> (0600), <c>log-sm2.vkey</c> and <c>log-sm2.pub.pem</c>
/// (the same public key as a SubjectPublicKeyInfo PEM for openssl); see docs/formats.md §6a.
/// </summary>
public static class LogKeyFiles
{
    /// <summary>Mode of files holding secrets: read and write for the owner only.</summary>
    internal const UnixFileMode SecretMode = SecretFile.Mode;

    /// <summary>Private key file name.</summary>
    public const string PrivateKeyFile = "log.key";

    /// <summary>Verifier key file name.</summary>
    public const string VerifierKeyFile = "log.vkey";

    /// <summary>SM2 private key file name (national crypto profile).</summary>
    public const string Sm2PrivateKeyFile = "log-sm2.key";

    /// <summary>SM2 verifier key file name: <c>name+hex8+base64(0xff || "evidencechain/sm2-sm3/v1" || 0x04 || X || Y)</c>.</summary>
    public const string Sm2VerifierKeyFile = "log-sm2.vkey";

    /// <summary>The SM2 public key as PEM SubjectPublicKeyInfo, for <c>openssl pkeyutl -verify -pubin -inkey</c>.</summary>
    public const string Sm2PublicKeyPemFile = "log-sm2.pub.pem";

    private const UnixFileMode PublicMode = SecretMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// The log's signers for opening its ledger, from the keys folder <paramref name="keysPath"/> (<c>keys/</c> of the
    /// node's data folder, whatever the storage driver): the Ed25519 key, loaded or created (named
    /// <paramref name="origin"/>, or a generated unique origin when null) with <see cref="VerifierKeyFile"/> checked or
    /// written again; and with <paramref name="nationalCrypto"/> the SM2 key too (docs/formats.md §6a), else null.
    /// </summary>
    /// <param name="keysPath">The keys folder.</param>
    /// <param name="origin">The log's origin; null to keep an existing log's.</param>
    /// <param name="published">True when the log has published checkpoints: a missing key is then refused, not created.</param>
    /// <param name="nationalCrypto">Whether to load (creating when needed) the SM2 key.</param>
    /// <exception cref="Ledger.LedgerCorruptException">The key is missing but the log has published checkpoints.</exception>
    /// <exception cref="DataFolderDamagedException"><see cref="VerifierKeyFile"/> does not hold the key's verifier key.</exception>
    /// <exception cref="InvalidDataException">A key file is malformed or does not belong to this log.</exception>
    public static (NoteSigner Signer, NoteSigner? Sm2Signer) LoadForLog(string keysPath, string? origin, bool published, bool nationalCrypto)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keysPath);
        var privatePath = Path.Combine(keysPath, PrivateKeyFile);
        if (published && !File.Exists(privatePath))
        {
            // A new key could never sign a checkpoint consistent with the old ones: refuse, and write nothing.
            throw new Ledger.LedgerCorruptException(
                $"The log's key {privatePath} is missing but the log has published checkpoints; restore the key from a backup.");
        }

        var signer = LoadOrCreate(keysPath, origin);
        CheckVerifierKeyFile(keysPath, signer);
        return (signer, nationalCrypto ? LoadOrCreateSm2(keysPath, signer) : null);
    }

    // log.vkey is what receipts carry and verifiers pin: a damaged copy must stop the node, not be served. A missing
    // one (a first start killed between writing log.key and log.vkey) is derived again from log.key.
    private static void CheckVerifierKeyFile(string keysPath, NoteSigner signer)
    {
        var path = Path.Combine(keysPath, VerifierKeyFile);
        var expected = signer.VerifierKey + "\n";
        if (!File.Exists(path))
        {
            var temp = path + ".tmp";
            File.WriteAllText(temp, expected);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, PublicMode);
            }

            File.Move(temp, path);
            Internal.Durable.SyncDirectory(keysPath);
        }
        else if (File.ReadAllText(path, Encoding.UTF8) != expected)
        {
            throw new DataFolderDamagedException(
                Path.GetDirectoryName(Path.GetFullPath(keysPath))!,
                "keys/" + VerifierKeyFile,
                new InvalidDataException($"it does not hold {PrivateKeyFile}'s verifier key {signer.VerifierKey}"));
        }
    }

    /// <summary>
    /// Loads the log key from <paramref name="keysPath"/>, or creates one named <paramref name="origin"/> (or a
    /// generated unique origin when null) if there is none.
    /// </summary>
    /// <exception cref="InvalidDataException">The key file is malformed, or its name differs from <paramref name="origin"/>.</exception>
    internal static NoteSigner LoadOrCreate(string keysPath, string? origin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keysPath);
        var privatePath = Path.Combine(keysPath, PrivateKeyFile);
        if (File.Exists(privatePath))
        {
            var signer = Load(privatePath);
            if (signer.Type != NoteKeyType.Ed25519)
            {
                throw new InvalidDataException($"{privatePath} holds a {signer.Type} key; the log key is Ed25519.");
            }

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

    /// <summary>
    /// Loads the log's SM2 key from <paramref name="keysPath"/>, or creates one named like <paramref name="logSigner"/>
    /// if there is neither a private nor a verifier key file. Public files that are missing (<see cref="Sm2VerifierKeyFile"/>,
    /// <see cref="Sm2PublicKeyPemFile"/>) are written again from the private key; ones that are there must match it.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The key file is malformed, not an SM2 key, or named differently from the log key; a public file does not match
    /// it; or the private key is missing while its verifier key is there.
    /// </exception>
    internal static NoteSigner LoadOrCreateSm2(string keysPath, NoteSigner logSigner)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keysPath);
        ArgumentNullException.ThrowIfNull(logSigner);
        var privatePath = Path.Combine(keysPath, Sm2PrivateKeyFile);
        NoteSigner signer;
        if (File.Exists(privatePath))
        {
            signer = Load(privatePath);
            if (signer.Type != NoteKeyType.Sm2 || signer.Name != logSigner.Name)
            {
                throw new InvalidDataException(
                    $"{privatePath} holds {signer}, a {signer.Type} key; expected an SM2 key named \"{logSigner.Name}\", like the log key.");
            }
        }
        else if (File.Exists(Path.Combine(keysPath, Sm2VerifierKeyFile)))
        {
            // Verifiers may have pinned the published key: a new one would silently stop matching it.
            throw new InvalidDataException(
                $"The log's SM2 key {privatePath} is missing but {Sm2VerifierKeyFile} is there; restore the key from a backup, or delete {Sm2VerifierKeyFile} and {Sm2PublicKeyPemFile} to make a new SM2 key.");
        }
        else
        {
            signer = CreateSm2(logSigner);
            CreateKeysFolder(keysPath);
            SecretFile.Write(privatePath, signer.ToPrivateKeyString() + "\n");
        }

        WriteOrCheck(Path.Combine(keysPath, Sm2VerifierKeyFile), signer.VerifierKey + "\n");
        WriteOrCheck(Path.Combine(keysPath, Sm2PublicKeyPemFile), signer.VerifierKey.ExportSubjectPublicKeyInfoPem());
        return signer;
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
        CreateKeysFolder(keysPath);
        SecretFile.Write(Path.Combine(keysPath, PrivateKeyFile), signer.ToPrivateKeyString() + "\n");
        WriteNew(Path.Combine(keysPath, VerifierKeyFile), signer.VerifierKey.ToString() + "\n", PublicMode);
    }

    /// <summary>A fresh random SM2 key named like the log key, with a key ID of its own (both lines share the name).</summary>
    private static NoteSigner CreateSm2(NoteSigner logSigner)
    {
        var d = new byte[NoteSigner.Sm2PrivateKeySize];
        try
        {
            while (true)
            {
                // About 1 in 2^32 draws is out of range (d > n - 2), and 1 in 2^32 keys collides with the log key's ID.
                RandomNumberGenerator.Fill(d);
                try
                {
                    var signer = NoteSigner.FromSm2PrivateKey(logSigner.Name, d);
                    if (signer.KeyId != logSigner.KeyId)
                    {
                        return signer;
                    }
                }
                catch (ArgumentException)
                {
                    // Out of range: draw again.
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(d);
        }
    }

    /// <summary>Writes a public file derived from a private key, or checks that the one there says the same.</summary>
    private static void WriteOrCheck(string path, string text)
    {
        if (!File.Exists(path))
        {
            WriteNew(path, text, PublicMode);
        }
        else if (File.ReadAllText(path, Encoding.UTF8) != text)
        {
            throw new InvalidDataException($"{path} does not hold the public key of {Path.GetFileName(path)}'s private key; delete it to have it written again.");
        }
    }

    internal static void CreateKeysFolder(string keysPath)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(keysPath);
        }
        else
        {
            Directory.CreateDirectory(keysPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
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
