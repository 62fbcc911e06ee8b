using System.Diagnostics.CodeAnalysis;
using EvidenceChain.Core.Internal;
using EvidenceChain.Core.Notes.Internal;

namespace EvidenceChain.Core.Notes;

/// <summary>
/// A signed-note public key (c2sp.org/signed-note@v1.0.0): a key name, the 32-bit key ID, the signature type and the
/// public key. Its text form is the verifier key <c>name+hex8+base64(type bytes || public key)</c>: for Ed25519
/// <c>name+hex8+base64(0x01 || 32-byte key)</c>, for SM2 (the national crypto profile, docs/formats.md §6a)
/// <c>name+hex8+base64(0xff || "evidencechain/sm2-sm3/v1" || 0x04 || X || Y)</c>.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Every instance is consistent: the name is valid, the key is a valid key of its type
/// and the key ID is the one the spec recommends, SHA-256(name || 0x0A || type bytes || public key)[:4]. Equal when
/// type, name, key ID and key are equal.
/// </remarks>
public sealed class NoteVerifier : IEquatable<NoteVerifier>
{
    /// <summary>The length of an Ed25519 public key, in bytes.</summary>
    public const int PublicKeySize = Ed25519Kernel.PublicKeySize;

    /// <summary>The length of an Ed25519 signature, in bytes (without the 4-byte key ID of a signature line).</summary>
    public const int SignatureSize = Ed25519Kernel.SignatureSize;

    /// <summary>The length of an SM2 public key, an uncompressed SEC 1 point 0x04 || X || Y, in bytes.</summary>
    public const int Sm2PublicKeySize = Sm2Kernel.PublicKeySize;

    /// <summary>The longest DER-encoded SM2 signature, in bytes (without the 4-byte key ID of a signature line).</summary>
    public const int Sm2MaxSignatureSize = Sm2Kernel.MaxSignatureSize;

    private readonly byte[] _publicKey;

    private NoteVerifier(NoteKeyType type, string name, uint keyId, byte[] publicKey)
    {
        Type = type;
        Name = name;
        KeyId = keyId;
        _publicKey = publicKey;
    }

    /// <summary>The signature algorithm of the key.</summary>
    public NoteKeyType Type { get; }

    /// <summary>The key name, for example a schema-less log URL such as <c>example.com/log</c>.</summary>
    public string Name { get; }

    /// <summary>The key ID: the first four bytes, big-endian, of SHA-256(name || 0x0A || type bytes || public key).</summary>
    public uint KeyId { get; }

    /// <summary>
    /// The public key without its type bytes: 32 bytes (RFC 8032 encoding) for Ed25519, 65 bytes
    /// (0x04 || X || Y) for SM2.
    /// </summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>Creates the verifier for an Ed25519 public key under <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not a valid key name, or the key is not 32 bytes.</exception>
    public static NoteVerifier FromPublicKey(string name, ReadOnlySpan<byte> publicKey)
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

