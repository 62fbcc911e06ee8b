using System.Security.Cryptography;
using EvidenceChain.Core.Internal;
using EvidenceChain.Core.Notes.Internal;

namespace EvidenceChain.Core.Notes;

/// <summary>
/// A signed-note private key (c2sp.org/signed-note@v1.0.0): a key name and an Ed25519 seed or an SM2 private key.
/// Its text form is <c>PRIVATE+KEY+name+hex8+base64(type bytes || secret)</c>: for Ed25519
/// <c>PRIVATE+KEY+name+hex8+base64(0x01 || 32-byte seed)</c>, the format of Go's <c>golang.org/x/mod/sumdb/note</c>;
/// for SM2 <c>PRIVATE+KEY+name+hex8+base64(0xff || "evidencechain/sm2-sm3/v1" || 32-byte d)</c>.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Core never draws randomness: to make a new key, pass 32 bytes from
/// <see cref="RandomNumberGenerator"/> to <see cref="FromSeed(string, ReadOnlySpan{byte})"/> or
/// <see cref="FromSm2PrivateKey(string, ReadOnlySpan{byte})"/>. Both algorithms sign deterministically (SM2 draws
/// its per-signature k as RFC 6979 does), so a key signs a text the same way every time.
/// <see cref="ToString()"/> names the key but never prints the secret; use <see cref="ToPrivateKeyString()"/>.
/// </remarks>
public sealed class NoteSigner
{
    /// <summary>The length of an Ed25519 private key seed, in bytes.</summary>
    public const int SeedSize = Ed25519Kernel.SeedSize;

    /// <summary>The length of an SM2 private key (the big-endian scalar d), in bytes.</summary>
    public const int Sm2PrivateKeySize = Sm2Kernel.PrivateKeySize;

    private const string PrivateKeyPrefix = "PRIVATE+KEY+";

    private readonly byte[] _seed;
    private readonly byte[] _publicKey;

    private NoteSigner(NoteKeyType type, string name, byte[] seed)
    {
        _seed = seed;
        if (type == NoteKeyType.Sm2)
        {
            _publicKey = new byte[NoteVerifier.Sm2PublicKeySize];
            Sm2Kernel.DerivePublicKey(seed, _publicKey);
            VerifierKey = NoteVerifier.FromSm2PublicKey(name, _publicKey);
        }
        else
        {
            _publicKey = new byte[NoteVerifier.PublicKeySize];
            Ed25519Kernel.DerivePublicKey(seed, _publicKey);
            VerifierKey = NoteVerifier.FromPublicKey(name, _publicKey);
        }
    }

    /// <summary>The signature algorithm of the key.</summary>
    public NoteKeyType Type => VerifierKey.Type;

    /// <summary>The key name; a log's checkpoints should use it as their origin.</summary>
    public string Name => VerifierKey.Name;

    /// <summary>The key ID, as in <see cref="NoteVerifier.KeyId"/>.</summary>
    public uint KeyId => VerifierKey.KeyId;

    /// <summary>The matching public key, to hand to verifiers.</summary>
    public NoteVerifier VerifierKey { get; }

    /// <summary>Creates an Ed25519 signer from a 32-byte seed (RFC 8032 private key).</summary>
    /// <exception cref="ArgumentException">The name is not a valid key name, or the seed is not 32 bytes.</exception>
    public static NoteSigner FromSeed(string name, ReadOnlySpan<byte> seed)
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

