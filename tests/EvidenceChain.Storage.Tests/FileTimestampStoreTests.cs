using System.Buffers.Binary;
using System.Text;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EvidenceChain.Storage.Tests;

/// <summary>log/timestamps and log/timestamps.idx: append, binary-search look-up, reopening, and torn-tail repair.</summary>
public sealed class FileTimestampStoreTests
{
    private static StoredTimestamp Stamp(ulong size) =>
        new(size, $"test.example/log\n{size}\nroot{size}=\n\n\u2014 test.example/log sig{size}\n", Encoding.ASCII.GetBytes($"response of {size} ").Concat(new byte[size % 97]).ToArray());

    private static void AssertSame(StoredTimestamp expected, StoredTimestamp? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Size, actual.Size);
        Assert.Equal(expected.SignedCheckpoint, actual.SignedCheckpoint);
        Assert.Equal(expected.Response, actual.Response);
    }

    private static async Task AppendAsync(FileTimestampStore store, params ulong[] sizes) =>
        await store.AppendAsync([.. sizes.Select(Stamp)], CancellationToken.None);

    [Property(MaxTest = 40)]
    public Property FindCovering_ReturnsTheFirstWithSizeAtLeastK_BeforeAndAfterReopening() =>
        Prop.ForAll(
            Gen.Choose(1, 50).ArrayOf().Where(a => a.Length > 0).ToArbitrary(),
            Gen.Choose(1, 7).ToArbitrary(),
            (deltas, batch) =>
            {
                var sizes = new List<ulong>();
                ulong size = 0;
                foreach (var d in deltas)
                {
                    size += (ulong)d;
                    sizes.Add(size);
                }

                using var temp = new TempFolder();
                using (var store = new FileTimestampStore(temp.Path))
                {
                    foreach (var chunk in sizes.Chunk(batch))
                    {
                        store.AppendAsync([.. chunk.Select(Stamp)], CancellationToken.None).GetAwaiter().GetResult();
                    }

                    Check(store, sizes);
                }

                using var reopened = new FileTimestampStore(temp.Path);
                Check(reopened, sizes);
            });

    private static void Check(FileTimestampStore store, List<ulong> sizes)
    {
        Assert.Equal(sizes.Count, store.Count);
        AssertSame(Stamp(sizes[^1]), store.Latest);
        for (ulong k = 0; k <= sizes[^1] + 1; k++)
        {
            var found = store.FindCoveringAsync(k, CancellationToken.None).GetAwaiter().GetResult();
            var expected = sizes.FirstOrDefault(s => s >= k);
            if (expected == 0)
            {
                Assert.Null(found);
            }
            else
            {
                AssertSame(Stamp(expected), found);
            }
        }
    }

    [Fact]
    public async Task Empty_NoLatestNothingFoundAndBothFilesCreated()
    {
        using var temp = new TempFolder();
        using var store = new FileTimestampStore(temp.Sub("log"));

        Assert.Null(store.Latest);
        Assert.Equal(0, store.Count);
        Assert.Null(await store.FindCoveringAsync(0, CancellationToken.None));
        Assert.Null(await store.FindCoveringAsync(1, CancellationToken.None));
        Assert.True(File.Exists(temp.Sub("log/timestamps")));
        Assert.True(File.Exists(temp.Sub("log/timestamps.idx")));
    }

    [Fact]
    public async Task Latest_FollowsAppendsAndSurvivesReopening()
    {
        using var temp = new TempFolder();
        using (var store = new FileTimestampStore(temp.Path))
        {
            await AppendAsync(store, 3);
            AssertSame(Stamp(3), store.Latest);
            await AppendAsync(store, 5, 9);
            AssertSame(Stamp(9), store.Latest);
            await store.AppendAsync([], CancellationToken.None);
            AssertSame(Stamp(9), store.Latest);
        }

        using var reopened = new FileTimestampStore(temp.Path);
        AssertSame(Stamp(9), reopened.Latest);
        Assert.Equal(3, reopened.Count);
        AssertSame(Stamp(5), await reopened.FindCoveringAsync(4, CancellationToken.None));
        await AppendAsync(reopened, 10);
        AssertSame(Stamp(10), await reopened.FindCoveringAsync(10, CancellationToken.None));
    }

    [Theory]
    [InlineData(new ulong[] { 5 }, new ulong[] { 5 })]
    [InlineData(new ulong[] { 5 }, new ulong[] { 4 })]
    [InlineData(new ulong[] { 5 }, new ulong[] { 6, 8, 7 })]
    [InlineData(new ulong[] { 5 }, new ulong[] { 6, 6 })]
    public async Task Append_SizesNotIncreasing_RefusedAndNothingWritten(ulong[] first, ulong[] then)
    {
        using var temp = new TempFolder();
        using var store = new FileTimestampStore(temp.Path);
        await AppendAsync(store, first);
        var lengths = (new FileInfo(temp.Sub("timestamps")).Length, new FileInfo(temp.Sub("timestamps.idx")).Length);

        await Assert.ThrowsAsync<ArgumentException>(() => AppendAsync(store, then));

        Assert.Equal(first.Length, store.Count);
        AssertSame(Stamp(first[^1]), store.Latest);
        Assert.Equal(lengths, (new FileInfo(temp.Sub("timestamps")).Length, new FileInfo(temp.Sub("timestamps.idx")).Length));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(5, 0)]
    [InlineData(5, 10)]
    [InlineData(1, 23)]
    public async Task Open_TornTail_RepairedToTheLastIntactRecord(int cut, int garbage)
    {
        using var temp = new TempFolder();
        using (var store = new FileTimestampStore(temp.Path))
        {
            await AppendAsync(store, 2, 4);
            await AppendAsync(store, 7);
        }

        var intactRecords = await RecordsLengthAsync(temp.Path, 2);
        using (var records = new FileStream(temp.Sub("timestamps"), FileMode.Open))
        {
            records.SetLength(records.Length - cut);
        }

        await AppendBytesAsync(temp.Sub("timestamps.idx"), Enumerable.Repeat((byte)0xa5, garbage).ToArray());

        using (var repaired = new FileTimestampStore(temp.Path))
        {
            Assert.Equal(2, repaired.Count);
            AssertSame(Stamp(4), repaired.Latest);
            Assert.Null(await repaired.FindCoveringAsync(5, CancellationToken.None));
            Assert.Equal(48, new FileInfo(temp.Sub("timestamps.idx")).Length);
            Assert.Equal(intactRecords, new FileInfo(temp.Sub("timestamps")).Length);
            await AppendAsync(repaired, 8); // appends carry on after the repair
        }

        using var reopened = new FileTimestampStore(temp.Path);
        Assert.Equal(3, reopened.Count);
        AssertSame(Stamp(2), await reopened.FindCoveringAsync(1, CancellationToken.None));
        AssertSame(Stamp(8), await reopened.FindCoveringAsync(5, CancellationToken.None));
    }

    [Fact]
    public async Task Open_RecordBytesNoEntryPointsTo_Dropped()
    {
        using var temp = new TempFolder();
        using (var store = new FileTimestampStore(temp.Path))
        {
            await AppendAsync(store, 1, 2);
        }

        var length = new FileInfo(temp.Sub("timestamps")).Length;
        await AppendBytesAsync(temp.Sub("timestamps"), new byte[100]); // a record written, its index entry not

        using var repaired = new FileTimestampStore(temp.Path);
        Assert.Equal(2, repaired.Count);
        Assert.Equal(length, new FileInfo(temp.Sub("timestamps")).Length);
    }

    [Fact]
    public async Task Open_IndexEntryWithDamagedCheck_Dropped()
    {
        using var temp = new TempFolder();
        using (var store = new FileTimestampStore(temp.Path))
        {
            await AppendAsync(store, 1, 2);
        }

        var index = await File.ReadAllBytesAsync(temp.Sub("timestamps.idx"));
        index[^1] ^= 0xff;
        await File.WriteAllBytesAsync(temp.Sub("timestamps.idx"), index);

        using var repaired = new FileTimestampStore(temp.Path);
        Assert.Equal(1, repaired.Count);
        AssertSame(Stamp(1), repaired.Latest);
    }

    [Fact]
    public async Task Open_GarbageIndexEntryWithALengthBeyondTheFile_Dropped()
    {
        using var temp = new TempFolder();
        using (var store = new FileTimestampStore(temp.Path))
        {
            await AppendAsync(store, 1, 2);
        }

        var entry = new byte[24];
        BinaryPrimitives.WriteUInt64BigEndian(entry, 3);
        BinaryPrimitives.WriteUInt64BigEndian(entry.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32BigEndian(entry.AsSpan(16), 1_000_000);
        await AppendBytesAsync(temp.Sub("timestamps.idx"), entry);

        using var repaired = new FileTimestampStore(temp.Path);
        Assert.Equal(2, repaired.Count);
        AssertSame(Stamp(2), repaired.Latest);
    }

    private static async Task<long> RecordsLengthAsync(string path, int entries)
    {
        var index = await File.ReadAllBytesAsync(Path.Combine(path, "timestamps.idx"));
        var entry = index.AsSpan((entries - 1) * 24, 24);
        return (long)BinaryPrimitives.ReadUInt64BigEndian(entry[8..]) + BinaryPrimitives.ReadUInt32BigEndian(entry[16..]);
    }

    private static async Task AppendBytesAsync(string path, byte[] bytes)
    {
        await using var file = new FileStream(path, FileMode.Append);
        await file.WriteAsync(bytes);
    }
}