        return new NoteVerifier(NoteKeyType.Ed25519, name, NoteSyntax.ComputeKeyId(name, NoteKeyType.Ed25519, publicKey), publicKey.ToArray());
    }

    /// <summary>
    /// Creates the verifier for an SM2 public key (an uncompressed SEC 1 point 0x04 || X || Y on sm2p256v1) under
    /// <paramref name="name"/>. A log's SM2 key has the log's origin as its name, like its Ed25519 key.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid key name, or the key is not an uncompressed point on the curve.</exception>
    public static NoteVerifier FromSm2PublicKey(string name, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!NoteSyntax.IsValidName(name, out var error))
        {
            throw new ArgumentException($"Invalid key name {NoteSyntax.Quote(name)}: {error}.", nameof(name));
        }

        if (!Sm2Kernel.IsValidPublicKey(publicKey))
        {
            throw new ArgumentException(
                $"An SM2 public key is {Sm2PublicKeySize} bytes, 0x04 || X || Y, on the curve; got {publicKey.Length} bytes that are not.",
                nameof(publicKey));
        }

        return new NoteVerifier(NoteKeyType.Sm2, name, NoteSyntax.ComputeKeyId(name, NoteKeyType.Sm2, publicKey), publicKey.ToArray());
    }

    /// <summary>
    /// Parses a verifier key: Ed25519 <c>name+hex8+base64(0x01 || 32-byte public key)</c> or SM2
    /// <c>name+hex8+base64(0xff || "evidencechain/sm2-sm3/v1" || 65-byte public key)</c>.
    /// </summary>
    /// <remarks>
    /// The hex digits may be either case but must be exactly eight and must equal the key ID computed from the
    /// name and key. The base64 must be canonical standard base64 of the type bytes and a key of the right length;
    /// an SM2 key must be a point on the curve.
    /// </remarks>
    /// <exception cref="FormatException">The text is not a valid verifier key; the message says why.</exception>
    public static NoteVerifier Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var verifier, out var error)
            ? verifier
            : throw new FormatException($"Not a signed-note verifier key: {error}.");
    }

    /// <summary>Parses a verifier key as <see cref="Parse(string)"/> does, or returns false.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out NoteVerifier? verifier) =>
        TryParse(text, out verifier, out _);

    /// <summary>Parses a verifier key as <see cref="Parse(string)"/> does, or returns false and the reason.</summary>
    public static bool TryParse(
        [NotNullWhen(true)] string? text, [NotNullWhen(true)] out NoteVerifier? verifier, out string error)
    {
        verifier = null;
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
        var hex8 = text.AsSpan(first + 1, second - first - 1);
        if (!TryDecodeKey(name, hex8, text.AsSpan(second + 1), secret: false, out var claimed, out var type, out var key, out error))
        {
            return false;
        }

        if (type == NoteKeyType.Sm2 && !Sm2Kernel.IsValidPublicKey(key))
        {
            error = "the SM2 public key is not an uncompressed point (0x04 || X || Y) on the curve";
            return false;
        }

        var keyId = NoteSyntax.ComputeKeyId(name, type, key);
        if (claimed != keyId)
        {
            error = $"key ID {NoteSyntax.FormatKeyId(claimed)} does not match the name and key (computed {NoteSyntax.FormatKeyId(keyId)})";
            return false;
        }

        verifier = new NoteVerifier(type, name, keyId, key);
        return true;
    }

    /// <summary>
    /// Checks a signature (without the key ID) over <paramref name="text"/>: for Ed25519 exactly
    /// <see cref="SignatureSize"/> bytes, for SM2 a strict DER <c>SEQUENCE { r, s }</c> of SM2 with SM3 and user ID
    /// <c>1234567812345678</c>. Returns false for a malformed or wrong signature; never throws.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature) =>
        Type == NoteKeyType.Sm2
            ? Sm2Kernel.Verify(_publicKey, text, signature)
            : Ed25519Kernel.Verify(_publicKey, text, signature);

    /// <summary>
    /// The public key as a DER X.509 SubjectPublicKeyInfo (RFC 5280): for SM2, id-ecPublicKey on the named curve
    /// 1.2.156.10197.1.301; for Ed25519, id-Ed25519 (RFC 8410).
    /// </summary>
    public byte[] ExportSubjectPublicKeyInfo() => PublicKeyInfo.Encode(Type, _publicKey);

    /// <summary>
    /// <see cref="ExportSubjectPublicKeyInfo"/> as PEM (<c>-----BEGIN PUBLIC KEY-----</c>, ending in a newline), which
    /// <c>openssl pkeyutl -verify -pubin -inkey</c> reads directly.
    /// </summary>
    public string ExportSubjectPublicKeyInfoPem() => PublicKeyInfo.EncodePem(Type, _publicKey);

    /// <summary>The canonical verifier key: <c>name+hex8+base64(type bytes || public key)</c>, with lowercase hex.</summary>
    public override string ToString() =>
        $"{Name}+{NoteSyntax.FormatKeyId(KeyId)}+{Convert.ToBase64String([.. NoteSyntax.TypeBytes(Type), .. _publicKey])}";

    /// <inheritdoc/>
    public bool Equals(NoteVerifier? other) =>
        other is not null
        && Type == other.Type
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && KeyId == other.KeyId
        && _publicKey.AsSpan().SequenceEqual(other._publicKey);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as NoteVerifier);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), KeyId);

    /// <summary>
    /// Checks the shared <c>name+hex8+base64(type bytes || key)</c> shape of verifier and signer keys and returns the
    /// key ID written in the text, the key type and the key bytes after the type bytes, of the length the type needs
    /// (<paramref name="secret"/> for a private key). The caller checks the key itself and the key ID, since only it
    /// knows the public key.
    /// </summary>
    internal static bool TryDecodeKey(
        string name,
        ReadOnlySpan<char> hex8,
        ReadOnlySpan<char> base64,
        bool secret,
        out uint claimedKeyId,
        out NoteKeyType type,
        out byte[] key,
        out string error)
    {
        key = [];
        type = NoteKeyType.Ed25519;
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

        int keySize;
        string what;
        if (encoded.Length > 0 && encoded[0] == NoteSyntax.Ed25519Type)
        {
            (type, keySize, what) = (NoteKeyType.Ed25519, Ed25519Kernel.PublicKeySize, "an Ed25519 key");
        }
        else if (encoded.AsSpan().StartsWith(NoteSyntax.Sm2Type))
        {
            (type, keySize, what) = secret
                ? (NoteKeyType.Sm2, Sm2Kernel.PrivateKeySize, "an SM2 private key")
                : (NoteKeyType.Sm2, Sm2Kernel.PublicKeySize, "an SM2 public key");
        }
        else
        {
            error = encoded.Length == 0
                ? "key data is empty"
                : $"key type 0x{encoded[0]:x2} is not supported (Ed25519 0x01, or SM2 0xff \"evidencechain/sm2-sm3/v1\")";
            return false;
        }

        var typeLength = NoteSyntax.TypeBytes(type).Length;
        if (encoded.Length != typeLength + keySize)
        {
            error = $"{what} is {keySize} bytes after the type bytes; got {encoded.Length - typeLength}";
            return false;
        }

        key = encoded[typeLength..];
        error = string.Empty;
        return true;
    }
}
