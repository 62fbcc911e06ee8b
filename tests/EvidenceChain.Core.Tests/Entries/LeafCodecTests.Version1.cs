using System.Text;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Core.Tests.Entries;

/// <summary>Version-1 leaves of a real log (docs/formats.md §1.4) still parse, re-encode byte for byte and hash the same.</summary>
public sealed partial class LeafCodecTests
{
    [Theory]
    [InlineData(
        "{\"v\":1,\"origin\":\"example.org/evidence\",\"index\":0,\"prev\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"kind\":\"file\",\"time\":\"2025-06-01T08:00:00.123Z\",\"submitter\":\"alice\",\"artefacts\":[{\"name\":\"hello.txt\",\"mediaType\":\"text/plain\",\"size\":12,\"sha256\":\"a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447\"}],\"attributes\":{}}",
        "81960d6fad15b865b139807ca2662caa9ed73c88c8f5439e0535cce555beeacc")]
    [InlineData(
        "{\"v\":1,\"origin\":\"example.org/evidence\",\"index\":1,\"prev\":\"81960d6fad15b865b139807ca2662caa9ed73c88c8f5439e0535cce555beeacc\",\"kind\":\"file\",\"time\":\"2025-06-01T08:00:01.123Z\",\"submitter\":\"alice\",\"artefacts\":[{\"name\":\"second.txt\",\"mediaType\":\"text/plain\",\"size\":12,\"sha256\":\"f957b19529906961933c5c30f8713c500a9bb5d9d0695c40d48c97a26a3594ec\",\"sm3\":\"cf12916b005126e7a5e8e0f6feb7308671098202d7540d61459c6b43739df9d4\"}],\"attributes\":{\"note\":\"national-crypto profile on\"}}",
        "8e0a4eb743ba0820f78fa6427c928d996f74330cf90cfd7bdd530c1bebb2c6ab")]
    public void Parse_Version1LeafOfTheExampleLog_ReadsInClearAndReencodesByteForByte(string text, string leafHash)
    {
        var leaf = Encoding.UTF8.GetBytes(text);

        var entry = LeafCodec.Parse(leaf);

        Assert.Equal(LedgerEntry.ClearFormatVersion, entry.Version);
        Assert.Empty(entry.Draft.Commitments);
        Assert.Equal(leaf, LeafCodec.Encode(entry));
        Assert.Equal(leafHash, Rfc6962.HashLeaf(leaf).ToString());
    }
}
