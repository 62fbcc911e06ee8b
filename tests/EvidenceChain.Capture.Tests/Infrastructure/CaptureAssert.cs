using EvidenceChain.Capture.Warc;
using EvidenceChain.Core.Digests;

namespace EvidenceChain.Capture.Tests.Infrastructure;

/// <summary>Reads a capture's WARC back and checks what every capture must satisfy.</summary>
internal static class CaptureAssert
{
    /// <summary>
    /// The WARC parses, every record's digests match, and every artefact's file hashes to the digests the capture
    /// reported. Returns the records.
    /// </summary>
    public static IReadOnlyList<WarcRecord> Consistent(CaptureResult result)
    {
        foreach (var artefact in result.Artefacts)
        {
            var bytes = File.ReadAllBytes(artefact.Path);
            Assert.Equal(ArtefactHasher.Compute(bytes, withSm3: false).Sha256, artefact.Digests.Sha256);
            Assert.Equal(bytes.Length, artefact.Digests.Size);
        }

        var records = WarcReader.ReadAll(File.ReadAllBytes(result.Warc.Path));
        Assert.Equal("warcinfo", records[0].Type);
        Assert.All(records, r => Assert.True(WarcDigests.Verify(r).IsValid, $"{r.Type} {r.TargetUri}: digests do not match"));
        Assert.All(records.Where(r => r.Type is "request" or "response"), r => Assert.NotNull(r.Get(WarcFields.PayloadDigest)));
        Assert.All(records.Where(r => r.Type is "request" or "response"), r => Assert.NotNull(r.Get(WarcFields.IpAddress)));
        Assert.Single(records, r => r.Type == "metadata");
        return records;
    }

    public static string Text(WarcRecord record) => System.Text.Encoding.UTF8.GetString(record.Block.Span);
}
