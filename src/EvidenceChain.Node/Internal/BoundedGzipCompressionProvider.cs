using System.IO.Compression;
using Grpc.Core;
using Grpc.Net.Compression;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// The node's only gRPC compression provider: gzip whose decompression stops at a bound. grpc-dotnet checks
/// MaxReceiveMessageSize against a message's compressed length only and inflates it into one MemoryStream, so one
/// ~1 MB gzip message of zeros cost 1 GiB (2 GiB with the stream's doubling). Here inflating beyond the bound ends
/// the call with RESOURCE_EXHAUSTED having held at most about the bound.
/// </summary>
/// <remarks>Thread-safe; each call gets its own streams.</remarks>
internal sealed class BoundedGzipCompressionProvider(int maxInflatedBytes) : ICompressionProvider
{
    public string EncodingName => "gzip";

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        new GZipStream(stream, compressionLevel ?? CompressionLevel.Fastest, leaveOpen: true);

    public Stream CreateDecompressionStream(Stream stream) => new Bounded(new GZipStream(stream, CompressionMode.Decompress), maxInflatedBytes);

    // Read-only pass-through that counts and refuses to give more than the bound.
    private sealed class Bounded(Stream inner, int limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            // Ask for one byte beyond the bound at most, so that reaching it exactly is still fine.
            var allowed = (int)Math.Min(buffer.Length, limit + 1L - _read);
            var n = inner.Read(buffer[..allowed]);
            _read += n;
            if (_read > limit)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"A compressed message inflates to more than {limit} bytes, the largest message the node accepts; nothing was kept."));
            }

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
