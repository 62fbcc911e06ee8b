using System.Security.Cryptography;

namespace EvidenceChain.Core.Digests;

/// <summary>
/// Hashes an artefact as it streams past, with SHA-256 and, when asked, SM3 (GB/T 32905), so content is hashed
/// once, when it is made, and never buffered whole.
/// </summary>
/// <remarks>Not thread-safe. Dispose when done.</remarks>
public sealed class ArtefactHasher : IDisposable
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Sm3Hasher? _sm3;

    /// <summary>Starts hashing an artefact.</summary>
    /// <param name="withSm3">Also compute SM3 (the national-crypto profile).</param>
    public ArtefactHasher(bool withSm3)
    {
        _sm3 = withSm3 ? new Sm3Hasher() : null;
    }

    /// <summary>Bytes hashed so far.</summary>
    public long Length { get; private set; }

    /// <summary>Hashes the next bytes of the artefact.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        _sha256.AppendData(data);
        _sm3?.Append(data);
        Length = checked(Length + data.Length);
    }

    /// <summary>Finishes hashing and returns the digests; the hasher cannot be used afterwards.</summary>
    public ArtefactDigests Finish()
    {
        Span<byte> digest = stackalloc byte[Hash.Size];
        _sha256.GetHashAndReset(digest);
        var sha256 = new Hash(digest);
        Hash? sm3 = null;
        if (_sm3 is not null)
        {
            _sm3.Finish(digest);
            sm3 = new Hash(digest);
        }

        return new ArtefactDigests(Length, sha256, sm3);
    }

    /// <summary>Hashes a whole span at once.</summary>
    public static ArtefactDigests Compute(ReadOnlySpan<byte> data, bool withSm3)
    {
        using var hasher = new ArtefactHasher(withSm3);
        hasher.Append(data);
        return hasher.Finish();
    }

    /// <summary>SM3 of a span (GB/T 32905-2016).</summary>
    public static Hash Sm3(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Hash.Size];
        Sm3Hasher.Hash(data, digest);
        return new Hash(digest);
    }

    /// <inheritdoc/>
    public void Dispose() => _sha256.Dispose();
}
