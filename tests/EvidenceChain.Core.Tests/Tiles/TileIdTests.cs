using EvidenceChain.Core.Tiles;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Tiles;

public sealed class TileIdTests
{
    [Property]
    public void TryParsePath_AnyTilesPath_RoundTrips(bool entries, byte level, ulong index, byte width)
    {
        var tile = new TileId(entries, entries ? 0 : level % 64, index, width == 0 ? TileId.FullWidth : width);

        Assert.True(TileId.TryParsePath(tile.ToPath(), out var parsed));
        Assert.Equal(tile, parsed);
    }

    [Theory]
    [InlineData("tile/0/000", false, 0, 0ul, 256)]
    [InlineData("tile/2/x001/234.p/7", false, 2, 1234ul, 7)]
    [InlineData("tile/entries/x001/x234/067", true, 0, 1234067ul, 256)]
    [InlineData("tile/entries/005.p/255", true, 0, 5ul, 255)]
    public void TryParsePath_SpecExamples_Parse(string path, bool entries, int level, ulong index, int width)
    {
        Assert.True(TileId.TryParsePath(path, out var tile));
        Assert.Equal(new TileId(entries, level, index, width), tile);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tile")]
    [InlineData("tile/0")]
    [InlineData("tile/0/")]
    [InlineData("tile/0/1")]                // groups are three digits
    [InlineData("tile/0/0001")]
    [InlineData("tile/0/x000/001")]         // leading zero group: not canonical
    [InlineData("tile/0/001/002")]          // missing 'x'
    [InlineData("tile/0/x001")]             // last group has no 'x'
    [InlineData("tile/0/000.p/0")]          // width 1..255
    [InlineData("tile/0/000.p/256")]
    [InlineData("tile/0/000.p/07")]
    [InlineData("tile/0/000.p/")]
    [InlineData("tile/64/000")]
    [InlineData("tile/-1/000")]
    [InlineData("tile/+1/000")]
    [InlineData("tile/01/000")]
    [InlineData("tile/entries/../000")]
    [InlineData("tiles/0/000")]
    [InlineData("tile/0/000/")]
    [InlineData("tile/0/x018/x446/x744/x073/x709/x551/616")] // 2^64: overflows
    public void TryParsePath_NonCanonicalOrMalformed_Refused(string path)
    {
        Assert.False(TileId.TryParsePath(path, out _));
    }
}
