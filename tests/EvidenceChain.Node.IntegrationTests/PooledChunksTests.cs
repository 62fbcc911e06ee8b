using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using EvidenceChain.Api.V1;
using EvidenceChain.Node.Internal;
using Google.Protobuf;
using Grpc.Core;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// PooledChunks reads upload messages as protobuf does: a lone chunk into a pooled array that goes back to the pool,
/// everything else through protobuf's own parser.
/// </summary>
public sealed class PooledChunksTests
{
    private static readonly Func<DeserializationContext, PreserveFileRequest> Parse =
        context => PreserveFileRequest.Parser.ParseFrom(context.PayloadAsReadOnlySequence());

    [Theory]
    [InlineData(4096, 1)]
    [InlineData(65536, 1)]
    [InlineData(65536, 3)]
    [InlineData(1 << 20, 5)]
    [InlineData(100_000, 2)]
    public void Deserialize_LoneChunk_SameMessageInPooledArrayThatReturnsToPool(int size, int segments)
    {
        var request = new PreserveFileRequest { Chunk = ByteString.CopyFrom(Bytes(size)) };

        var read = PooledChunks.Deserialize(new Payload(request.ToByteArray(), segments), Parse);

        Assert.Equal(request, read);
        Assert.True(MemoryMarshal.TryGetArray(read.Chunk.Memory, out var segment));
        var array = segment.Array!;
        Assert.Equal(BitOperations.RoundUpToPowerOf2((uint)size), (uint)array.Length); // an ArrayPool bucket
        PooledChunks.Return(read.Chunk);
        var again = ArrayPool<byte>.Shared.Rent(size); // same thread: the pool's thread-local slot hands it back
        Assert.Same(array, again);
        ArrayPool<byte>.Shared.Return(again);
    }

    public static TheoryData<byte[]> OtherMessages() => new()
    {
        new PreserveFileRequest { Metadata = new FileMetadata { FileName = "a.bin", Title = new string('t', 5000) } }.ToByteArray(),
        new PreserveFileRequest { Trailer = new FileTrailer { ExpectedSha256 = new string('0', 64) } }.ToByteArray(),
        new PreserveFileRequest { Chunk = ByteString.CopyFrom(Bytes(4000)) }.ToByteArray(),
        // A chunk followed by another field (here a later trailer, which protobuf's oneof keeps): not a lone chunk.
        new PreserveFileRequest { Chunk = ByteString.CopyFrom(Bytes(5000)) }.ToByteArray().Concat(new PreserveFileRequest { Trailer = new FileTrailer { ExpectedSha256 = "x" } }.ToByteArray()).ToArray(),
    };

    [Theory]
    [MemberData(nameof(OtherMessages))]
    public void Deserialize_NotALoneChunk_ProtobufsMessageAndNothingGoesToThePool(byte[] bytes)
    {
        var read = PooledChunks.Deserialize(new Payload(bytes, 2), Parse);

        Assert.Equal(PreserveFileRequest.Parser.ParseFrom(bytes), read);
        if (read.PartCase == PreserveFileRequest.PartOneofCase.Chunk)
        {
            PooledChunks.Return(read.Chunk); // protobuf's own array: must not reach the pool (it would throw there)
            Assert.True(MemoryMarshal.TryGetArray(read.Chunk.Memory, out var segment));
            var rented = ArrayPool<byte>.Shared.Rent(read.Chunk.Length);
            Assert.NotSame(segment.Array, rented);
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [Fact]
    public void Deserialize_LengthBeyondPayload_ProtobufsError()
    {
        var bytes = new PreserveFileRequest { Chunk = ByteString.CopyFrom(Bytes(8192)) }.ToByteArray()[..6000];

        Assert.Throws<InvalidProtocolBufferException>(() => PooledChunks.Deserialize(new Payload(bytes, 1), Parse));
    }

    private static byte[] Bytes(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A received message, split into <c>segments</c> pieces as a pipe may hold it.</summary>
    private sealed class Payload(byte[] bytes, int segments) : DeserializationContext
    {
        public override int PayloadLength => bytes.Length;

        public override byte[] PayloadAsNewBuffer() => bytes.ToArray();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence()
        {
            if (segments == 1)
            {
                return new ReadOnlySequence<byte>(bytes);
            }

            // Cut after the tag and in the middle of the length, then evenly.
            var cuts = new[] { 1, 2 }.Concat(Enumerable.Range(1, segments).Select(i => i * bytes.Length / (segments + 1))).Where(c => c > 0 && c < bytes.Length).Distinct().Order().ToList();
            Piece? first = null, last = null;
            var start = 0;
            foreach (var end in cuts.Append(bytes.Length))
            {
                var piece = new Piece(bytes.AsMemory(start, end - start), last?.RunningIndex + last?.Memory.Length ?? 0);
                last?.Link(piece);
                first ??= piece;
                last = piece;
                start = end;
            }

            return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
        }
    }

    private sealed class Piece : ReadOnlySequenceSegment<byte>
    {
        public Piece(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void Link(Piece next) => Next = next;
    }
}
