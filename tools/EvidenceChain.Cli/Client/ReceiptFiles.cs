using System.Security.Cryptography;
using EvidenceChain.Api.V1;
using EvidenceChain.Core.Digests;
using EvidenceChain.Core.Proofs;
using EvidenceChain.Verifier.Receipts;
using Grpc.Core;

namespace EvidenceChain.Cli.Client;

/// <summary>
/// Writes a receipt the node sent as a <c>.evidence.zip</c>: into a temporary file beside the target, renamed into
/// place only when complete and, with artefacts, only when each downloaded artefact's SHA-256 and size match the
/// entry's listing.
/// </summary>
internal static class ReceiptFiles
{
    /// <summary>Writes <paramref name="receipt"/> to <paramref name="target"/>, downloading the artefacts listed in <paramref name="withArtefacts"/>.</summary>
    /// <exception cref="BadReplyException">The node's receipt is not well formed, or an artefact's bytes are not what the entry lists.</exception>
    public static async Task WriteAsync(NodeClient node, Receipt receipt, FileInfo target, bool replace, Entry? withArtefacts)
    {
        List<ArtefactDownload> downloads = [.. (withArtefacts?.Artefacts ?? []).Select(a => new ArtefactDownload(node, receipt.Index, a))];
        var contents = ToContents(receipt, target.Name) with
        {
            Artefacts = [.. downloads.Select(d => new ReceiptArtefact(d.Listed.Name, d.OpenAsync))],
        };

        var temp = Path.Combine(target.DirectoryName ?? ".", $".{target.Name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.partial");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                try
                {
                    await ReceiptArchive.WriteAsync(file, contents, node.Cancellation);
                }
                catch (ArgumentException e)
                {
                    throw new BadReplyException($"the receipt is not consistent: {e.Message}");
                }

                await file.FlushAsync(node.Cancellation);
            }

            foreach (var download in downloads)
            {
                download.Check();
            }

            File.Move(temp, target.FullName, replace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write {target.FullName}: {e.Message}");
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The receipt message as the archive's input.</summary>
    /// <exception cref="BadReplyException">The proof is not a C2SP tlog-proof for the receipt's index.</exception>
    public static ReceiptContents ToContents(Receipt receipt, string fileName)
    {
        if (!TlogProof.TryParse(receipt.TlogProof, out var proof, out var error))
        {
            throw new BadReplyException($"the receipt's tlog_proof is not a C2SP tlog-proof: {error}");
        }

        if (proof.Index != receipt.Index)
        {
            throw new BadReplyException($"the receipt is for entry {receipt.Index} but its proof is for entry {proof.Index}");
        }

        return new ReceiptContents
        {
            Leaf = receipt.Leaf.Memory,
            Index = receipt.Index,
            ProofHashes = proof.Hashes.ToArray(),
            SignedCheckpoint = proof.Checkpoint,
            TimestampResponse = receipt.TimestampResponse.Memory,
            LogVerifierKey = receipt.LogVerifierKey,
            TsaChainPem = receipt.TsaChainPem,
            Sm2VerifierKey = receipt.Sm2VerifierKey.Length > 0 ? receipt.Sm2VerifierKey : null,
            Disclosed = receipt.Disclosed.IsEmpty ? (ReadOnlyMemory<byte>?)null : receipt.Disclosed.Memory, // disclosed.json, when the key may see the entry (typed: null must stay null)
            FileName = fileName,
        };
    }

    /// <summary>One artefact streamed from the node into the zip, hashed on the way.</summary>
    private sealed class ArtefactDownload(NodeClient node, ulong index, Artefact listed)
    {
        // The archive writer disposes the stream it opened; this keeps only its digests.
        private ArtefactDigests? _received;

        public Artefact Listed => listed;

        public Task<Stream> OpenAsync(CancellationToken cancellationToken)
        {
            var call = node.Evidence.DownloadArtefact(new DownloadArtefactRequest { Index = index, Name = listed.Name }, node.Options);
            return Task.FromResult<Stream>(new ArtefactStream(call, listed.Name, digests => _received = digests));
        }

        public void Check()
        {
            var received = _received ?? throw new BadReplyException($"artefact {listed.Name} was not downloaded");
            var expected = NodeHashes.Parse(listed.Sha256, "artefact sha256");
            if (received.Sha256 != expected || received.Size != checked((long)listed.Size))
            {
                throw new BadReplyException(
                    $"artefact {listed.Name}: the node sent {received.Size} bytes with SHA-256 {received.Sha256}, but entry {index} lists {listed.Size} bytes with SHA-256 {expected}");
            }
        }
    }

    /// <summary>A read-only stream over a DownloadArtefact call: the description first, then the chunks.</summary>
    private sealed class ArtefactStream(AsyncServerStreamingCall<DownloadArtefactResponse> call, string name, Action<ArtefactDigests> finished) : Stream
    {
        private readonly ArtefactHasher _hasher = new(withSm3: false);
        private ReadOnlyMemory<byte> _chunk;
        private bool _described;
        private bool _ended;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_chunk.IsEmpty && !_ended)
            {
                if (!await call.ResponseStream.MoveNext(cancellationToken))
                {
                    _ended = true;
                    finished(_hasher.Finish());
                    break;
                }

                var message = call.ResponseStream.Current;
                if (message.PartCase == DownloadArtefactResponse.PartOneofCase.Artefact && !_described)
                {
                    _described = true;
                }
                else if (message.PartCase == DownloadArtefactResponse.PartOneofCase.Chunk && _described)
                {
                    _chunk = message.Chunk.Memory;
                    _hasher.Append(_chunk.Span);
                }
                else
                {
                    throw new BadReplyException($"the download of {name} must be the artefact's description, then chunks");
                }
            }

            var n = Math.Min(buffer.Length, _chunk.Length);
            _chunk[..n].CopyTo(buffer);
            _chunk = _chunk[n..];
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");

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
                call.Dispose();
                _hasher.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
