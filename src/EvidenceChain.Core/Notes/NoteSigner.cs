using System.Security.Cryptography;
using EvidenceChain.Internal;
using EvidenceChain.Notes.Internal;

namespace EvidenceChain.Notes;

/// <summary>
/// A signed-note private key (c2sp.org/signed-note@v1.0.0, Ed25519): a key name and a 32-byte Ed25519 seed.
/// Its text form is <c>PRIVATE+KEY+name+hex8+base64(0x01 || seed)</c>, the format of Go's
/// <c>golang.org/x/mod/sumdb/note</c>.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Core never draws randomness: to make a new key, pass 32 bytes from
/// <see cref="RandomNumberGenerator"/> to <see cref="FromSeed(string, ReadOnlySpan{byte})"/>.
/// <see cref="ToString()"/> names the key but never prints the secret; use <see cref="ToPrivateKeyString()"/>.
/// </remarks>
public sealed class NoteSigner
{
    /// <summary>The length of an Ed25519 private key seed, in bytes.</summary>
    public const int SeedSize = Ed25519Kernel.SeedSize;

    private const string PrivateKeyPrefix = "PRIVATE+KEY+";

    private readonly byte[] _seed;
    private readonly byte[] _publicKey;

    private NoteSigner(string name, byte[] seed)
    {
        _seed = seed;
        _publicKey = new byte[NoteVerifier.PublicKeySize];
        Ed25519Kernel.DerivePublicKey(seed, _publicKey);
        VerifierKey = NoteVerifier.FromPublicKey(name, _publicKey);
    }

    /// <summary>The key name; a log's checkpoints should use it as their origin.</summary>
    public string Name => VerifierKey.Name;

    /// <summary>The key ID, as in <see cref="NoteVerifier.KeyId"/>.</summary>
    public uint KeyId => VerifierKey.KeyId;

    /// <summary>The matching public key, to hand to verifiers.</summary>
    public NoteVerifier VerifierKey { get; }

    /// <summary>Creates a signer from a 32-byte Ed25519 seed (RFC 8032 private key).</summary>
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

        return new NoteSigner(name, seed.ToArray());
    }

    /// <summary>Parses a private key <c>PRIVATE+KEY+name+hex8+base64(0x01 || 32-byte seed)</c>.</summary>
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
        if (!NoteVerifier.TryDecodeKey(name, hex8, rest[(second + 1)..], SeedSize, out var claimed, out var seed, out var error))
        {
            throw Invalid(error);
        }

        var signer = new NoteSigner(name, seed);
        if (claimed != signer.KeyId)
        {
            throw Invalid(
                $"key ID {NoteSyntax.FormatKeyId(claimed)} does not match the name and key (computed {NoteSyntax.FormatKeyId(signer.KeyId)})");
        }

        return signer;
    }

    /// <summary>The private key string <c>PRIVATE+KEY+name+hex8+base64(0x01 || seed)</c>. Keep it secret.</summary>
    public string ToPrivateKeyString()
    {
        Span<byte> encoded = stackalloc byte[1 + SeedSize];
        encoded[0] = NoteSyntax.Ed25519Type;
        _seed.CopyTo(encoded[1..]);
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

    /// <summary>Writes the 64-byte Ed25519 signature of <paramref name="message"/> into <paramref name="signature"/>.</summary>
    internal void SignBytes(ReadOnlySpan<byte> message, Span<byte> signature) =>
        Ed25519Kernel.Sign(_seed, _publicKey, message, signature);

    private static FormatException Invalid(string reason) => new($"Not a signed-note private key: {reason}.");
}
