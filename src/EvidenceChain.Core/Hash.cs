using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace EvidenceChain.Core;

/// <summary>
/// A 32-byte hash value (SHA-256 or SM3 output): leaf hashes, interior node hashes, roots and artefact digests.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. The bytes are held in four <see cref="ulong"/> fields so that equality is four
/// compares and a <c>Hash</c> can be viewed in place inside a span of hashes (<see cref="Size"/> bytes each,
/// no padding). The <c>default</c> value is the all-zero hash, which is the hash of nothing known; the ledger
/// uses it as the <c>prev</c> of entry 0. Format with <see cref="ToString()"/> (lowercase hex) and read back
/// with <see cref="Parse(string)"/> or <see cref="TryParse(string?, out Hash)"/>.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Pack = 8, Size = Size)]
public readonly struct Hash : IEquatable<Hash>, IComparable<Hash>
{
    /// <summary>The length of every hash, in bytes.</summary>
    public const int Size = 32;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    /// <summary>Creates a hash from exactly <see cref="Size"/> bytes.</summary>
    /// <exception cref="ArgumentException">The span is not 32 bytes long.</exception>
    public Hash(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A hash is {Size} bytes; got {bytes.Length}.", nameof(bytes));
        }

        _a = MemoryMarshal.Read<ulong>(bytes);
        _b = MemoryMarshal.Read<ulong>(bytes[8..]);
        _c = MemoryMarshal.Read<ulong>(bytes[16..]);
        _d = MemoryMarshal.Read<ulong>(bytes[24..]);
    }

    /// <summary>Creates a hash from exactly <see cref="Size"/> bytes, or returns false.</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out Hash hash)
    {
        if (bytes.Length != Size)
        {
            hash = default;
            return false;
        }

        hash = new Hash(bytes);
        return true;
    }

    /// <summary>Copies the 32 bytes into <paramref name="destination"/>, which must be at least 32 bytes.</summary>
    public void CopyTo(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size, nameof(destination));
        MemoryMarshal.Write(destination, in _a);
        MemoryMarshal.Write(destination[8..], in _b);
        MemoryMarshal.Write(destination[16..], in _c);
        MemoryMarshal.Write(destination[24..], in _d);
    }

    /// <summary>Returns a new array holding the 32 bytes.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>Views a span of hashes as their concatenated bytes, without copying.</summary>
    public static ReadOnlySpan<byte> AsBytes(ReadOnlySpan<Hash> hashes) => MemoryMarshal.AsBytes(hashes);

    /// <summary>Views concatenated 32-byte hashes as hashes, without copying. Requires a length multiple of 32.</summary>
    public static ReadOnlySpan<Hash> FromConcatenated(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % Size != 0)
        {
            throw new ArgumentException($"Length {bytes.Length} is not a multiple of {Size}.", nameof(bytes));
        }

        return MemoryMarshal.Cast<byte, Hash>(bytes);
    }

    /// <summary>Formats the hash as 64 lowercase hex digits.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Formats the hash as standard base64 (44 characters), as in checkpoints and signed notes.</summary>
    public string ToBase64()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>Parses 64 hex digits (either case).</summary>
    /// <exception cref="FormatException">The text is not 64 hex digits.</exception>
    public static Hash Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var hash)
            ? hash
            : throw new FormatException($"Expected a hash as 64 hex digits; got {Describe(text)}.");
    }

    /// <summary>Parses 64 hex digits (either case), or returns false.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Hash hash) => TryParse(text.AsSpan(), out hash);

    /// <summary>Parses 64 hex digits (either case), or returns false.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Hash hash)
    {
        hash = default;
        if (text.Length != Size * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(text, bytes, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != Size)
        {
            return false;
        }

        hash = new Hash(bytes);
        return true;
    }

    /// <summary>Parses standard base64 of exactly 32 bytes, or returns false.</summary>
    public static bool TryParseBase64(ReadOnlySpan<char> text, out Hash hash)
    {
        hash = default;
        Span<byte> bytes = stackalloc byte[Size + 3];
        if (!Convert.TryFromBase64Chars(text, bytes, out var written) || written != Size)
        {
            return false;
        }

        hash = new Hash(bytes[..Size]);
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(Hash other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Hash other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);

    /// <summary>Orders hashes by their bytes, lexicographically.</summary>
    public int CompareTo(Hash other)
    {
        Span<byte> mine = stackalloc byte[Size];
        Span<byte> theirs = stackalloc byte[Size];
        CopyTo(mine);
        other.CopyTo(theirs);
        return mine.SequenceCompareTo(theirs);
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(Hash left, Hash right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Hash left, Hash right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(Hash left, Hash right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(Hash left, Hash right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(Hash left, Hash right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(Hash left, Hash right) => left.CompareTo(right) >= 0;

    private static string Describe(string text) =>
        text.Length > 80 ? $"{text.Length} characters" : $"\"{text}\" ({text.Length} characters)";
}
