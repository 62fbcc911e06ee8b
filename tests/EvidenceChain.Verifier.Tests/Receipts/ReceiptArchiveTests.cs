using System.IO.Compression;
using System.Text;
using EvidenceChain.Verifier.Receipts;

namespace EvidenceChain.Verifier.Tests.Receipts;

/// <summary>Writing receipts, and refusing hostile zips before any content is read.</summary>
public sealed class ReceiptArchiveTests(ReceiptTestData data) : IClassFixture<ReceiptTestData>
{
    private static async Task<ReceiptFormatException> OpenFailsAsync(byte[] zip, ReceiptLimits? limits = null)
    {
        using var stream = new MemoryStream(zip);
        return await Assert.ThrowsAsync<ReceiptFormatException>(() => ReceiptArchive.OpenAsync(stream, limits));
    }

    [Fact]
    public async Task Write_ThenOpen_HoldsExactlyTheMembers()
    {
        using var stream = new MemoryStream(data.Zip);
        await using var package = await ReceiptArchive.OpenAsync(stream);
        using var zip = new ZipArchive(new MemoryStream(data.Zip));

        Assert.Equal(
            ["entry.json", "proof.tlog-proof", "checkpoint.txt", "checkpoint.tsr", "trust/log.vkey", "trust/tsa-chain.pem", "artefacts/hello.txt", "artefacts/page.warc", "VERIFY.txt"],
            zip.Entries.Select(e => e.FullName));
        Assert.Equal(data.Parts.Leaf, package.Evidence.Entry.ToArray());
        Assert.Equal(data.Parts.CheckpointText, Encoding.UTF8.GetString(package.Evidence.CheckpointText!.Value.Span));
        Assert.Equal(data.Parts.TimestampResponse, package.Evidence.TimestampResponse!.Value.ToArray());
        Assert.Equal(data.Parts.Signer.VerifierKey.ToString() + "\n", package.LogVerifierKey);
        Assert.Contains("openssl ts -verify -data checkpoint.txt -in checkpoint.tsr -CAfile TSA-CA.pem -untrusted trust/tsa-chain.pem", package.Instructions, StringComparison.Ordinal);
        Assert.Contains("evidencectl verify entry-3.evidence.zip --log-key LOG.vkey --tsa-ca TSA-CA.pem", package.Instructions, StringComparison.Ordinal);
        Assert.Contains("openssl dgst -sha256 artefacts/hello.txt", package.Instructions, StringComparison.Ordinal);
        Assert.Contains("openssl dgst -sm3 artefacts/page.warc", package.Instructions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_ToANonSeekableStream_Works()
    {
        using var buffer = new MemoryStream();
        await using (var forwardOnly = new ForwardOnlyStream(buffer))
        {
            await ReceiptArchive.WriteAsync(forwardOnly, ReceiptTestData.Contents(data.Parts, data.Tsa));
        }

        using var stream = new MemoryStream(buffer.ToArray());
        await using var package = await ReceiptArchive.OpenAsync(stream);
        Assert.Equal(2, package.Evidence.Artefacts.Count);
    }

    [Fact]
    public async Task Write_InconsistentContents_Throws()
    {
        var contents = ReceiptTestData.Contents(data.Parts, data.Tsa);

        await Assert.ThrowsAsync<ArgumentException>(() => ReceiptArchive.WriteAsync(Stream.Null, new ReceiptContents
        {
            Leaf = contents.Leaf, Index = 2, ProofHashes = contents.ProofHashes, SignedCheckpoint = contents.SignedCheckpoint,
            TimestampResponse = contents.TimestampResponse, LogVerifierKey = contents.LogVerifierKey, TsaChainPem = contents.TsaChainPem,
        }));
        await Assert.ThrowsAsync<ArgumentException>(() => ReceiptArchive.WriteAsync(Stream.Null, new ReceiptContents
        {
            Leaf = contents.Leaf, Index = 3, ProofHashes = contents.ProofHashes, SignedCheckpoint = contents.SignedCheckpoint,
            TimestampResponse = contents.TimestampResponse, LogVerifierKey = contents.LogVerifierKey, TsaChainPem = contents.TsaChainPem,
            Artefacts = [new ReceiptArtefact("../hello.txt", _ => Task.FromResult(Stream.Null))],
        }));
        await Assert.ThrowsAsync<ArgumentException>(() => ReceiptArchive.WriteAsync(Stream.Null, new ReceiptContents
        {
            Leaf = contents.Leaf, Index = 3, ProofHashes = contents.ProofHashes, SignedCheckpoint = contents.SignedCheckpoint,
            TimestampResponse = contents.TimestampResponse, LogVerifierKey = contents.LogVerifierKey, TsaChainPem = contents.TsaChainPem,
            Artefacts = [new ReceiptArtefact("unlisted.txt", _ => Task.FromResult(Stream.Null))],
        }));
    }

    [Theory]
    [InlineData("../evil.txt", "unsafe name")]
    [InlineData("/etc/passwd", "unsafe name")]
    [InlineData("artefacts/../../evil", "unsafe name")]
    [InlineData("artefacts\\evil", "unsafe name")]
    [InlineData("C:evil", "unsafe name")]
    [InlineData("extra.txt", "unexpected member")]
    [InlineData("artefacts/sub/file", "unexpected member")]
    [InlineData("ENTRY.JSON", "twice")]
    [InlineData("entry.json", "twice")]
    public async Task Open_HostileMemberName_IsRefused(string name, string reason)
    {
        var zip = ReceiptTestData.Rewrite(data.Zip, (_, bytes) => bytes, (name, [1]));

        var e = await OpenFailsAsync(zip);

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("entry.json")]
    [InlineData("proof.tlog-proof")]
    [InlineData("checkpoint.txt")]
    [InlineData("checkpoint.tsr")]
    public async Task Open_MissingMember_IsRefused(string member)
    {
        var zip = ReceiptTestData.Rewrite(data.Zip, (name, bytes) => name == member ? null : bytes);

        var e = await OpenFailsAsync(zip);

        Assert.Contains($"no {member}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_OversizedMember_IsRefused()
    {
        var zip = ReceiptTestData.Rewrite(data.Zip, (name, bytes) => name == "entry.json" ? new byte[100_000] : bytes);

        var e = await OpenFailsAsync(zip, new ReceiptLimits { MaxMetadataBytes = 65_536 });

        Assert.Contains("entry.json is 100000 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_ImplausiblyCompressedMember_IsRefused()
    {
        // 64 MiB of zeros deflates to ~64 KiB: a ratio deflate can reach. Lying about the size in the header is
        // what a bomb does; the bounded read catches it, and the ratio check catches absurd declared sizes.
        var zip = ReceiptTestData.Rewrite(data.Zip, (_, bytes) => bytes, ("artefacts/zeros.bin", new byte[64 << 20]));

        var e = await OpenFailsAsync(zip, new ReceiptLimits { MaxArtefactBytes = 1 << 20 });

        Assert.Contains("zeros.bin is 67108864 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_TooManyMembers_IsRefused()
    {
        var extra = Enumerable.Range(0, 20).Select(i => ($"artefacts/f{i}", new byte[] { 1 })).ToArray();
        var zip = ReceiptTestData.Rewrite(data.Zip, (_, bytes) => bytes, extra);

        var e = await OpenFailsAsync(zip, new ReceiptLimits { MaxMembers = 16 });

        Assert.Contains("at most 16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_NotAZip_IsRefused()
    {
        var e = await OpenFailsAsync(Encoding.UTF8.GetBytes("not a zip at all"));

        Assert.Contains("not a zip", e.Message, StringComparison.Ordinal);
    }

    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
