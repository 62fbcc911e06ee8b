using System.Diagnostics.CodeAnalysis;
using EvidenceChain.Core.Internal;
using EvidenceChain.Core.Notes.Internal;

namespace EvidenceChain.Core.Notes;

/// <summary>
/// The public key of an Ed25519 cosigner (a witness) per c2sp.org/tlog-cosignature: a name, a 32-byte Ed25519 public
/// key and the key ID SHA-256(name || 0x0A || 0x04 || public key)[:4]. Its text form is the vkey
/// <c>name+hex8+base64(0x04 || public key)</c>. See docs/formats.md §6b.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Every instance is consistent: the name is a valid key name, the key is 32 bytes and the
/// key ID is the one computed from both. Equal when name and key are equal. A cosigner key is not a checkpoint key:
/// its type byte 0x04 gives it another key ID than the same public key under type 0x01, so a cosignature line is
/// never mistaken for a log signature and the other way round.
/// </remarks>
public sealed class WitnessKey : IEquatable<WitnessKey>
{
    /// <summary>The signature type byte of an Ed25519 cosignature/v1 key, in the vkey data and the key ID input.</summary>
    public const byte SignatureType = NoteSyntax.CosignatureV1Type;

    /// <summary>The length of the public key, in bytes.</summary>
    public const int PublicKeySize = Ed25519Kernel.PublicKeySize;

    private readonly byte[] _publicKey;

    private WitnessKey(string name, byte[] publicKey)
    {
        Name = name;
        _publicKey = publicKey;
        KeyId = NoteSyntax.ComputeKeyId(name, [SignatureType], publicKey);
    }

    /// <summary>The cosigner's name, for example a schema-less URL such as <c>witness.example.com/w1</c>.</summary>
    public string Name { get; }

    /// <summary>The key ID: the first four bytes, big-endian, of SHA-256(name || 0x0A || 0x04 || public key).</summary>
    public uint KeyId { get; }

    /// <summary>The 32-byte Ed25519 public key (RFC 8032 encoding), without the type byte.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>Creates the key for an Ed25519 public key under <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not a valid key name, or the key is not 32 bytes.</exception>
    public static WitnessKey FromPublicKey(string name, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!NoteSyntax.IsValidName(name, out var error))
        {
            throw new ArgumentException($"Invalid key name {NoteSyntax.Quote(name)}: {error}.", nameof(name));
        }

        if (publicKey.Length != PublicKeySize)
        {
            throw new ArgumentException(
                $"An Ed25519 public key is {PublicKeySize} bytes; got {publicKey.Length}.", nameof(publicKey));
        }

        return new WitnessKey(name, publicKey.ToArray());
    }

    /// <summary>Parses a cosigner vkey <c>name+hex8+base64(0x04 || 32-byte public key)</c>.</summary>
    /// <remarks>
    /// The hex digits may be either case but must be exactly eight and equal the key ID computed from the name and
    /// key. The base64 must be canonical standard base64. A checkpoint key (type 0x01) is refused with a message
    /// that says so.
    /// </remarks>
    /// <exception cref="FormatException">The text is not a valid cosigner vkey; the message says why.</exception>
    public static WitnessKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var key, out var error)
            ? key
            : throw new FormatException($"Not a witness (cosigner) verifier key: {error}.");
    }

    /// <summary>Parses a cosigner vkey as <see cref="Parse(string)"/> does, or returns false.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out WitnessKey? key) =>
        TryParse(text, out key, out _);

    /// <summary>Parses a cosigner vkey as <see cref="Parse(string)"/> does, or returns false and the reason.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out WitnessKey? key, out string error)
    {
        key = null;
        if (text is null)
        {
            error = "no text";
            return false;
        }

        var first = text.IndexOf('+', StringComparison.Ordinal);
        var second = first < 0 ? -1 : text.IndexOf('+', first + 1);
        if (second < 0)
        {
            error = "expected name+hex8+base64";
            return false;
        }

        var name = text[..first];
        if (!TryDecode(name, text.AsSpan(first + 1, second - first - 1), text.AsSpan(second + 1), "public key", out var claimed, out var publicKey, out error))
        {
            return false;
        }

        var candidate = new WitnessKey(name, publicKey);
        if (claimed != candidate.KeyId)
        {
            error = $"key ID {NoteSyntax.FormatKeyId(claimed)} does not match the name and key (computed {NoteSyntax.FormatKeyId(candidate.KeyId)})";
            return false;
        }

        key = candidate;
        error = string.Empty;
        return true;
    }

    /// <summary>The canonical vkey <c>name+hex8+base64(0x04 || public key)</c>, with lowercase hex.</summary>
    public override string ToString() =>
        $"{Name}+{NoteSyntax.FormatKeyId(KeyId)}+{Convert.ToBase64String([SignatureType, .. _publicKey])}";

    /// <inheritdoc/>
    public bool Equals(WitnessKey? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && _publicKey.AsSpan().SequenceEqual(other._publicKey);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as WitnessKey);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), KeyId);

    /// <summary>Checks that an Ed25519 signature over <paramref name="message"/> verifies under this key; never throws.</summary>
    internal bool VerifyBytes(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        Ed25519Kernel.Verify(_publicKey, message, signature);

    /// <summary>
    /// Checks the shared <c>name+hex8+base64(0x04 || 32 bytes)</c> shape of cosigner vkeys and private keys; returns
    /// the key ID as written and the 32 bytes after the type byte. The caller checks the key ID.
    /// </summary>
    internal static bool TryDecode(
        string name, ReadOnlySpan<char> hex8, ReadOnlySpan<char> base64, string what, out uint claimedKeyId, out byte[] key, out string error)
    {
        key = [];
        claimedKeyId = 0;
        if (!NoteSyntax.IsValidName(name, out error))
        {
            return false;
        }

        if (!NoteSyntax.TryParseKeyId(hex8, out claimedKeyId))
        {
            error = $"key ID {NoteSyntax.Quote(hex8)} is not exactly eight hex digits";
            return false;
        }

        if (!NoteSyntax.TryDecodeBase64(base64, out var encoded))
        {
            error = "key data is not canonical standard base64";
            return false;
        }

        if (encoded.Length == 0 || encoded[0] != SignatureType)
        {
            error = encoded.Length == 0
                ? "key data is empty"
                : encoded[0] == NoteSyntax.Ed25519Type
                    ? "key type 0x01 is a checkpoint (log) key; a witness key has type 0x04 (c2sp.org/tlog-cosignature)"
                    : $"key type 0x{encoded[0]:x2} is not a witness key (Ed25519 cosignature/v1, type 0x04)";
            return false;
        }

        if (encoded.Length != 1 + PublicKeySize)
        {
            error = $"an Ed25519 {what} is {PublicKeySize} bytes after the type byte; got {encoded.Length - 1}";
            return false;
        }

        key = encoded[1..];
        error = string.Empty;
        return true;
    }
}
