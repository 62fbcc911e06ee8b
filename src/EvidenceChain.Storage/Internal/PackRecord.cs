using System.Buffers.Binary;
using System.Security.Cryptography;
using EvidenceChain.Core;
using Microsoft.Win32.SafeHandles;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// The record format of a pack: <c>"ECB1"</c>, the content's length (u32, big-endian), its SHA-256 (32 bytes), then the
/// content. A record is whole when its content hashes to the SHA-256 it names.
/// </summary>
internal static class PackRecord
{
    /// <summary>The bytes before the content.</summary>
    public const int HeaderSize = 40;

    /// <summary>The largest content a record holds.</summary>
    public const int MaxContentSize = 64 * 1024;

    private static readonly byte[] Magic = "ECB1"u8.ToArray();

    /// <summary>Writes the header of a record of <paramref name="length"/> bytes named <paramref name="sha256"/>.</summary>
    public static void WriteHeader(Span<byte> header, Hash sha256, int length)
    {
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)length);
        sha256.CopyTo(header[8..]);
    }

    /// <summary>
    /// Reads a whole pack and returns its records, and the stretches that are not a whole record (the scan skips to the
    /// next record it can read).
    /// </summary>
    public static (List<(Hash Sha256, PackLocation Location)> Records, List<(long From, long To)> Gaps) Scan(SafeFileHandle file, int number)
    {
        var length = RandomAccess.GetLength(file);
        if (length > int.MaxValue)
        {
            throw new InvalidDataException($"Pack {number} is {length} bytes, larger than any pack the node writes.");
        }

        var data = new byte[length];
        var filled = PackFiles.ReadAt(file, data, 0);

        var records = new List<(Hash, PackLocation)>();
        var gaps = new List<(long, long)>();
        var offset = 0;
        while (offset < filled)
        {
            if (TryRead(data.AsSpan(0, filled), offset, out var sha256, out var size))
            {
                records.Add((sha256, new PackLocation(number, offset + HeaderSize, size)));
                offset += HeaderSize + size;
                continue;
            }

            var next = offset + 1;
            while (next < filled)
            {
                var found = data.AsSpan(next, filled - next).IndexOf(Magic);
                if (found < 0)
                {
                    next = filled;
                    break;
                }

                next += found;
                if (TryRead(data.AsSpan(0, filled), next, out _, out _))
                {
                    break;
                }

                next++;
            }

            gaps.Add((offset, next));
            offset = next;
        }

        if (filled < length)
        {
            gaps.Add((filled, length));
        }

        return (records, gaps);
    }

    private static bool TryRead(ReadOnlySpan<byte> pack, int offset, out Hash sha256, out int size)
    {
        sha256 = default;
        size = 0;
        if (pack.Length - offset < HeaderSize || !pack.Slice(offset, 4).SequenceEqual(Magic))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(pack[(offset + 4)..]);
        if (length > MaxContentSize || pack.Length - offset - HeaderSize < length)
        {
            return false;
        }

        sha256 = new Hash(pack.Slice(offset + 8, Hash.Size));
        size = (int)length;
        Span<byte> actual = stackalloc byte[Hash.Size];
        SHA256.HashData(pack.Slice(offset + HeaderSize, size), actual);
        return new Hash(actual) == sha256;
    }
}