        return new NoteSigner(NoteKeyType.Ed25519, name, seed.ToArray());
    }

    /// <summary>
    /// Creates an SM2 signer (SM2 with SM3, GM/T 0003.2, user ID <c>1234567812345678</c>) from its private key d,
    /// 32 bytes big-endian with 1 &lt;= d &lt;= n - 2. To make a key, pass 32 random bytes; the rare value out of range
    /// (about 1 in 2^32) is refused, so draw again.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid key name, or the key is not 32 bytes in range.</exception>
    public static NoteSigner FromSm2PrivateKey(string name, ReadOnlySpan<byte> privateKey)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!NoteSyntax.IsValidName(name, out var error))
        {
            throw new ArgumentException($"Invalid key name {NoteSyntax.Quote(name)}: {error}.", nameof(name));
        }

        if (!Sm2Kernel.IsValidPrivateKey(privateKey))
        {
            throw new ArgumentException(
                $"An SM2 private key is {Sm2PrivateKeySize} bytes holding 1 <= d <= n - 2; got {privateKey.Length} bytes that do not.",
                nameof(privateKey));
        }

        return new NoteSigner(NoteKeyType.Sm2, name, privateKey.ToArray());
    }

    /// <summary>
    /// Parses a private key: Ed25519 <c>PRIVATE+KEY+name+hex8+base64(0x01 || 32-byte seed)</c> or SM2
    /// <c>PRIVATE+KEY+name+hex8+base64(0xff || "evidencechain/sm2-sm3/v1" || 32-byte d)</c>.
    /// </summary>
    /// <remarks>The key ID must equal the one computed from the name and the public key derived from the seed.</remarks>
    /// <exception cref="FormatException">The text is not a valid private key; the message says why but never echoes the secret.</exception>
    public static NoteSigner Parse(string privateKey)
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
        var hex8 = rest[(first + 1)..second];
        if (!NoteVerifier.TryDecodeKey(name, hex8, rest[(second + 1)..], secret: true, out var claimed, out var type, out var seed, out var error))
        {
            throw Invalid(error);
        }

        if (type == NoteKeyType.Sm2 && !Sm2Kernel.IsValidPrivateKey(seed))
        {
            throw Invalid("the SM2 private key is not in the range 1 <= d <= n - 2");
        }

        var signer = new NoteSigner(type, name, seed);
        if (claimed != signer.KeyId)
        {
            throw Invalid(
                $"key ID {NoteSyntax.FormatKeyId(claimed)} does not match the name and key (computed {NoteSyntax.FormatKeyId(signer.KeyId)})");
        }

        return signer;
    }

    /// <summary>The private key string <c>PRIVATE+KEY+name+hex8+base64(type bytes || secret)</c>. Keep it secret.</summary>
    public string ToPrivateKeyString()
    {
        var type = NoteSyntax.TypeBytes(Type);
        Span<byte> encoded = stackalloc byte[type.Length + _seed.Length];
        type.CopyTo(encoded);
        _seed.CopyTo(encoded[type.Length..]);
        var text = $"{PrivateKeyPrefix}{Name}+{NoteSyntax.FormatKeyId(KeyId)}+{Convert.ToBase64String(encoded)}";
        CryptographicOperations.ZeroMemory(encoded);
        return text;
    }

    /// <summary>
    /// Signs <paramref name="text"/> and returns the signed note: the text, a blank line and one signature line.
    /// Shorthand for <see cref="SignedNote.Sign(string, NoteSigner[])"/> with this signer.
    /// </summary>
    /// <exception cref="ArgumentException">The text breaks a note text rule (see <see cref="SignedNote.Sign(string, NoteSigner[])"/>).</exception>
    public string Sign(string text) => SignedNote.Sign(text, this);

    /// <summary>Names the key (<c>name+hex8</c>) without revealing it.</summary>
    public override string ToString() => $"NoteSigner {Name}+{NoteSyntax.FormatKeyId(KeyId)}";

    /// <summary>The signature of <paramref name="message"/>: 64 bytes for Ed25519, DER of at most 72 bytes for SM2.</summary>
    internal byte[] SignBytes(ReadOnlySpan<byte> message)
    {
        if (Type == NoteKeyType.Sm2)
        {
            return Sm2Kernel.Sign(_seed, _publicKey, message);
        }

        var signature = new byte[NoteVerifier.SignatureSize];
        Ed25519Kernel.Sign(_seed, _publicKey, message, signature);
        return signature;
    }

    private static FormatException Invalid(string reason) => new($"Not a signed-note private key: {reason}.");
}
