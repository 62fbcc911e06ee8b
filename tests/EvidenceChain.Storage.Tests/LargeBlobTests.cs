using EvidenceChain.Core.Digests;
using EvidenceChain.Storage.Internal;
using EvidenceChain.Testing;

namespace EvidenceChain.Storage.Tests;

/// <summary>
/// Blobs of <see cref="FileBlobUpload.LargeFile"/> or more: written back as they arrive, fsync'd on their own, their
/// digests computed side by side; the stored file is the content, under its digest's name, with nothing left over.
/// </summary>
public sealed class LargeBlobTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Put_LargeContent_StoredWholeWithBothDigests(bool withSm3)
    {
        using var temp = new TempFolder();
        using var store = new FileBlobStore(temp.Path);
        var content = new byte[FileBlobUpload.LargeFile + (3 * ParallelDigests.SegmentSize) + 17];
        new Random(21).NextBytes(content);

        using var stream = new MemoryStream(content);
        var digests = await store.PutAsync(stream, withSm3, long.MaxValue, CancellationToken.None);

        Assert.Equal(ArtefactHasher.Compute(content, withSm3), digests);
        var path = store.PathOf(digests.Sha256);
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(temp.Path, "tmp"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Put_LargeContentTwice_KeepsOneWholeCopy()
    {
        using var temp = new TempFolder();
        using var store = new FileBlobStore(temp.Path);
        var content = new byte[FileBlobUpload.LargeFile + 5];
        new Random(22).NextBytes(content);

        var first = await store.PutAsync(new MemoryStream(content), withSm3: true, long.MaxValue, CancellationToken.None);
        var second = await store.PutAsync(new MemoryStream(content), withSm3: true, long.MaxValue, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Single(store.Enumerate());
        Assert.Equal(content, await File.ReadAllBytesAsync(store.PathOf(first.Sha256)));
    }

    [Fact]
    public async Task Put_LargeContentOverTheLimit_RefusedAndNothingLeft()
    {
        using var temp = new TempFolder();
        using var store = new FileBlobStore(temp.Path);
        var content = new byte[FileBlobUpload.LargeFile + 5];

        await Assert.ThrowsAsync<BlobTooLargeException>(
            () => store.PutAsync(new MemoryStream(content), withSm3: true, FileBlobUpload.LargeFile, CancellationToken.None));

        Assert.Empty(store.Enumerate());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(temp.Path, "tmp"), "*", SearchOption.AllDirectories));
    }
}
