using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Storage.Internal;
using EvidenceChain.Testing;

namespace EvidenceChain.Storage.Tests;

/// <summary>Small blobs packed into shared files (<see cref="BlobPacks"/>), through <see cref="FileBlobStore"/>.</summary>
public sealed class BlobPacksTests
{
    private const int Header = 40;

    // The smallest roll-over size the packs accept: one largest blob and its header.
    private const long SmallRollAt = Header + BlobPacks.MaxBlobSize;

    private static byte[] Content(int length, int seed)
    {
        var content = new byte[length];
        new Random(seed).NextBytes(content);
        return content;
    }

    private static async Task<Hash> PutAsync(FileBlobStore store, byte[] content)
    {
        using var stream = new MemoryStream(content);
        return (await store.PutAsync(stream, withSm3: false, long.MaxValue, CancellationToken.None)).Sha256;
    }

    private static byte[] ReadAll(FileBlobStore store, Hash sha256)
    {
        using var stream = store.OpenRead(sha256) ?? throw new InvalidOperationException($"{sha256} is not stored");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string PackPath(string root, int number) => Path.Combine(root, "packs", $"{number:D8}.pack");

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1024)]
    [InlineData(BlobPacks.MaxBlobSize)]
    public async Task Put_UpToTheLimit_IsPackedNotAFile(int length)
    {
        using var temp = new TempFolder();
        using var store = new FileBlobStore(temp.Path);
        var content = Content(length, seed: length);

        var sha256 = await PutAsync(store, content);

        Assert.Equal(new Hash(SHA256.HashData(content)), sha256);
        Assert.False(File.Exists(store.PathOf(sha256)));
        Assert.True(store.Contains(sha256));
        Assert.Equal(content, ReadAll(store, sha256));
        Assert.Equal(Header + length, new FileInfo(PackPath(temp.Path, 0)).Length);
    }

    [Theory]
    [InlineData(BlobPacks.MaxBlobSize + 1, 1 << 16)]
    [InlineData(3 * BlobPacks.MaxBlobSize, 1000)] // spills from memory to a file in the middle of a write
    public async Task Put_OverTheLimit_GetsAFileOfItsOwn(int length, int chunk)
    {
        using var temp = new TempFolder();
        using var store = new FileBlobStore(temp.Path);
        var content = Content(length, seed: 3);
        await using var upload = store.BeginUpload(withSm3: true);
        for (var at = 0; at < length; at += chunk)
        {
            await upload.WriteAsync(content.AsMemory(at, Math.Min(chunk, length - at)), CancellationToken.None);
        }

        var digests = await upload.CompleteAsync(CancellationToken.None);
        await upload.CommitAsync(CancellationToken.None);

        Assert.Equal(content, await File.ReadAllBytesAsync(store.PathOf(digests.Sha256)));
        Assert.Equal(content, ReadAll(store, digests.Sha256));
        Assert.Equal(0, new FileInfo(PackPath(temp.Path, 0)).Length);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(temp.Path, "tmp"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Put_ConcurrentDuplicates_KeepOneCopyEach()
    {
        using var temp = new TempFolder();
        using var store = new FileBlobStore(temp.Path);
        var contents = Enumerable.Range(0, 10).Select(i => Content(100 + i, seed: i)).ToArray();

        var stored = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => PutAsync(store, contents[i % 10]))));

        Assert.Equal(10, stored.Distinct().Count());
        Assert.Equal(10, store.Packs.Count);
        Assert.Equal(contents.Sum(c => Header + c.Length), new FileInfo(PackPath(temp.Path, 0)).Length);
        Assert.All(contents, c => Assert.Equal(c, ReadAll(store, new Hash(SHA256.HashData(c)))));
    }

    [Fact]
    public async Task Dispose_WithWritesWaiting_WritesThemFirst()
    {
        using var temp = new TempFolder();
        var contents = Enumerable.Range(0, 500).Select(i => Content(1024, seed: i)).ToArray();
        Task<Hash>[] puts;
        using (var store = new FileBlobStore(temp.Path))
        {
            puts = [.. contents.Select(c => PutAsync(store, c))];
        }

        var stored = await Task.WhenAll(puts);
        using var reopened = new FileBlobStore(temp.Path, writer: false);
        Assert.All(stored.Zip(contents), p => Assert.Equal(p.Second, ReadAll(reopened, p.First)));
    }

    [Fact]
    public async Task Put_AfterDispose_Refused()
    {
        using var temp = new TempFolder();
        var store = new FileBlobStore(temp.Path);
        store.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => PutAsync(store, [1, 2, 3]));
    }

    [Fact]
    public async Task Packs_RollOverAndReopen_EveryBlobReadableFromTheIndexes()
    {
        using var temp = new TempFolder();
        var contents = Enumerable.Range(0, 300).Select(i => Content(1000 + i, seed: i)).ToArray();
        using (var store = new FileBlobStore(temp.Path, writer: true, SmallRollAt))
        {
            foreach (var c in contents)
            {
                await PutAsync(store, c);
            }
        }

        var packs = Directory.GetFiles(Path.Combine(temp.Path, "packs"), "*.pack").Length;
        Assert.True(packs >= 4, $"{packs} packs");
        Assert.Equal(packs - 1, Directory.GetFiles(Path.Combine(temp.Path, "packs"), "*.idx").Length);
        Assert.All(Directory.GetFiles(Path.Combine(temp.Path, "packs"), "*.pack"), p => Assert.True(new FileInfo(p).Length <= SmallRollAt + Header + 1300));

        using var reopened = new FileBlobStore(temp.Path, writer: true, SmallRollAt);
        Assert.Empty(reopened.Packs.Issues);
        Assert.Equal(contents.Length, reopened.Packs.Count);
        Assert.All(contents, c => Assert.Equal(c, ReadAll(reopened, new Hash(SHA256.HashData(c)))));
        var more = Content(500, seed: 1000);
        Assert.Equal(more, ReadAll(reopened, await PutAsync(reopened, more)));
    }

    [Fact]
    public async Task Reopen_NewestPackAlreadyOverTheRollSize_SealedAndANewOneStarted()
    {
        using var temp = new TempFolder();
        var contents = Enumerable.Range(0, 80).Select(i => Content(1500, seed: i)).ToArray();
        using (var store = new FileBlobStore(temp.Path))
        {
            foreach (var c in contents)
            {
                await PutAsync(store, c);
            }
        }

        using (var store = new FileBlobStore(temp.Path, writer: true, SmallRollAt))
        {
            Assert.True(File.Exists(Path.ChangeExtension(PackPath(temp.Path, 0), ".idx")));
            Assert.Equal(0, new FileInfo(PackPath(temp.Path, 1)).Length);
            await PutAsync(store, Content(10, seed: 1000));
        }

        using var reopened = new FileBlobStore(temp.Path, writer: false);
        Assert.Empty(reopened.Packs.Issues);
        Assert.Equal(81, reopened.Packs.Count);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("truncated")]
    [InlineData("flipped")]
    public async Task SealedPack_IndexMissingOrDamaged_ReaderReportsWriterRebuilds(string damage)
    {
        using var temp = new TempFolder();
        var contents = Enumerable.Range(0, 100).Select(i => Content(1500, seed: i)).ToArray();
        using (var store = new FileBlobStore(temp.Path, writer: true, SmallRollAt))
        {
            foreach (var c in contents)
            {
                await PutAsync(store, c);
            }
        }

        var index = Path.ChangeExtension(PackPath(temp.Path, 0), ".idx");
        var original = await File.ReadAllBytesAsync(index);
        var bytes = (byte[])original.Clone();
        switch (damage)
        {
            case "missing":
                File.Delete(index);
                break;
            case "truncated":
                await File.WriteAllBytesAsync(index, bytes[..^10]);
                break;
            default:
                bytes[5] ^= 0x20;
                await File.WriteAllBytesAsync(index, bytes);
                break;
        }

        using (var reader = new FileBlobStore(temp.Path, writer: false))
        {
            var issue = Assert.Single(reader.Packs.Issues);
            Assert.Equal("packs/00000000.pack", issue.Where);
            Assert.Contains("the node rebuilds it", issue.Message, StringComparison.Ordinal);
            Assert.All(contents, c => Assert.Equal(c, ReadAll(reader, new Hash(SHA256.HashData(c)))));
        }

        using (var writer = new FileBlobStore(temp.Path, writer: true, SmallRollAt))
        {
            Assert.Contains("rebuilt", Assert.Single(writer.Packs.Issues).Message, StringComparison.Ordinal);
        }

        Assert.Equal(original, await File.ReadAllBytesAsync(index));
        using var again = new FileBlobStore(temp.Path, writer: false);
        Assert.Empty(again.Packs.Issues);
    }

    [Theory]
    [InlineData("half a header")]
    [InlineData("half a record")]
    [InlineData("a record whose content is not what it names")]
    [InlineData("zeros")]
    public async Task NewestPack_TornTail_ReaderLeavesItWriterCutsItOff(string tail)
    {
        using var temp = new TempFolder();
        var kept = Enumerable.Range(0, 5).Select(i => Content(2000, seed: i)).ToArray();
        using (var store = new FileBlobStore(temp.Path))
        {
            foreach (var c in kept)
            {
                await PutAsync(store, c);
            }
        }

        var pack = PackPath(temp.Path, 0);
        var whole = new FileInfo(pack).Length;
        var lost = Content(2000, seed: 99);
        var record = new byte[Header + lost.Length];
        "ECB1"u8.CopyTo(record);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(4), (uint)lost.Length);
        SHA256.HashData(lost).CopyTo(record, 8);
        lost.CopyTo(record, Header);
        byte[] appended = tail switch
        {
            "half a header" => record[..20],
            "half a record" => record[..1000],
            "zeros" => new byte[4096],
            _ => [.. record[..^1], (byte)(record[^1] ^ 1)],
        };
        await using (var file = new FileStream(pack, FileMode.Append))
        {
            await file.WriteAsync(appended);
        }

        using (var reader = new FileBlobStore(temp.Path, writer: false))
        {
            var issue = Assert.Single(reader.Packs.Issues);
            Assert.True(issue.Benign);
            Assert.Contains($"{appended.Length} bytes after its last whole record (at {whole})", issue.Message, StringComparison.Ordinal);
            Assert.Equal(whole + appended.Length, new FileInfo(pack).Length);
        }

        using (var writer = new FileBlobStore(temp.Path))
        {
            Assert.Equal(whole, new FileInfo(pack).Length);
            Assert.False(writer.Contains(new Hash(SHA256.HashData(lost))));
            Assert.All(kept, c => Assert.Equal(c, ReadAll(writer, new Hash(SHA256.HashData(c)))));
            await PutAsync(writer, lost);
        }

        using var reopened = new FileBlobStore(temp.Path, writer: false);
        Assert.Empty(reopened.Packs.Issues);
        Assert.Equal(lost, ReadAll(reopened, new Hash(SHA256.HashData(lost))));
    }

    [Fact]
    public async Task NewestPack_DamageInTheMiddle_NotCutOffAndTheRecordsAfterItStillRead()
    {
        using var temp = new TempFolder();
        var contents = Enumerable.Range(0, 6).Select(i => Content(1500, seed: i)).ToArray();
        using (var store = new FileBlobStore(temp.Path))
        {
            foreach (var c in contents)
            {
                await PutAsync(store, c);
            }
        }

        var pack = PackPath(temp.Path, 0);
        var bytes = await File.ReadAllBytesAsync(pack);
        bytes[(Header + 1500) + Header + 7] ^= 0x01; // the second record's content
        await File.WriteAllBytesAsync(pack, bytes);

        using (var writer = new FileBlobStore(temp.Path))
        {
            var issue = Assert.Single(writer.Packs.Issues);
            Assert.Equal($"bytes {Header + 1500} to {2 * (Header + 1500)} are not a whole record (an append cut short by a crash, or damage); the records after them are read", issue.Message);
            Assert.Equal(bytes.Length, new FileInfo(pack).Length);
            Assert.False(writer.Contains(new Hash(SHA256.HashData(contents[1]))));
            Assert.All(contents.Where((_, i) => i != 1), c => Assert.Equal(c, ReadAll(writer, new Hash(SHA256.HashData(c)))));
            await PutAsync(writer, contents[1]);
        }

        using var reopened = new FileBlobStore(temp.Path, writer: false);
        Assert.All(contents, c => Assert.Equal(c, ReadAll(reopened, new Hash(SHA256.HashData(c)))));
    }

    [Fact]
    public async Task SealedPack_DamagedRecord_ReportedAsAProblemAndTheRestStillRead()
    {
        using var temp = new TempFolder();
        var contents = Enumerable.Range(0, 100).Select(i => Content(1500, seed: i)).ToArray();
        using (var store = new FileBlobStore(temp.Path, writer: true, SmallRollAt))
        {
            foreach (var c in contents)
            {
                await PutAsync(store, c);
            }
        }

        // With its index intact the sealed pack is not read through on open, so the damage shows when the blob is read.
        var pack = PackPath(temp.Path, 0);
        File.Delete(Path.ChangeExtension(pack, ".idx"));
        var bytes = await File.ReadAllBytesAsync(pack);
        bytes[(Header + 1500) * 3 + 2] ^= 0x01; // the fourth record's header

        await File.WriteAllBytesAsync(pack, bytes);

        using var reader = new FileBlobStore(temp.Path, writer: false);
        var issue = Assert.Single(reader.Packs.Issues);
        Assert.False(issue.Benign);
        Assert.Equal($"bytes {(Header + 1500) * 3} to {(Header + 1500) * 4} are damaged: not a whole record", issue.Message);
        Assert.False(reader.Contains(new Hash(SHA256.HashData(contents[3]))));
        var rest = contents.Where((_, i) => i != 3).ToList();
        Assert.All(rest, c => Assert.Equal(c, ReadAll(reader, new Hash(SHA256.HashData(c)))));
        Assert.Equal(rest.Count, reader.Packs.Count);
    }
}
