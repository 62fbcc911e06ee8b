using System.Security.Cryptography;
using EvidenceChain.Core.Internal;
using EvidenceChain.Core.Notes.Internal;

namespace EvidenceChain.Core.Notes;

/// <summary>
/// The private key of an Ed25519 cosigner (a witness), c2sp.org/tlog-cosignature: a name and a 32-byte seed. Its
/// text form is <c>PRIVATE+KEY+name+hex8+base64(0x04 || 32-byte seed)</c>, with the cosigner key ID (type 0x04), the
/// form Go's <c>github.com/transparency-dev/formats/note</c> also reads. See docs/formats.md §6b.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Core never draws randomness: to make a new key, pass 32 bytes from
/// <see cref="RandomNumberGenerator"/> to <see cref="FromSeed(string, ReadOnlySpan{byte})"/>. Keep a cosigner key for
/// cosigning only; the spec requires a distinct key per cosigner, and its type byte keeps its key ID apart from the
/// same seed used as a checkpoint key. <see cref="ToString()"/> names the key but never prints the secret.
/// </remarks>
public sealed class WitnessSigner
{
    /// <summary>The length of the Ed25519 seed, in bytes.</summary>
    public const int SeedSize = Ed25519Kernel.SeedSize;

    private const string PrivateKeyPrefix = "PRIVATE+KEY+";

    private readonly byte[] _seed;
    private readonly byte[] _publicKey;

    private WitnessSigner(string name, byte[] seed)
    {
        _seed = seed;
        _publicKey = new byte[WitnessKey.PublicKeySize];
        Ed25519Kernel.DerivePublicKey(seed, _publicKey);
        Key = WitnessKey.FromPublicKey(name, _publicKey);
    }

    /// <summary>The public key, to hand to logs and verifiers (its <see cref="WitnessKey.ToString"/> is the vkey).</summary>
    public WitnessKey Key { get; }

    /// <summary>The cosigner's name.</summary>
    public string Name => Key.Name;

    /// <summary>The key ID, as in <see cref="WitnessKey.KeyId"/>.</summary>
    public uint KeyId => Key.KeyId;

    /// <summary>Creates a cosigner from a 32-byte Ed25519 seed (RFC 8032 private key).</summary>
    /// <exception cref="ArgumentException">The name is not a valid key name, or the seed is not 32 bytes.</exception>
    public static WitnessSigner FromSeed(string name, ReadOnlySpan<byte> seed)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!NoteSyntax.IsValidName(name, out var error))
        {
            throw new ArgumentException($"Invalid key name {NoteSyntax.Quote(name)}: {error}.", nameof(name));
        }

        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"An Ed25519 seed is {SeedSize} bytes; got {seed.Length}.", nameof(seed));
        }

        return new WitnessSigner(name, seed.ToArray());
    }

    /// <summary>Parses a cosigner private key <c>PRIVATE+KEY+name+hex8+base64(0x04 || 32-byte seed)</c>.</summary>
    /// <remarks>The key ID must equal the cosigner key ID computed from the name and the public key of the seed.</remarks>
    /// <exception cref="FormatException">The text is not a valid cosigner private key; the message says why but never echoes the secret.</exception>
    public static WitnessSigner Parse(string privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (!privateKey.StartsWith(PrivateKeyPrefix, StringComparison.Ordinal))
        {
            throw Invalid($"expected it to start with \"{PrivateKeyPrefix}\"");
        }

        var rest = privateKey.AsSpan(PrivateKeyPrefix.Length);
        var first = rest.IndexOf('+');
        var second = first < 0 ? -1 : rest[(first + 1)..].IndexOf('+');
        if (second < 0)
        {
            throw Invalid("expected PRIVATE+KEY+name+hex8+base64");
        }

        second += first + 1;
        var name = rest[..first].ToString();
        if (!WitnessKey.TryDecode(name, rest[(first + 1)..second], rest[(second + 1)..], "seed", out var claimed, out var seed, out var error))
        {
            throw Invalid(error);
        }

        var signer = new WitnessSigner(name, seed);
        if (claimed != signer.KeyId)
        {
            throw Invalid(
                $"key ID {NoteSyntax.FormatKeyId(claimed)} does not match the name and key (computed {NoteSyntax.FormatKeyId(signer.KeyId)})");
        }

        return signer;
    }

    /// <summary>The private key string <c>PRIVATE+KEY+name+hex8+base64(0x04 || seed)</c>. Keep it secret.</summary>
    public string ToPrivateKeyString()
    {
        Span<byte> encoded = stackalloc byte[1 + SeedSize];
        encoded[0] = WitnessKey.SignatureType;
        _seed.CopyTo(encoded[1..]);
        var text = $"{PrivateKeyPrefix}{Name}+{NoteSyntax.FormatKeyId(KeyId)}+{Convert.ToBase64String(encoded)}";
        CryptographicOperations.ZeroMemory(encoded);
        return text;
    }

    /// <summary>Names the key (<c>name+hex8</c>) without revealing it.</summary>
    public override string ToString() => $"WitnessSigner {Name}+{NoteSyntax.FormatKeyId(KeyId)}";

    /// <summary>The 64-byte Ed25519 signature of <paramref name="message"/>.</summary>
    internal void SignBytes(ReadOnlySpan<byte> message, Span<byte> signature) =>
        Ed25519Kernel.Sign(_seed, _publicKey, message, signature);

    private static FormatException Invalid(string reason) => new($"Not a witness (cosigner) private key: {reason}.");
}
