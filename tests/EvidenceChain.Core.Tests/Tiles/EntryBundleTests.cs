using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Tiles;

namespace EvidenceChain.Core.Tests.Tiles;

public sealed class EntryBundleTests
{
    private static (List<byte> Bundle, byte[][] Leaves) Bundle(params int[] lengths)
    {
        var bundle = new List<byte>();
        var leaves = lengths.Select((length, i) => Enumerable.Range(0, length).Select(b => (byte)(((b * 7) + i) % 256)).ToArray()).ToArray();
        foreach (var leaf in leaves)
        {
            EntryBundle.Append(bundle, leaf);
        }

        return (bundle, leaves);
    }

    [Fact]
    public void TryHashLeaves_MixedLengths_EqualsOneHashLeafPerLeaf()
    {
        var (bundle, leaves) = Bundle(100, 33, 100, 0, 100, 7, 33, 100, 100, 100, 100, 1);
        var hashes = new Hash[leaves.Length];

        var ok = EntryBundle.TryHashLeaves(bundle.ToArray(), leaves.Length, hashes, out var error);

        Assert.True(ok, error);
        Assert.Equal(leaves.Select(l => Rfc6962.HashLeaf(l)), hashes);
    }

    [Fact]
    public void TryHashLeaves_WrongCount_FailsWithTheReason()
    {
        var (bundle, _) = Bundle(10, 10);

        var ok = EntryBundle.TryHashLeaves(bundle.ToArray(), 3, new Hash[3], out var error);

        Assert.False(ok);
        Assert.Equal("holds 2 leaves; expected 3", error);
    }
}
