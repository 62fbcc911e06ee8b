using System.Buffers.Binary;
using System.Security.Cryptography;
using EvidenceChain.Core;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// The index of a sealed pack, <c>NNNNNNNN.idx</c>: each record's SHA-256, offset (i64) and length (u32), big-endian,
/// then the SHA-256 of all that. Opening reads it instead of the pack.
/// </summary>
internal static class PackIndex
{
    private const int RecordSize = Hash.Size + 8 + 4;

    /// <summary>Writes the index of pack <paramref name="number"/>: temporary file, fsync, rename, fsync of the folder.</summary>
    public static void Write(string folder, int number, List<(Hash Sha256, long Offset, int Length)> records)
    {
        var index = new byte[records.Count * RecordSize + Hash.Size];
        for (var i = 0; i < records.Count; i++)
        {
            var record = index.AsSpan(i * RecordSize, RecordSize);
            records[i].Sha256.CopyTo(record);
            BinaryPrimitives.WriteInt64BigEndian(record[Hash.Size..], records[i].Offset);
            BinaryPrimitives.WriteUInt32BigEndian(record[(Hash.Size + 8)..], (uint)records[i].Length);
        }

        SHA256.HashData(index.AsSpan(0, index.Length - Hash.Size), index.AsSpan(index.Length - Hash.Size));
        var path = PackFiles.IndexPath(folder, number);
        var temp = path + ".tmp";
        using (var file = OwnerOnly.Restrict(File.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None)))
        {
            RandomAccess.Write(file, index, 0);
            RandomAccess.FlushToDisk(file);
        }

        File.Move(temp, path, overwrite: true);
        Durable.SyncDirectory(folder);
    }

    /// <summary>
    /// The records of pack <paramref name="number"/> from its index, or null when the index is not whole or its
    /// records do not lie in order within the pack's <paramref name="packLength"/> bytes.
    /// </summary>
    public static List<(Hash Sha256, PackLocation Location)>? TryRead(string folder, int number, long packLength)
    {
        var index = File.ReadAllBytes(PackFiles.IndexPath(folder, number));
        var body = index.Length - Hash.Size;
        if (body < 0 || body % RecordSize != 0 || !SHA256.HashData(index.AsSpan(0, body)).AsSpan().SequenceEqual(index.AsSpan(body)))
        {
            return null;
        }

        var records = new List<(Hash, PackLocation)>(body / RecordSize);
        long end = 0;
        for (var at = 0; at < body; at += RecordSize)
        {
            var offset = BinaryPrimitives.ReadInt64BigEndian(index.AsSpan(at + Hash.Size));
            var length = BinaryPrimitives.ReadUInt32BigEndian(index.AsSpan(at + Hash.Size + 8));
            if (offset < end || length > PackRecord.MaxContentSize || offset + PackRecord.HeaderSize + length > packLength)
            {
                return null;
            }

            records.Add((new Hash(index.AsSpan(at, Hash.Size)), new PackLocation(number, offset + PackRecord.HeaderSize, (int)length)));
            end = offset + PackRecord.HeaderSize + length;
        }

        return end == packLength ? records : null;
    }
}
