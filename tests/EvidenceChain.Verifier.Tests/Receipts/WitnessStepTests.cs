using EvidenceChain.Core.Notes;
using EvidenceChain.Testing.Timestamps;
using EvidenceChain.Verifier.Receipts;

namespace EvidenceChain.Verifier.Tests.Receipts;

/// <summary>
/// The <c>witnesses</c> step: receipts whose checkpoint carries cosignatures made here with real witness keys, written
/// by ReceiptArchive and read back, against a 2-of-3 policy (issue 19).
/// </summary>
public sealed class WitnessStepTests(ReceiptTestData data) : IClassFixture<ReceiptTestData>
{
    private const string Step = "witnesses";

    // The verifier's clock: a fixed instant, so that cosignature times are judged against it, not the machine's.
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static readonly WitnessSigner CourtA = Witness("court-a.example/witness", 31);
    private static readonly WitnessSigner CourtB = Witness("court-b.example/witness", 32);
    private static readonly WitnessSigner Notary = Witness("notary.example/witness", 33);
    private static readonly WitnessSigner Stranger = Witness("stranger.example/witness", 34);

    private static readonly WitnessPolicy TwoOfThree = WitnessPolicy.Parse($"""
        # the court's policy: two of its three witnesses
        witness court-a {CourtA.Key}
        witness court-b {CourtB.Key}
        witness notary {Notary.Key}
        group witnesses 2 court-a court-b notary
        quorum witnesses
        """);

    [Fact]
    public async Task Verify_KValidCosignatures_Passes()
    {
        var report = await VerifyAsync(Cosign(CourtA, 0), Cosign(Notary, -60));

        Assert.True(report.IsValid, string.Join("\n", report.Steps));
        var step = report.Steps.Single(s => s.Name == Step);
        Assert.True(step.Passed);
        Assert.StartsWith("2 valid cosignature(s) over the checkpoint of size 5 meet the quorum (2 of court-a, court-b, notary): court-a at 2026-12-07T12:00:00Z, notary at 2026-12-07T11:59:00Z", step.Detail, StringComparison.Ordinal);
        Assert.Equal(["court-a", "notary"], report.Cosignatures.Select(c => c.Witness));
        Assert.Equal(CourtA.Key, report.Cosignatures[0].Key);
        Assert.Equal(Now, report.Cosignatures[0].Time);
    }

