using System.Diagnostics.CodeAnalysis;
using EvidenceChain.Internal;
using EvidenceChain.Notes.Internal;

namespace EvidenceChain.Notes;

/// <summary>
/// A signed-note public key (c2sp.org/signed-note@v1.0.0, Ed25519): a key name, the 32-bit key ID and the
/// 32-byte Ed25519 public key. Its text form is the verifier key <c>name+hex8+base64(0x01 || public key)</c>.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Every instance is consistent: the name is valid and the key ID is the one the
/// spec computes, SHA-256(name || 0x0A || 0x01 || public key)[:4]. Equal when name, key ID and key are equal.
/// </remarks>
public sealed class NoteVerifier : IEquatable<NoteVerifier>
{
    /// <summary>The length of an Ed25519 public key, in bytes.</summary>
    public const int PublicKeySize = Ed25519Kernel.PublicKeySize;

    /// <summary>The length of an Ed25519 signature, in bytes (without the 4-byte key ID of a signature line).</summary>
    public const int SignatureSize = Ed25519Kernel.SignatureSize;

    private readonly byte[] _publicKey;

    private NoteVerifier(string name, uint keyId, byte[] publicKey)
    {
        Name = name;
        KeyId = keyId;
        _publicKey = publicKey;
    }

    /// <summary>The key name, for example a schema-less log URL such as <c>example.com/log</c>.</summary>
    public string Name { get; }

    /// <summary>The key ID: the first four bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || public key).</summary>
    public uint KeyId { get; }

    /// <summary>The 32-byte Ed25519 public key (RFC 8032 encoding).</summary>
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

        return new NoteVerifier(name, NoteSyntax.ComputeKeyId(name, publicKey), publicKey.ToArray());
    }

    /// <summary>Parses a verifier key <c>name+hex8+base64(0x01 || 32-byte public key)</c>.</summary>
    /// <remarks>
    /// The hex digits may be either case but must be exactly eight and must equal the key ID computed from the
    /// name and key. The base64 must be canonical standard base64 of exactly 33 bytes starting with 0x01.
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
        if (!TryDecodeKey(name, hex8, text.AsSpan(second + 1), PublicKeySize, out var claimed, out var key, out error))
        {
            return false;
        }

        var keyId = NoteSyntax.ComputeKeyId(name, key);
        if (claimed != keyId)
        {
            error = $"key ID {NoteSyntax.FormatKeyId(claimed)} does not match the name and key (computed {NoteSyntax.FormatKeyId(keyId)})";
            return false;
        }

        verifier = new NoteVerifier(name, keyId, key);
        return true;
    }

    /// <summary>
    /// Checks an Ed25519 signature (<see cref="SignatureSize"/> bytes, without the key ID) over
    /// <paramref name="text"/>. Returns false for a signature of the wrong length; never throws.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature) =>
        Ed25519Kernel.Verify(_publicKey, text, signature);

    /// <summary>The canonical verifier key: <c>name+hex8+base64(0x01 || public key)</c>, with lowercase hex.</summary>
    public override string ToString()
    {
        Span<byte> encoded = stackalloc byte[1 + PublicKeySize];
        encoded[0] = NoteSyntax.Ed25519Type;
        _publicKey.CopyTo(encoded[1..]);
        return $"{Name}+{NoteSyntax.FormatKeyId(KeyId)}+{Convert.ToBase64String(encoded)}";
    }

    /// <inheritdoc/>
    public bool Equals(NoteVerifier? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && KeyId == other.KeyId
        && _publicKey.AsSpan().SequenceEqual(other._publicKey);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as NoteVerifier);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), KeyId);

    /// <summary>
    /// Checks the shared <c>name+hex8+base64(0x01 || key)</c> shape of verifier and signer keys and returns the
    /// key ID written in the text and the key bytes after the type byte. The caller checks the key ID, since
    /// only it knows the public key.
    /// </summary>
    internal static bool TryDecodeKey(
        string name,
        ReadOnlySpan<char> hex8,
        ReadOnlySpan<char> base64,
        int keySize,
        out uint claimedKeyId,
        out byte[] key,
        out string error)
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

        if (encoded.Length == 0 || encoded[0] != NoteSyntax.Ed25519Type)
        {
            error = encoded.Length == 0
                ? "key data is empty"
                : $"key type 0x{encoded[0]:x2} is not Ed25519 (0x01)";
            return false;
        }

        if (encoded.Length != 1 + keySize)
        {
            error = $"an Ed25519 key is {keySize} bytes after the type byte; got {encoded.Length - 1}";
            return false;
        }

        key = encoded[1..];
        error = string.Empty;
        return true;
    }
}
