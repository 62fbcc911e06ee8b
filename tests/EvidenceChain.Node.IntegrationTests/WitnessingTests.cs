using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Api.V1;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Proofs;
using EvidenceChain.Node.IntegrationTests.Cases;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Storage;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using EvidenceChain.Verifier.Receipts;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// The node as a log that collects cosignatures (issue 19): witnesses on real Kestrel hosts, a 2-of-3 policy,
/// witnesses going down or hanging, the cosigned checkpoint served and put into receipts, health, and the settings.
/// </summary>
public sealed class WitnessingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CallOptions Wait => new(deadline: DateTime.UtcNow.AddSeconds(60));

    /// <summary>The witnesses whose cosignature lines in <paramref name="note"/> verify over its text under their keys.</summary>
    private static List<string> CosignedBy(string note, IEnumerable<TestWitness> witnesses)
    {
        var body = SignedNote.TextOf(note)!;
        var lines = note[body.Length..].Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => Cosignature.TryParseLine(l + "\n", out var line) ? line : null)
            .OfType<NoteSignature>()
            .ToList();
        return [.. witnesses.Where(w => lines.Any(l => Cosignature.TryVerify(w.Key, body, l, out _))).Select(w => w.Key.Name)];
    }

    private static string ProofCheckpoint(Receipt receipt) => TlogProof.Parse(Encoding.UTF8.GetBytes(receipt.TlogProof)).Checkpoint;

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}; last: {value}");
            await Task.Delay(50);
        }
    }

    private static async Task<HealthReportEntry> WitnessHealthAsync(TestNode node) =>
        (await node.Node.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "witnesses")).Entries["witnesses"];

    private static async Task<HealthCheckResponse.Types.ServingStatus> WitnessServingAsync(TestNode node) =>
        (await new Health.HealthClient(node.Channel).CheckAsync(new HealthCheckRequest { Service = "witnesses" })).Status;

    [Fact]
    public async Task TwoOfThree_AllUp_ReceiptAndServedCheckpointCarryCosignaturesAndVerifyUnderTheLogKeyAlone()
    {
        await using var log = await WitnessedLog.StartAsync(3, quorum: 2);
        var key = await log.Node.CreateKeyAsync("submitter");

        var preserved = await PreserveAsync(log.Node, key, Bytes(100, seed: 1));
        var receipt = await log.Node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = preserved.Entry.Index, Wait = true }, Wait);

        var proof = await Timestamps.AssertValidAsync(receipt, preserved.Entry.Index, log.Node, log.Node.TsaCaPath()); // log key alone
        Assert.True(CosignedBy(proof.Checkpoint, log.Witnesses).Count >= 2, proof.Checkpoint);
        using (var zip = new MemoryStream(await log.Node.Http.GetByteArrayAsync($"/v1/entries/{preserved.Entry.Index}/receipt.zip?wait=true")))
        await using (var package = await ReceiptArchive.OpenAsync(zip))
        {
            var report = await ReceiptVerifier.VerifyAsync(package.Evidence, log.Node.Trust());
            Assert.True(report.IsValid, string.Join('\n', report.Steps));
            Assert.True(CosignedBy(TlogProof.Parse(package.Evidence.Proof.Span).Checkpoint, log.Witnesses).Count >= 2);
        }

        // The newest checkpoint, served with every cosignature once its round is done, at /checkpoint and in the API.
        var latest = await EventuallyAsync(
            () => log.Node.Log.GetCheckpointAsync(new GetCheckpointRequest()).ResponseAsync,
            c => c.CosignedBy.Count == 3 && c.TreeSize == log.Node.Node.Ledger.Size,
            "the latest checkpoint cosigned by all three");
        Assert.Equal(log.Witnesses.Select(w => w.Key.Name), latest.CosignedBy);
        Assert.Equal(log.Witnesses.Select(w => w.Key.Name), CosignedBy(latest.SignedNote, log.Witnesses));
        Assert.StartsWith(log.Node.Node.Ledger.Latest.SignedNote, latest.SignedNote, StringComparison.Ordinal);
        Assert.Equal(latest.SignedNote, await log.Node.Http.GetStringAsync("/checkpoint"));
        var opened = CheckpointNote.Open(latest.SignedNote, log.Node.LogKey()); // what `evidencectl note verify --key LOG.vkey` does
        Assert.True(opened.IsValid, opened.Message);
        Assert.Equal(3, opened.Note.UnknownSignatures.Count);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await WitnessServingAsync(log.Node));
    }

    [Fact]
    public async Task TwoOfThree_OneWitnessDown_ReceiptsStillCosignedByTheOtherTwo()
    {
        await using var log = await WitnessedLog.StartAsync(3, quorum: 2);
        var key = await log.Node.CreateKeyAsync("submitter");
        await log.Witnesses[0].StopAsync();

        var preserved = await PreserveAsync(log.Node, key, Bytes(100, seed: 2));
        var receipt = await log.Node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = preserved.Entry.Index, Wait = true }, Wait);

        var proof = await Timestamps.AssertValidAsync(receipt, preserved.Entry.Index, log.Node, log.Node.TsaCaPath());
        Assert.Equal([log.Witnesses[1].Key.Name, log.Witnesses[2].Key.Name], CosignedBy(proof.Checkpoint, log.Witnesses));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await WitnessServingAsync(log.Node));
        Assert.Contains(log.Node.Logs.Records, r => r.EventId == 31 && r.Message.Contains(log.Witnesses[0].Key.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoOfThree_TwoWitnessesDown_ReceiptsCarryFewerCosignaturesAndHealthSaysThePolicyIsUnmet()
    {
        await using var log = await WitnessedLog.StartAsync(3, quorum: 2);
        var key = await log.Node.CreateKeyAsync("submitter");
        log.ExpectUnhealthy();
        await log.Witnesses[0].StopAsync();
        await log.Witnesses[1].StopAsync();
        await PreserveAsync(log.Node, key, Bytes(10, seed: 3)); // a checkpoint the two can no longer cosign

        var health = await EventuallyAsync(() => WitnessHealthAsync(log.Node), h => h.Status == HealthStatus.Unhealthy, "health to say the policy is unmet");
        var preserved = await PreserveAsync(log.Node, key, Bytes(100, seed: 4));
        var receipt = await log.Node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = preserved.Entry.Index, Wait = true }, Wait);

        var proof = await Timestamps.AssertValidAsync(receipt, preserved.Entry.Index, log.Node, log.Node.TsaCaPath());
        Assert.True(CosignedBy(proof.Checkpoint, log.Witnesses).Count < 2, proof.Checkpoint);
        Assert.Equal(preserved.Entry.Index + 1, receipt.TreeSize); // the earliest timestamped checkpoint covering it
        Assert.Contains("1 of the 2 witnesses needed", health.Description, StringComparison.Ordinal);
        Assert.Contains(log.Witnesses[0].Key.Name, health.Description, StringComparison.Ordinal);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await WitnessServingAsync(log.Node));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(log.Node.Channel).CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task TwoOfThree_WitnessesBackLater_ReceiptAskedAgainIsCosigned()
    {
        await using var log = await WitnessedLog.StartAsync(3, quorum: 2);
        var key = await log.Node.CreateKeyAsync("submitter");
        log.ExpectUnhealthy();
        log.Witnesses[0].Refuse = log.Witnesses[1].Refuse = true;
        await PreserveAsync(log.Node, key, Bytes(10, seed: 8)); // a checkpoint the two refuse to cosign
        await EventuallyAsync(() => WitnessHealthAsync(log.Node), h => h.Status == HealthStatus.Unhealthy, "the policy to be unmet");
        var preserved = await PreserveAsync(log.Node, key, Bytes(100, seed: 5));
        var first = await log.Node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = preserved.Entry.Index, Wait = true }, Wait);
        Assert.True(CosignedBy(ProofCheckpoint(first), log.Witnesses).Count < 2);

        log.Witnesses[0].Refuse = log.Witnesses[1].Refuse = false;
        var refreshed = await EventuallyAsync(
            () => log.Node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = preserved.Entry.Index, Wait = true }, Wait).ResponseAsync,
            r => CosignedBy(ProofCheckpoint(r), log.Witnesses).Count >= 2,
            "a receipt at a cosigned checkpoint");

        await Timestamps.AssertValidAsync(refreshed, preserved.Entry.Index, log.Node, log.Node.TsaCaPath());
        Assert.True(refreshed.TreeSize > preserved.Entry.Index);
    }

    [Fact]
    public async Task HangingWitness_AppendsAreNotHeldUp_AndTheOthersStillCosign()
    {
        await using var log = await WitnessedLog.StartAsync(3, quorum: 2, "--Witnesses:RequestTimeout", "00:01:00", "--Witnesses:MaxLag", "00:01:00");
        var key = await log.Node.CreateKeyAsync("submitter");
        log.Witnesses[0].Hang = true;
        await PreserveAsync(log.Node, key, Bytes(10, seed: 6));
        await EventuallyAsync(() => Task.FromResult(log.Witnesses[0].Requests), n => n >= 1, "a request to hang");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        PreserveFileResponse? last = null;
        for (var i = 0; i < 10; i++)
        {
            last = await PreserveAsync(log.Node, key, Bytes(100, seed: 100 + i));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"10 appends took {clock.Elapsed} while a witness hung (its time-out is 60 s)");
        var receipt = await log.Node.Evidence.GetReceiptAsync(new GetReceiptRequest { Index = last!.Entry.Index, Wait = true }, Wait);
        var proof = await Timestamps.AssertValidAsync(receipt, last.Entry.Index, log.Node, log.Node.TsaCaPath());
        Assert.Equal([log.Witnesses[1].Key.Name, log.Witnesses[2].Key.Name], CosignedBy(proof.Checkpoint, log.Witnesses));
    }

    [Fact]
    public async Task WitnessHoldingALargerTree_ConflictLoggedAsErrorAndReportedInHealth()
    {
        await using var log = await WitnessedLog.StartAsync(2, quorum: 1, witnessesFirst: w => w[1].Hold(1000, new Core.Hash(new byte[32])));
        var forked = log.Witnesses[1].Key.Name;
        log.Node.ExpectError(32, "EvidenceChain.Ledger.Witnessing.CheckpointCosigner", forked);
        log.ExpectUnhealthy();

        var health = await EventuallyAsync(() => WitnessHealthAsync(log.Node), h => h.Description?.Contains("conflict", StringComparison.Ordinal) == true, "the conflict in health");

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains($"conflict at witness {forked}", health.Description, StringComparison.Ordinal);
        Assert.Contains("size 1000", health.Description, StringComparison.Ordinal);
        Assert.Contains(log.Node.Logs.Records, r => r.EventId == 32 && r.Message.Contains(forked, StringComparison.Ordinal) && r.Message.Contains("1000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restart_WitnessesDown_CosignaturesOfTheLatestCheckpointStillServed()
    {
        await using var log = await WitnessedLog.StartAsync(2, quorum: 2);
        var key = await log.Node.CreateKeyAsync("submitter");
        await PreserveAsync(log.Node, key, Bytes(10, seed: 7));
        var cosigned = await EventuallyAsync(
            () => log.Node.Http.GetStringAsync("/checkpoint"), c => CosignedBy(c, log.Witnesses).Count == 2 && c.StartsWith(log.Node.Node.Ledger.Latest.SignedNote, StringComparison.Ordinal), "the cosigned checkpoint");
        foreach (var w in log.Witnesses)
        {
            await w.StopAsync();
        }

        await log.RestartAsync();

        Assert.Equal(cosigned, await log.Node.Http.GetStringAsync("/checkpoint"));
    }

    [Theory]
    [InlineData("key", "Witnesses:List:0:Key \"not-a-key\" is not a witness cosigner key")]
    [InlineData("url", "Witnesses:List:0:Url must be the witness's absolute http or https URL")]
    [InlineData("quorum", "Witnesses:Quorum must be between 1 and the 2 witnesses listed; got 3")]
    [InlineData("twice", "Witnesses:List:1: witness witness.test/w1 is listed twice")]
    [InlineData("no-list", "Witnesses:Quorum is 1 but Witnesses:List names no witness")]
    public async Task Start_BadWitnessSettings_RefusedWithOneLine(string fault, string message)
    {
        var w1 = WitnessSigner.FromSeed("witness.test/w1", new byte[WitnessSigner.SeedSize]).Key.ToString();
        var w2 = WitnessSigner.FromSeed("witness.test/w2", Enumerable.Repeat((byte)1, WitnessSigner.SeedSize).ToArray()).Key.ToString();
        string[] settings = fault switch
        {
            "key" => ["--Witnesses:List:0:Key", "not-a-key", "--Witnesses:List:0:Url", "http://127.0.0.1:1"],
            "url" => ["--Witnesses:List:0:Key", w1, "--Witnesses:List:0:Url", "/relative"],
            "quorum" => ["--Witnesses:List:0:Key", w1, "--Witnesses:List:0:Url", "http://127.0.0.1:1", "--Witnesses:List:1:Key", w2, "--Witnesses:List:1:Url", "http://127.0.0.1:2", "--Witnesses:Quorum", "3"],
            "twice" => ["--Witnesses:List:0:Key", w1, "--Witnesses:List:0:Url", "http://127.0.0.1:1", "--Witnesses:List:1:Key", w1, "--Witnesses:List:1:Url", "http://127.0.0.1:2"],
            _ => ["--Witnesses:Quorum", "1"],
        };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => TestNode.StartAsync(null, settings));

        var reason = e.InnerException as ArgumentException;
        Assert.NotNull(reason);
        Assert.StartsWith(message, reason.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reason.Message);
    }

    /// <summary>A node whose log key was made first, and witnesses that trust it, listed in the node's settings.</summary>
    private sealed class WitnessedLog : IAsyncDisposable
    {
        private readonly TempFolder _temp;
        private readonly string[] _settings;

        private WitnessedLog(TempFolder temp, TestWitness[] witnesses, TestNode node, string[] settings)
        {
            _temp = temp;
            Witnesses = witnesses;
            Node = node;
            _settings = settings;
        }

        public TestWitness[] Witnesses { get; }

        public TestNode Node { get; private set; }

        /// <summary>Declares the error the health check service logs for every unhealthy "witnesses" result.</summary>
        public void ExpectUnhealthy() =>
            Node.ExpectError(103, "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", "Health check witnesses with status Unhealthy");

        public static async Task<WitnessedLog> StartAsync(int count, int quorum, params string[] extra) =>
            await StartAsync(count, quorum, null, extra);

        public static async Task<WitnessedLog> StartAsync(int count, int quorum, Action<TestWitness[]>? witnessesFirst, params string[] extra)
        {
            var temp = new TempFolder();
            var data = temp.Sub("data");
            var signer = NoteSigner.FromSeed("witnessing.test/log", RandomNumberGenerator.GetBytes(NoteSigner.SeedSize));
            LogKeyFiles.Write(Path.Combine(data, "keys"), signer);
            var witnesses = new TestWitness[count];
            for (var i = 0; i < count; i++)
            {
                witnesses[i] = await TestWitness.StartAsync(string.Create(CultureInfo.InvariantCulture, $"witness.test/w{i + 1}"), signer.VerifierKey.ToString());
            }

            witnessesFirst?.Invoke(witnesses);
            var settings = new List<string>
            {
                "--Witnesses:Quorum", quorum.ToString(CultureInfo.InvariantCulture),
                "--Witnesses:MinInterval", "00:00:00.050",
                "--Witnesses:RequestTimeout", "00:00:02",
                "--Witnesses:MaxRetryDelay", "00:00:01",
                "--Witnesses:MaxLag", "00:00:02",
                "--Witnesses:ReceiptWait", "00:00:10",
            };
            for (var i = 0; i < count; i++)
            {
                settings.AddRange([$"--Witnesses:List:{i}:Key", witnesses[i].Key.ToString(), $"--Witnesses:List:{i}:Url", witnesses[i].Url.ToString()]);
            }

            settings.AddRange(extra);
            var node = await TestNode.StartAsync(data, [.. settings]);
            return new WitnessedLog(temp, witnesses, node, [.. settings]);
        }

        public async Task RestartAsync()
        {
            var data = Node.DataPath;
            await Node.DisposeAsync();
            Node = await TestNode.StartAsync(data, _settings);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Node.DisposeAsync();
            }
            finally
            {
                foreach (var w in Witnesses)
                {
                    await w.DisposeAsync();
                }

                _temp.Dispose();
            }
        }
    }
}
