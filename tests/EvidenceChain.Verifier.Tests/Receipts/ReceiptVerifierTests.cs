using System.Text;
using EvidenceChain.Testing.Timestamps;
using EvidenceChain.Verifier.Receipts;
using EvidenceChain.Verifier.Timestamps;

namespace EvidenceChain.Verifier.Tests.Receipts;

/// <summary>Genuine and tampered receipts, written by ReceiptArchive and read back, through ReceiptVerifier.</summary>
public sealed class ReceiptVerifierTests(ReceiptTestData data) : IClassFixture<ReceiptTestData>
{
    private static readonly string[] AllSteps =
    [
        "proof format", "checkpoint signature", "leaf format", "leaf identity", "inclusion", "witnesses", "timestamp", "checkpoint text",
        "artefact hello.txt", "artefact page.warc", "warc records",
    ];

    private static async Task<VerificationReport> VerifyZipAsync(byte[] zip, ReceiptTrust trust)
    {
        using var stream = new MemoryStream(zip);
        await using var package = await ReceiptArchive.OpenAsync(stream);
        return await ReceiptVerifier.VerifyAsync(package.Evidence, trust);
    }

    private static void AssertOnlyFailure(VerificationReport report, string step)
    {
        var failed = report.Steps.Where(s => s.Failed).Select(s => s.Name).ToList();
        Assert.True(failed.SequenceEqual([step]), string.Join("\n", report.Steps));
    }

    [Fact]
    public async Task Verify_GenuineReceipt_PassesEveryStepInOrder()
    {
        var report = await VerifyZipAsync(data.Zip, data.Trust);

        Assert.True(report.IsValid, string.Join("\n", report.Steps));
        Assert.Equal(AllSteps, report.Steps.Select(s => s.Name));
        Assert.All(report.Steps.SkipLast(1).Where(s => s.Name != "witnesses"), s => Assert.True(s.Passed));
        Assert.True(report.Steps.Single(s => s.Name == "witnesses").Skipped); // no witness policy given
        Assert.True(report.Steps[^1].Skipped); // warc records: this file entry lists no WARC
        Assert.Contains("lists no WARC", report.Steps[^1].Detail, StringComparison.Ordinal);
        Assert.Contains("genTime ", report.Steps.Single(s => s.Name == "timestamp").Detail, StringComparison.Ordinal);
        Assert.Contains("sm3 ", report.Steps.Single(s => s.Name == "artefact page.warc").Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ReceiptMembers.Entry)]
    [InlineData(ReceiptMembers.Proof)]
    [InlineData(ReceiptMembers.CheckpointText)]
    [InlineData(ReceiptMembers.TimestampResponse)]
    [InlineData("artefacts/hello.txt")]
    [InlineData("artefacts/page.warc")]
    public async Task Verify_AnyChangedByteOfAMember_FailsANamedStep(string member)
    {
        using var original = new System.IO.Compression.ZipArchive(new MemoryStream(data.Zip));
        var (first, length) = (0, (int)original.GetEntry(member)!.Length);
        if (member == ReceiptMembers.TimestampResponse)
        {
            // The token's signed content (its TSTInfo); the CMS envelope around it is unsigned (see TimestampVerifierTests).
            var content = Timestamps.TimestampVerifierTests.SignedContent(new Org.BouncyCastle.Cms.CmsSignedData(data.Parts.TimestampResponse.AsSpan(9).ToArray()));
            (first, length) = (data.Parts.TimestampResponse.AsSpan().IndexOf(content), content.Length);
        }

        var failedSteps = new HashSet<string>();

        // Every byte of the small members would be slow through zips; a spread of positions covers each region.
        foreach (var at in Enumerable.Range(0, 40).Select(k => first + (int)((long)k * (length - 1) / 39)).Distinct())
        {
            var zip = ReceiptTestData.Rewrite(data.Zip, (name, bytes) =>
            {
                if (name == member)
                {
                    bytes[at] ^= 0x01;
                }

                return bytes;
            });

            var report = await VerifyZipAsync(zip, data.Trust);

            Assert.False(report.IsValid, $"{member} byte {at}");
            failedSteps.Add(report.FirstFailure!.Name);
        }

        var expected = member switch
        {
            ReceiptMembers.Entry => ["leaf format", "leaf identity", "inclusion"],
            ReceiptMembers.Proof => ["proof format", "checkpoint signature", "inclusion", "leaf identity"],
            ReceiptMembers.CheckpointText => ["checkpoint text"],
            ReceiptMembers.TimestampResponse => ["timestamp"],
            _ => new[] { "artefact " + member["artefacts/".Length..] },
        };
        Assert.Subset(expected.ToHashSet(), failedSteps);
    }