    [Fact]
    public async Task Verify_ExtraSignatureLines_DoNotDisturbTheLogKeyCheckOrTimestamp()
    {
        var report = await VerifyAsync(Cosign(CourtA, 0), Cosign(CourtB, 0), Cosign(Notary, 0), Cosign(Stranger, 0));

        Assert.True(report.IsValid, string.Join("\n", report.Steps));
        Assert.Equal(["proof format", "checkpoint signature", "leaf format", "leaf identity", "inclusion", Step, "timestamp", "checkpoint text"], report.Steps.Take(8).Select(s => s.Name));
        Assert.All(report.Steps.Take(8), s => Assert.True(s.Passed, s.ToString()));
        Assert.Contains("ignored, by keys the policy does not list: stranger.example/witness+", report.Steps.Single(s => s.Name == Step).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_FewerThanK_FailsNamingWhoIsMissing()
    {
        var report = await VerifyAsync(Cosign(CourtB, 0));

        var step = AssertOnlyWitnessesFail(report);
        Assert.Equal("1 valid cosignature(s) of the 2 the quorum needs (2 of court-a, court-b, notary) over the checkpoint of size 5: court-b at 2026-12-07T12:00:00Z; missing: court-a, notary", step.Detail);
    }

    [Fact]
    public async Task Verify_NoCosignatureAtAll_FailsAndSaysTheReceiptCanBeFetchedAgain()
    {
        var report = await VerifyAsync();

        var step = AssertOnlyWitnessesFail(report);
        Assert.StartsWith("0 valid cosignature(s) of the 2 the quorum needs", step.Detail, StringComparison.Ordinal);
        Assert.Contains("the checkpoint carries no cosignature", step.Detail, StringComparison.Ordinal);
        Assert.Empty(report.Cosignatures);
    }

    [Fact]
    public async Task Verify_ForgedCosignature_IsNotCounted()
    {
        // court-b's line with its name and key ID, but a signature made with another key.
        var forger = WitnessSigner.FromSeed(CourtB.Name, Enumerable.Repeat((byte)99, WitnessSigner.SeedSize).ToArray());
        var forged = Cosign(forger, 0);
        var line = $"\u2014 {CourtB.Name} {Rekey(forged, CourtB.KeyId)}\n";

        var report = await VerifyAsync(Cosign(CourtA, 0), line);

        var step = AssertOnlyWitnessesFail(report);
        Assert.Contains("missing: court-b, notary", step.Detail, StringComparison.Ordinal);
        Assert.Contains("not counted, the signature does not verify over this checkpoint (forged, or made over another checkpoint): court-b", step.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CosignatureOverAnotherCheckpoint_IsNotCounted()
    {
        // A genuine cosignature by court-b, but over the checkpoint of another size.
        var other = data.Parts.CheckpointText.Replace("\n5\n", "\n6\n", StringComparison.Ordinal);
        var report = await VerifyAsync(Cosign(CourtA, 0), Cosignature.Sign(CourtB, Seconds(0), other));

        var step = AssertOnlyWitnessesFail(report);
        Assert.StartsWith("1 valid cosignature(s) of the 2", step.Detail, StringComparison.Ordinal);
        Assert.Contains("(forged, or made over another checkpoint): court-b", step.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SameWitnessTwice_CountsOnce()
    {
        var report = await VerifyAsync(Cosign(CourtA, 0), Cosign(CourtA, -30));

        var step = AssertOnlyWitnessesFail(report);
        Assert.StartsWith("1 valid cosignature(s) of the 2 the quorum needs", step.Detail, StringComparison.Ordinal);
        Assert.Contains("counted once, signed more than once: court-a", step.Detail, StringComparison.Ordinal);
        Assert.Single(report.Cosignatures);
    }

    [Fact]
    public async Task Verify_WitnessNotInThePolicy_DoesNotCount()
    {
        var report = await VerifyAsync(Cosign(CourtA, 0), Cosign(Stranger, 0));

        var step = AssertOnlyWitnessesFail(report);
        Assert.Contains($"ignored, by keys the policy does not list: {Stranger.Name}+{Stranger.KeyId:x8}", step.Detail, StringComparison.Ordinal);
        Assert.Contains("missing: court-b, notary", step.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CosignatureTimedInTheFuture_IsNotCounted()
    {
        var report = await VerifyAsync(Cosign(CourtA, 0), Cosign(CourtB, 3600));

        var step = AssertOnlyWitnessesFail(report);
        Assert.Contains("not counted, timestamped in the future: court-b (2026-12-07T13:00:00Z)", step.Detail, StringComparison.Ordinal);

        // Within the allowed clock skew it counts.
        Assert.True((await VerifyAsync(Cosign(CourtA, 0), Cosign(CourtB, 300))).IsValid);
    }

    [Fact]
    public async Task Verify_NoPolicy_SkipsTheStepWithTheReason()
    {
        var report = await VerifyAsync(policy: null, Cosign(CourtA, 0));

        var step = report.Steps.Single(s => s.Name == Step);
        Assert.True(step.Skipped);
        Assert.StartsWith("no witness policy given", step.Detail, StringComparison.Ordinal);
        Assert.True(report.IsValid);
    }

    [Fact]
    public async Task Verify_PolicyForAnotherLog_Fails()
    {
        var policy = WitnessPolicy.Parse($"log {ReceiptParts.LogKey("other.test/log", 9).VerifierKey}\nwitness court-a {CourtA.Key}\nquorum court-a\n");

        var report = await VerifyAsync(policy, Cosign(CourtA, 0));

        var step = AssertOnlyWitnessesFail(report);
        Assert.StartsWith("the policy accepts only log(s) other.test/log+", step.Detail, StringComparison.Ordinal);
        Assert.True((await VerifyAsync(WitnessPolicy.Parse($"log {data.Parts.Signer.VerifierKey}\nwitness court-a {CourtA.Key}\nquorum court-a\n"), Cosign(CourtA, 0))).IsValid);
    }

    [Fact]
    public async Task Verify_QuorumNone_Passes()
    {
        var report = await VerifyAsync(WitnessPolicy.Parse("quorum none\n"));

        Assert.True(report.IsValid);
        Assert.StartsWith("the policy requires no cosignature (quorum none)", report.Steps.Single(s => s.Name == Step).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NestedGroups_ReportsTheQuorumInWords()
    {
        var policy = WitnessPolicy.Parse($"""
            witness court-a {CourtA.Key}
            witness court-b {CourtB.Key}
            group courts any court-a court-b
            witness notary {Notary.Key}
            group both all courts notary
            quorum both
            """);

        Assert.True((await VerifyAsync(policy, Cosign(CourtB, 0), Cosign(Notary, 0))).IsValid);
        var step = AssertOnlyWitnessesFail(await VerifyAsync(policy, Cosign(CourtA, 0), Cosign(CourtB, 0)));
        Assert.StartsWith("2 valid cosignature(s) do not meet the quorum (all of courts (1 of court-a, court-b), notary)", step.Detail, StringComparison.Ordinal);
        Assert.Contains("missing: notary", step.Detail, StringComparison.Ordinal);
    }

    private static WitnessSigner Witness(string name, byte seed) =>
        WitnessSigner.FromSeed(name, Enumerable.Repeat(seed, WitnessSigner.SeedSize).ToArray());

    private static ulong Seconds(int offset) => (ulong)Now.AddSeconds(offset).ToUnixTimeSeconds();

    /// <summary>The base64 field of <paramref name="line"/> with its key ID replaced.</summary>
    private static string Rekey(string line, uint keyId)
    {
        var field = Convert.FromBase64String(line.TrimEnd('\n')[(line.LastIndexOf(' ') + 1)..]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(field, keyId);
        return Convert.ToBase64String(field);
    }

    private static VerificationStep AssertOnlyWitnessesFail(VerificationReport report)
    {
        var failed = report.Steps.Where(s => s.Failed).ToList();
        Assert.True(failed.Count == 1 && failed[0].Name == Step, string.Join("\n", report.Steps));
        Assert.True(report.Steps.Single(s => s.Name == "checkpoint signature").Passed);
        return failed[0];
    }

    private string Cosign(WitnessSigner witness, int offset) => Cosignature.Sign(witness, Seconds(offset), data.Parts.CheckpointText);

    private Task<VerificationReport> VerifyAsync(params string[] lines) => VerifyAsync(TwoOfThree, lines);

    private async Task<VerificationReport> VerifyAsync(WitnessPolicy? policy, params string[] lines)
    {
        var parts = data.Parts with { SignedCheckpoint = data.Parts.SignedCheckpoint + string.Concat(lines) };
        var zip = ReceiptTestData.Write(parts, data.Tsa);
        var trust = new ReceiptTrust { LogKey = data.Parts.Signer.VerifierKey, TsaCas = data.Trust.TsaCas, Witnesses = policy, Clock = new FixedClock(Now) };
        using var stream = new MemoryStream(zip);
        await using var package = await ReceiptArchive.OpenAsync(stream);
        return await ReceiptVerifier.VerifyAsync(package.Evidence, trust);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
