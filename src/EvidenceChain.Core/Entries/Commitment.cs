using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core.Digests;

namespace EvidenceChain.Core.Entries;

/// <summary>
/// A salted hash commitment to one descriptive field of an entry (docs/formats.md §1.5): the leaf holds
/// <c>H(tag || 0x00 || field || 0x00 || salt || value)</c> instead of the value, so the public log fixes the value
/// without showing it, and whoever is given the value and its 32-byte salt (an <see cref="Opening"/>) can check it.
/// Immutable; <c>default</c> is a SHA-256 commitment to nothing (the zero hash), which no opening matches.
/// </summary>
/// <param name="Algorithm">The hash used.</param>
/// <param name="Value">The commitment hash.</param>
public readonly record struct Commitment(CommitmentAlgorithm Algorithm, Hash Value)
{
    /// <summary>The domain-separation tag that starts every committed message: ASCII, no terminator of its own.</summary>
    public const string Tag = "evidencechain/commit/v1";

    /// <summary>The salt's length in bytes.</summary>
    public const int SaltSize = 32;

    /// <summary>The leaf member that names the algorithm: <c>commit-sha256</c> or <c>commit-sm3</c>.</summary>
    public string MemberName => MemberNameOf(Algorithm);

    /// <summary>The leaf member name of <paramref name="algorithm"/>.</summary>
    public static string MemberNameOf(CommitmentAlgorithm algorithm) => algorithm switch
    {
        CommitmentAlgorithm.Sha256 => "commit-sha256",
        CommitmentAlgorithm.Sm3 => "commit-sm3",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown commitment algorithm."),
    };

    /// <summary>Parses a leaf member name; false for any other name.</summary>
    public static bool TryParseMemberName(string? name, out CommitmentAlgorithm algorithm)
    {
        (var ok, algorithm) = name switch
        {
            "commit-sha256" => (true, CommitmentAlgorithm.Sha256),
            "commit-sm3" => (true, CommitmentAlgorithm.Sm3),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>
    /// Commits to <paramref name="value"/> of field <paramref name="field"/> with <paramref name="salt"/> (32 random
    /// bytes that the caller drew; Core makes no randomness).
    /// </summary>
    /// <exception cref="ArgumentException">The field is empty or holds U+0000, or a text is not valid Unicode.</exception>
    public static Commitment Compute(CommitmentAlgorithm algorithm, string field, string value, Hash salt)
    {
        var message = Message(field, value, salt);
        var hash = algorithm switch
        {
            CommitmentAlgorithm.Sha256 => new Hash(SHA256.HashData(message)),
            CommitmentAlgorithm.Sm3 => ArtefactHasher.Sm3(message),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown commitment algorithm."),
        };
        return new Commitment(algorithm, hash);
    }

    /// <summary>True when <paramref name="opening"/> opens this commitment (same field name, value and salt).</summary>
    public bool IsOpenedBy(Opening opening)
    {
        ArgumentNullException.ThrowIfNull(opening);
        Commitment computed;
        try
        {
            computed = Compute(Algorithm, opening.Field, opening.Value, opening.Salt);
        }
        catch (ArgumentException)
        {
            return false;
        }

        return computed.Value == Value;
    }

    /// <summary>The leaf form, e.g. <c>{"commit-sha256":"…"}</c>, for messages.</summary>
    public override string ToString() => $"{MemberName}:{Value}";

    /// <summary>The committed message: tag, 0x00, field (UTF-8), 0x00, salt (32 bytes), value (UTF-8).</summary>
    internal static byte[] Message(string field, string value, Hash salt)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentNullException.ThrowIfNull(value);
        if (field.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A committed field's name must not contain U+0000.", nameof(field));
        }

        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        int tagBytes = Tag.Length, fieldBytes, valueBytes;
        try
        {
            fieldBytes = strict.GetByteCount(field);
            valueBytes = strict.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("A committed field's name or value is not valid Unicode (it has an unpaired surrogate).", nameof(value), e);
        }

        var message = new byte[tagBytes + 1 + fieldBytes + 1 + SaltSize + valueBytes];
        var span = message.AsSpan();
        Encoding.ASCII.GetBytes(Tag, span);
        span[tagBytes] = 0;
        strict.GetBytes(field, span[(tagBytes + 1)..]);
        span[tagBytes + 1 + fieldBytes] = 0;
        salt.CopyTo(span.Slice(tagBytes + 2 + fieldBytes, SaltSize));
        strict.GetBytes(value, span[(tagBytes + 2 + fieldBytes + SaltSize)..]);
        return message;
    }
}
