using System.Text.Json;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Timestamps;
using EvidenceChain.Verifier.Receipts;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary><c>evidencectl verify --policy</c>: a receipt whose checkpoint two of three witnesses cosigned, against policy files.</summary>
public sealed class VerifyPolicyTests : IClassFixture<VerifyPolicyTests.Cosigned>
{
    private readonly Cosigned _receipt;

    public VerifyPolicyTests(Cosigned receipt) => _receipt = receipt;

    /// <summary>A receipt cosigned by court-a and notary (real witness keys, cosigned now), and policy files beside it.</summary>
    public sealed class Cosigned : IDisposable
    {
        public Cosigned()
        {
            var parts = ReceiptParts.Create(Tsa);
            var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            parts = parts with
            {
                SignedCheckpoint = parts.SignedCheckpoint
                    + Cosignature.Sign(CourtA, now, parts.CheckpointText)
                    + Cosignature.Sign(Notary, now, parts.CheckpointText),
            };
            LogKey = parts.Signer.VerifierKey.ToString();
            Zip = Folder.Sub("entry-3.evidence.zip");
            using (var output = File.Create(Zip))
            {
                ReceiptArchive.WriteAsync(output, new ReceiptContents
                {
                    Leaf = parts.Leaf,
                    Index = parts.Index,
                    ProofHashes = parts.Proof,
                    SignedCheckpoint = parts.SignedCheckpoint,
                    TimestampResponse = parts.TimestampResponse,
                    LogVerifierKey = LogKey,
                    TsaChainPem = Tsa.ChainPem,
                    Artefacts = [],
                }).GetAwaiter().GetResult();
            }
        }

        public static WitnessSigner CourtA { get; } = Witness("court-a.example/witness", 41);

        public static WitnessSigner CourtB { get; } = Witness("court-b.example/witness", 42);

        public static WitnessSigner Notary { get; } = Witness("notary.example/witness", 43);

        public TempFolder Folder { get; } = new();

        public OpenSslTsa Tsa { get; } = new();

        public string Zip { get; }

        public string LogKey { get; }

        public string Policy(string name, string text)
        {
            var path = Folder.Sub(name);
            File.WriteAllText(path, text);
            return path;
        }

        public void Dispose()
        {
            Tsa.Dispose();
            Folder.Dispose();
        }

        private static WitnessSigner Witness(string name, byte seed) =>
            WitnessSigner.FromSeed(name, Enumerable.Repeat(seed, WitnessSigner.SeedSize).ToArray());
    }

    private static string TwoOf(params WitnessSigner[] witnesses) =>
        $"""
        # {witnesses.Length} witnesses, two must cosign
        {string.Join("\n", witnesses.Select((w, i) => $"witness w{i} {w.Key}"))}
        group quorum-group 2 {string.Join(' ', witnesses.Select((_, i) => $"w{i}"))}
        quorum quorum-group

        """;

