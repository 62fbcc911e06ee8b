using EvidenceChain.Testing;

namespace EvidenceChain.Storage.Tests;

/// <summary>keys/tsa.serial: serial numbers that never repeat, across restarts and crashes.</summary>
public sealed class TsaSerialFileTests
{
    private const ulong Block = 1UL << 32;

    [Fact]
    public void Fresh_StartsAtBlockOneAndReservesTheNextInTheFile()
    {
        using var temp = new TempFolder();

        var serials = new TsaSerialFile(temp.Path);

        Assert.Equal("2\n", File.ReadAllText(temp.Sub(TsaSerialFile.FileName)));
        Assert.Equal((UInt128)Block, serials.Allocate());
        Assert.Equal((UInt128)Block + 1, serials.Allocate());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(temp.Sub(TsaSerialFile.FileName)));
        }

        Assert.False(File.Exists(temp.Sub(TsaSerialFile.FileName + ".tmp")));
    }

    [Fact]
    public void ManyAllocations_UniqueAndIncreasing_AlsoConcurrently()
    {
        using var temp = new TempFolder();
        var serials = new TsaSerialFile(temp.Path);

        var sequential = Enumerable.Range(0, 1000).Select(_ => serials.Allocate()).ToList();
        var concurrent = new System.Collections.Concurrent.ConcurrentBag<UInt128>();
        Parallel.For(0, 4000, _ => concurrent.Add(serials.Allocate()));

        Assert.Equal(sequential.Order(), sequential);
        Assert.Equal(1000, sequential.Distinct().Count());
        Assert.Equal(5000, sequential.Concat(concurrent).Distinct().Count());
        Assert.All(concurrent, s => Assert.True(s > sequential[^1]));
    }

    [Fact]
    public void Reopened_EverySerialIsLargerThanAnyBefore()
    {
        using var temp = new TempFolder();
        var seen = new List<UInt128>();
        for (var run = 0; run < 5; run++)
        {
            var serials = new TsaSerialFile(temp.Path);
            for (var i = 0; i < 100; i++)
            {
                seen.Add(serials.Allocate());
            }
        }

        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal((UInt128)(5 * Block), seen[^1] - 99); // one block per start
    }

    [Fact]
    public void CrashedInstanceStillAllocating_NewInstanceNeverCollidesWithIt()
    {
        using var temp = new TempFolder();
        var crashed = new TsaSerialFile(temp.Path);
        var before = Enumerable.Range(0, 10).Select(_ => crashed.Allocate()).ToList();

        var restarted = new TsaSerialFile(temp.Path); // the old instance was never closed: a crash, or a second process
        var interleaved = Enumerable.Range(0, 50).SelectMany(_ => new[] { crashed.Allocate(), restarted.Allocate() }).ToList();
        var third = new TsaSerialFile(temp.Path);

        var all = before.Concat(interleaved).Append(third.Allocate()).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        var fromRestarted = interleaved.Where((_, i) => i % 2 == 1).ToList();
        Assert.All(fromRestarted, s => Assert.True(s > interleaved.Where((_, i) => i % 2 == 0).Max()));
        Assert.True(all[^1] > fromRestarted.Max());
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("18446744073709551615")]
    [InlineData("18446744073709551616")]
    public void Open_FileWithoutABlockNumber_InvalidDataNamingTheFile(string text)
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.Sub(TsaSerialFile.FileName), text);

        var e = Assert.Throws<InvalidDataException>(() => new TsaSerialFile(temp.Path));

        Assert.Contains(temp.Sub(TsaSerialFile.FileName), e.Message, StringComparison.Ordinal);
        Assert.Equal(text, File.ReadAllText(temp.Sub(TsaSerialFile.FileName)));
    }

    [Fact]
    public void Open_BlockWithWhitespace_Accepted()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.Sub(TsaSerialFile.FileName), "  7\n");

        Assert.Equal((UInt128)(7 * Block), new TsaSerialFile(temp.Path).Allocate());
        Assert.Equal("8\n", File.ReadAllText(temp.Sub(TsaSerialFile.FileName)));
    }
}
