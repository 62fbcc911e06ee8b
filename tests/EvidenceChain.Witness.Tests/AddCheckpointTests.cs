using System.Net;
using EvidenceChain.Core.Notes;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Witness.Tests;

/// <summary>Every answer of <c>POST /add-checkpoint</c> (c2sp.org/tlog-witness), over real Kestrel.</summary>
public sealed class AddCheckpointTests
{
    private static readonly TestLog Log = new TestLog("example.org/log", 1).Grow(40);

    [Fact]
    public async Task FirstCheckpoint_OldZero_ReturnsCosignatureThatVerifies()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);

        var (status, _, body) = await witness.PostAsync(Log.Request(0, 5));

        Assert.True(status == 200, string.Join("\n", witness.Logs.Entries.Select(e => e.Message)));
        var cosigned = Log.Checkpoint(5) + body;
        var opened = CheckpointNote.Open(cosigned, Log.Key.VerifierKey);
        Assert.True(opened.IsValid, opened.Message);
        Assert.True(Cosignature.TryParseLine(body, out var line));
        Assert.True(Cosignature.TryVerify(witness.Host.Key, SignedNote.TextOf(cosigned)!, line, out var timestamp));
        Assert.InRange((long)timestamp, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
    }

    [Fact]
    public async Task ChainOfCheckpoints_EachWithItsProof_AllCosigned()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);
        int[] sizes = [1, 2, 3, 7, 8, 8, 16, 17, 33, 40];

        var previous = 0;
        foreach (var size in sizes)
        {
            var (status, _, body) = await witness.PostAsync(Log.Request(previous, size));
            Assert.True(status == 200, $"size {previous} -> {size}: {status} {body}");
            previous = size;
        }

        Assert.Equal(40UL, (await witness.PostAsync(Log.Request(0, 40))).Body is "40\n" ? 40UL : 0UL);
    }

    [Fact]
    public async Task UnknownOrigin_Returns404()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);
        var other = new TestLog("example.org/other", 2).Grow(3);

        var (status, _, body) = await witness.PostAsync(other.Request(0, 3));

        Assert.Equal(404, status);
        Assert.Contains("unknown log", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedByOtherKeyOfSameName_Returns403()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);
        var impostor = new TestLog("example.org/log", 9).Grow(5);

        var (status, _, body) = await witness.PostAsync(impostor.Request(0, 5));

        Assert.Equal(403, status);
        Assert.Contains("not signed", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KnownKeyLineThatFails_Returns403()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);
        var checkpoint = Log.Checkpoint(5).Replace("\n5\n", "\n6\n", StringComparison.Ordinal);

        var (status, _, _) = await witness.PostAsync(TestLog.Body(0, [], checkpoint));

        Assert.Equal(403, status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("old\n\n")]
    [InlineData("old 05\n\n")]
    [InlineData("old -1\n\n")]
    [InlineData("old 1 \n\n")]
    [InlineData("old 99999999999999999999\n\n")]
    [InlineData("new 0\n\n")]
    [InlineData("old 0\n")]
    [InlineData("old 0\nnot base64\n\n")]
    [InlineData("old 0\nAAAA\n\n")]
    [InlineData("old 0\n\n")]
    [InlineData("old 0\n\nexample.org/log\nno blank line before signatures\n")]
    public async Task MalformedBody_Returns400(string prefix)
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);
        var body = prefix.EndsWith("\n\n", StringComparison.Ordinal) && prefix != "old 0\n\n" ? prefix + Log.Checkpoint(3) : prefix;

        var (status, _, text) = await witness.PostAsync(body);

        Assert.True(status == 400, $"{status}: {text}");
    }

    [Fact]
    public async Task SixtyFourProofLines_Returns400()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);

        var (status, _, body) = await witness.PostAsync(TestLog.Body(1, Enumerable.Repeat(Log.Root(1), 64), Log.Checkpoint(3)));

        Assert.Equal(400, status);
        Assert.Contains("63", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OldAboveSize_Returns400()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);

        var (status, _, _) = await witness.PostAsync(TestLog.Body(6, [], Log.Checkpoint(5)));

        Assert.Equal(400, status);
    }

    [Fact]
    public async Task OldNotTheCosignedSize_Returns409WithSize()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);
        Assert.Equal(200, (await witness.PostAsync(Log.Request(0, 7))).Status);

        var fromZero = await witness.PostAsync(Log.Request(0, 9));
        var fromWrong = await witness.PostAsync(Log.Request(3, 9));

        Assert.Equal((409, "text/x.tlog.size", "7\n"), fromZero);
        Assert.Equal((409, "text/x.tlog.size", "7\n"), fromWrong);
    }

    [Fact]
    public async Task NeverCosigned_OldAboveZero_Returns409WithZero()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);

        Assert.Equal((409, "text/x.tlog.size", "0\n"), await witness.PostAsync(Log.Request(3, 9)));
    }

    [Fact]
    public async Task BadConsistencyProof_Returns422AndWarns()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);
        Assert.Equal(200, (await witness.PostAsync(Log.Request(0, 7))).Status);
        var proof = Log.Proof(7, 20);
        proof[0] = Log.Root(3);

        var (status, _, _) = await witness.PostAsync(TestLog.Body(7, proof, Log.Checkpoint(20)));
        var (shortStatus, _, _) = await witness.PostAsync(TestLog.Body(7, proof[..^1], Log.Checkpoint(20)));

        Assert.Equal(422, status);
        Assert.Equal(422, shortStatus);
        Assert.Contains(witness.Logs.Entries, e => e.Level == LogLevel.Warning && e.EventId == 903);
        Assert.Equal((409, "text/x.tlog.size", "7\n"), await witness.PostAsync(Log.Request(0, 20)));
    }

    [Fact]
    public async Task ProofFromZero_Returns422()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);

        var (status, _, _) = await witness.PostAsync(TestLog.Body(0, [Log.Root(1)], Log.Checkpoint(5)));

        Assert.Equal(422, status);
    }

    [Fact]
    public async Task SizeZero_EmptyRootCosigned_OtherRootIs422()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);
        var wrong = CheckpointNote.Sign(new Checkpoint(Log.Key.Name, 0, Log.Root(1)), Log.Key);

        Assert.Equal(422, (await witness.PostAsync(TestLog.Body(0, [], wrong))).Status);
        Assert.Equal(200, (await witness.PostAsync(Log.Request(0, 0))).Status);
        Assert.Equal(200, (await witness.PostAsync(Log.Request(0, 4))).Status);
    }

    [Fact]
    public async Task SameSizeSameRoot_CosignedAgain()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);
        Assert.Equal(200, (await witness.PostAsync(Log.Request(0, 7))).Status);

        var again = await witness.PostAsync(Log.Request(7, 7));

        Assert.Equal(200, again.Status);
        Assert.Equal(200, (await witness.PostAsync(Log.Request(7, 9))).Status);
    }

    [Fact]
    public async Task BodyOverLimit_Returns413()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);

        var (status, _, _) = await witness.PostAsync(Log.Request(0, 3) + new string('x', WitnessEndpoints.MaxRequestBytes));

        Assert.Equal(413, status);
    }

    [Fact]
    public async Task GetMethod_IsNotAddCheckpoint()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);

        using var response = await witness.Http.GetAsync("/add-checkpoint");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task MonitoringAndKey_ServeLatestCosignedCheckpointAndVkey()
    {
        await using var witness = await WitnessServer.StartAsync(null, Log.Key.VerifierKey);
        var path = $"/{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("example.org/log"u8))}/checkpoint";
        using var before = await witness.Http.GetAsync(path);
        var (_, _, line) = await witness.PostAsync(Log.Request(0, 6));

        var served = await witness.Http.GetStringAsync(path);
        var vkey = await witness.Http.GetStringAsync("/witness.vkey");

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal(Log.Checkpoint(6) + line, served);
        Assert.Equal(witness.Host.Key + "\n", vkey);
    }
}
