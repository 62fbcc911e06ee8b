using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EvidenceChain.Api.V1;
using Google.Protobuf;
using Grpc.Core;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// Reads a <see cref="PreserveFileRequest"/> that carries only a chunk into a pooled array instead of the new array
/// protobuf gives every <c>bytes</c> field: an upload of a gigabyte otherwise allocates a gigabyte, which made the
/// node's memory grow with the gen-0 budget and spend CPU zeroing and collecting it. Every other message (metadata,
/// trailer, anything unusual) is parsed by protobuf as before. The service hands each chunk back with
/// <see cref="Return"/> once the intake has taken its bytes (the blob uploads copy what they are given).
/// </summary>
/// <remarks>
/// Thread-safe. Only arrays rented here go back to the pool: they are remembered in a weak table, so a chunk never
/// returned (an upload that failed midway) is simply collected.
/// </remarks>
internal static class PooledChunks
{
    /// <summary>Chunks smaller than this are not worth a pool round trip.</summary>
    private const int MinPooled = 4096;

    /// <summary>The tag of <c>bytes chunk = 2</c>: field 2, wire type 2 (length-delimited).</summary>
    private const byte ChunkTag = (2 << 3) | 2;

    private static readonly ConditionalWeakTable<byte[], object> Rented = [];
    private static readonly object Mark = new();

    /// <summary>
    /// The message in <paramref name="context"/>: a lone chunk in a pooled array, else what
    /// <paramref name="parse"/> makes of it.
    /// </summary>
    public static PreserveFileRequest Deserialize(DeserializationContext context, Func<DeserializationContext, PreserveFileRequest> parse)
    {
        var payload = context.PayloadAsReadOnlySequence();
        if (payload.Length < MinPooled || payload.FirstSpan[0] != ChunkTag || !TryReadLength(payload.Slice(1), out var length, out var prefix)
            || 1 + prefix + (long)length != payload.Length)
        {
            return parse(context);
        }

        var array = ArrayPool<byte>.Shared.Rent(length);
        payload.Slice(1 + prefix).CopyTo(array);
        Rented.AddOrUpdate(array, Mark);
        return new PreserveFileRequest { Chunk = UnsafeByteOperations.UnsafeWrap(array.AsMemory(0, length)) };
    }

    /// <summary>
    /// Gives <paramref name="chunk"/>'s array back to the pool if <see cref="Deserialize"/> rented it. The chunk must
    /// not be read afterwards.
    /// </summary>
    public static void Return(ByteString chunk)
    {
        if (MemoryMarshal.TryGetArray(chunk.Memory, out var segment) && segment.Array is { } array && Rented.Remove(array))
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    // A length varint of at most five bytes that fits an int; prefix is how many bytes it took.
    private static bool TryReadLength(ReadOnlySequence<byte> bytes, out int length, out int prefix)
    {
        Span<byte> head = stackalloc byte[5];
        var available = (int)Math.Min(head.Length, bytes.Length);
        bytes.Slice(0, available).CopyTo(head);
        ulong value = 0;
        for (prefix = 0; prefix < available; prefix++)
        {
            value |= (ulong)(head[prefix] & 0x7F) << (7 * prefix);
            if ((head[prefix] & 0x80) == 0)
            {
                prefix++;
                length = value <= int.MaxValue ? (int)value : 0;
                return value <= int.MaxValue;
            }
        }

        length = 0;
        return false;
    }
}