    [Fact]
    public async Task Verify_ChangedArtefact_FailsOnlyThatArtefact()
    {
        var zip = ReceiptTestData.Rewrite(data.Zip, (name, bytes) => name == "artefacts/hello.txt" ? Encoding.UTF8.GetBytes("hello world!") : bytes);

        var report = await VerifyZipAsync(zip, data.Trust);

        AssertOnlyFailure(report, "artefact hello.txt");
        Assert.Contains("sha256 ", report.FirstFailure!.Detail, StringComparison.Ordinal);
        Assert.Contains(", but entry 3 lists ", report.FirstFailure!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WrongPinnedLogKey_FailsTheSignatureButStillChecksTimeAndArtefacts()
    {
        var trust = new ReceiptTrust { LogKey = ReceiptParts.LogKey(seed: 8).VerifierKey, TsaCas = data.Trust.TsaCas };

        var report = await VerifyZipAsync(data.Zip, trust);

        AssertOnlyFailure(report, "checkpoint signature");
        Assert.True(report.Steps.Single(s => s.Name == "inclusion").Skipped);
        Assert.True(report.Steps.Single(s => s.Name == "timestamp").Passed);
        Assert.True(report.Steps.Single(s => s.Name == "artefact page.warc").Passed);
    }

    [Fact]
    public async Task Verify_ReceiptFromAnotherLog_FailsTheSignature()
    {
        var other = ReceiptParts.Create(data.Tsa, ReceiptParts.LogKey("other.test/log", 9));
        var zip = ReceiptTestData.Write(other, data.Tsa);

        var report = await VerifyZipAsync(zip, data.Trust);

        Assert.Equal("checkpoint signature", report.FirstFailure!.Name);
        Assert.Contains("not signed by the log key", report.FirstFailure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WrongPinnedTsaCa_FailsOnlyTheTimestamp()
    {
        using var otherTsa = new OpenSslTsa(name: "Other TSA");
        var trust = new ReceiptTrust { LogKey = data.Parts.Signer.VerifierKey, TsaCas = TimestampVerifier.ReadPem(otherTsa.CaPem) };

        var report = await VerifyZipAsync(data.Zip, trust);

        AssertOnlyFailure(report, "timestamp");
        Assert.Contains("does not chain to a pinned TSA CA", report.FirstFailure!.Detail, StringComparison.Ordinal);
        Assert.Contains("the token claims genTime", report.FirstFailure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TokenOverAnotherCheckpoint_FailsTheTimestamp()
    {
        var other = data.Tsa.Timestamp(Encoding.UTF8.GetBytes(data.Parts.CheckpointText.Replace("\n5\n", "\n6\n", StringComparison.Ordinal)));
        var zip = ReceiptTestData.Rewrite(data.Zip, (name, bytes) => name == ReceiptMembers.TimestampResponse ? other : bytes);

        var report = await VerifyZipAsync(zip, data.Trust);

        AssertOnlyFailure(report, "timestamp");
        Assert.Contains("not over this data", report.FirstFailure!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BareProofWithoutToken_SkipsTheTimestamp()
    {
        var proof = new EvidenceChain.Core.Proofs.TlogProof(data.Parts.Index, data.Parts.Proof, data.Parts.SignedCheckpoint).ToBytes();

        var report = await ReceiptVerifier.VerifyAsync(new ReceiptEvidence { Entry = data.Parts.Leaf, Proof = proof }, data.Trust);

        Assert.True(report.IsValid, string.Join("\n", report.Steps));
        Assert.True(report.Steps.Single(s => s.Name == "timestamp").Skipped);
        Assert.DoesNotContain(report.Steps, s => s.Name == "checkpoint text");
    }

    [Fact]
    public async Task Verify_ArtefactNotInTheManifest_Fails()
    {
        var evidence = new ReceiptEvidence
        {
            Entry = data.Parts.Leaf,
            Proof = new EvidenceChain.Core.Proofs.TlogProof(data.Parts.Index, data.Parts.Proof, data.Parts.SignedCheckpoint).ToBytes(),
            Artefacts = [new ReceiptArtefact("other.bin", _ => Task.FromResult<Stream>(new MemoryStream([1, 2, 3])))],
        };

        var report = await ReceiptVerifier.VerifyAsync(evidence, data.Trust);

        Assert.Equal("artefact other.bin", report.FirstFailure!.Name);
        Assert.Contains("lists no artefact named", report.FirstFailure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CheckpointCheckHook_AddsItsStep()
    {
        var trust = new ReceiptTrust
        {
            LogKey = data.Parts.Signer.VerifierKey,
            TsaCas = data.Trust.TsaCas,
            CheckpointChecks = [note => new VerificationStep("extra check", note.Contains("\n\n", StringComparison.Ordinal), "seen")],
        };

        var report = await VerifyZipAsync(data.Zip, trust);

        Assert.True(report.IsValid);
        Assert.Equal("extra check", report.Steps[5].Name);
    }

    [Fact]
    public async Task Verify_EmptiedToken_FailsRatherThanSkips()
    {
        var zip = ReceiptTestData.Rewrite(data.Zip, (name, bytes) => name == ReceiptMembers.TimestampResponse ? [] : bytes);

        var report = await VerifyZipAsync(zip, data.Trust);

        AssertOnlyFailure(report, "timestamp");
    }
}