    [Fact]
    public async Task Verify_PolicyMet_PassesTheWitnessesStepAndNamesTheWitnesses()
    {
        var policy = _receipt.Policy("met.policy", TwoOf(Cosigned.CourtA, Cosigned.CourtB, Cosigned.Notary));

        var result = await Cli.RunAsync("verify", _receipt.Zip, "--log-key", _receipt.LogKey, "--tsa-ca", _receipt.Tsa.CaPemPath, "--policy", policy);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.OutLines, l => l.StartsWith("PASS witnesses: 2 valid cosignature(s) over the checkpoint of size 5 meet the quorum (2 of w0, w1, w2): w0 at ", StringComparison.Ordinal));
        Assert.StartsWith("verified: every step passed; trusted time: genTime ", result.OutLines[^1], StringComparison.Ordinal);
        Assert.EndsWith("; witnessed: w0, w2 (policy 2 of w0, w1, w2)", result.OutLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_PolicyNotMet_FailsWithTheReasonAndExitsOne()
    {
        // Only court-a of these three cosigned.
        var other = WitnessSigner.FromSeed("other.example/witness", Enumerable.Repeat((byte)44, WitnessSigner.SeedSize).ToArray());
        var policy = _receipt.Policy("unmet.policy", TwoOf(Cosigned.CourtA, Cosigned.CourtB, other));

        var result = await Cli.RunAsync("verify", _receipt.Zip, "--log-key", _receipt.LogKey, "--tsa-ca", _receipt.Tsa.CaPemPath, "--policy", policy, "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        using var document = JsonDocument.Parse(result.Out);
        Assert.False(document.RootElement.GetProperty("verified").GetBoolean());
        Assert.False(document.RootElement.GetProperty("witnessPolicyChecked").GetBoolean());
        var step = document.RootElement.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "witnesses");
        Assert.Equal("fail", step.GetProperty("result").GetString());
        var detail = step.GetProperty("detail").GetString()!;
        Assert.StartsWith("1 valid cosignature(s) of the 2 the quorum needs (2 of w0, w1, w2)", detail, StringComparison.Ordinal);
        Assert.Contains("missing: w1, w2", detail, StringComparison.Ordinal);
        Assert.Contains("ignored, by keys the policy does not list: notary.example/witness+", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WithoutPolicy_TheStepIsSkipped()
    {
        var result = await Cli.RunAsync("verify", _receipt.Zip, "--log-key", _receipt.LogKey, "--tsa-ca", _receipt.Tsa.CaPemPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.OutLines, l => l.StartsWith("SKIP witnesses: no witness policy given", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_PolicyNamingTheLog_StandsInForLogKey()
    {
        var policy = _receipt.Policy("with-log.policy", $"log {_receipt.LogKey}\n" + TwoOf(Cosigned.CourtA, Cosigned.Notary));

        var result = await Cli.RunAsync("verify", _receipt.Zip, "--tsa-ca", _receipt.Tsa.CaPemPath, "--policy", policy);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.OutLines, l => l.StartsWith("PASS checkpoint signature: ", StringComparison.Ordinal));
        Cli.AssertUsage(
            await Cli.RunAsync("verify", _receipt.Zip, "--tsa-ca", _receipt.Tsa.CaPemPath, "--policy", _receipt.Policy("no-log.policy", TwoOf(Cosigned.CourtA, Cosigned.Notary))),
            "--log-key is required (or a --policy whose log line names the log)");
    }

    [Theory]
    [InlineData("dup", "line 3: duplicate witness: w1 has the same public key as w0 (line 2)")]
    [InlineData("unknown", "line 3: group g: unknown member \"w9\"")]
    [InlineData("k-too-big", "line 3: group g: k = 3 is more than its 2 member(s)")]
    [InlineData("k-zero", "line 3: group g: k = 0; k must be at least 1")]
    [InlineData("bad-key", "line 2: bad key for witness w0: ")]
    public async Task Verify_BadPolicyFile_IsUsageWithOneLine(string name, string reason)
    {
        var a = Cosigned.CourtA.Key.ToString();
        var b = Cosigned.CourtB.Key.ToString();
        var text = name switch
        {
            "dup" => $"# dup\nwitness w0 {a}\nwitness w1 {a}\nquorum w0\n",
            "unknown" => $"# unknown\nwitness w0 {a}\ngroup g 1 w0 w9\nquorum g\n",
            "k-too-big" => $"witness w0 {a}\nwitness w1 {b}\ngroup g 3 w0 w1\nquorum g\n",
            "k-zero" => $"witness w0 {a}\nwitness w1 {b}\ngroup g 0 w0 w1\nquorum g\n",
            _ => $"# bad key\nwitness w0 {a[..^4]}AAA=\nquorum w0\n",
        };
        var policy = _receipt.Policy(name + ".policy", text);

        var result = await Cli.RunAsync("verify", _receipt.Zip, "--log-key", _receipt.LogKey, "--tsa-ca", _receipt.Tsa.CaPemPath, "--policy", policy);

        Cli.AssertUsage(result, $"--policy {policy}: {reason}");
    }

    [Fact]
    public async Task Verify_MissingPolicyFile_IsUsage()
    {
        var missing = _receipt.Folder.Sub("missing.policy");

        Cli.AssertUsage(await Cli.RunAsync("verify", _receipt.Zip, "--log-key", _receipt.LogKey, "--tsa-ca", _receipt.Tsa.CaPemPath, "--policy", missing), $"--policy {missing}: no such file");
    }
}
