using System.Text;
using System.Text.Json;
using EvidenceChain.Core.Proofs;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Timestamps;
using EvidenceChain.Verifier.Receipts;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary><c>evidencectl verify</c> end to end: receipts written by ReceiptArchive with a real openssl TSA.</summary>
public sealed class VerifyCommandTests : IClassFixture<VerifyCommandTests.Receipt>
{
    private readonly Receipt _receipt;

    public VerifyCommandTests(Receipt receipt) => _receipt = receipt;

    /// <summary>One receipt on disk, with its parts beside it, for the class.</summary>
    public sealed class Receipt : IDisposable
    {
        public Receipt()
        {
            Parts = ReceiptParts.Create(Tsa);
            Zip = Folder.Sub("entry-3.evidence.zip");
            using (var output = File.Create(Zip))
            {
                ReceiptArchive.WriteAsync(output, new ReceiptContents
                {
                    Leaf = Parts.Leaf,
                    Index = Parts.Index,
                    ProofHashes = Parts.Proof,
                    SignedCheckpoint = Parts.SignedCheckpoint,
                    TimestampResponse = Parts.TimestampResponse,
                    LogVerifierKey = Parts.Signer.VerifierKey.ToString(),
                    TsaChainPem = Tsa.ChainPem,
                    Artefacts = [new ReceiptArtefact("hello.txt", _ => Task.FromResult<Stream>(new MemoryStream(Parts.Artefacts["hello.txt"])))],
                }).GetAwaiter().GetResult();
            }

            File.WriteAllBytes(Entry, Parts.Leaf);
            File.WriteAllBytes(Proof, new TlogProof(Parts.Index, Parts.Proof, Parts.SignedCheckpoint).ToBytes());
            File.WriteAllBytes(Tsr, Parts.TimestampResponse);
            File.WriteAllText(KeyFile, Parts.Signer.VerifierKey + "\n");
            File.WriteAllBytes(Warc, Parts.Artefacts["page.warc"]);
        }

        public TempFolder Folder { get; } = new();

        public OpenSslTsa Tsa { get; } = new();

        public ReceiptParts Parts { get; }

        public string Zip { get; }

        public string Entry => Folder.Sub("entry.json");

        public string Proof => Folder.Sub("proof.tlog-proof");

        public string Tsr => Folder.Sub("checkpoint.tsr");

        public string KeyFile => Folder.Sub("log.vkey");

        public string Warc => Folder.Sub("page.warc");

        public string Key => Parts.Signer.VerifierKey.ToString();

        public void Dispose()
        {
            Tsa.Dispose();
            Folder.Dispose();
        }
    }

    private static void AssertLastLine(CliResult result, int exitCode, string start)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.StartsWith(start, result.OutLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_GenuineReceipt_PrintsEveryStepAndExitsZero()
    {
        var result = await Cli.RunAsync("verify", _receipt.Zip, "--log-key", _receipt.Key, "--tsa-ca", _receipt.Tsa.CaPemPath, "--artefact", _receipt.Warc);

        AssertLastLine(result, 0, "verified: every step passed; trusted time: genTime ");
        Assert.Equal(
            ["PASS proof format", "PASS checkpoint signature", "PASS leaf format", "PASS leaf identity", "PASS inclusion", "SKIP witnesses", "PASS timestamp", "PASS checkpoint text", "PASS artefact hello.txt", "PASS artefact page.warc", "SKIP warc records"],
            result.OutLines[..^1].Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]));
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Verify_LogKeyFromAFile_Works()
    {
        var result = await Cli.RunAsync("verify", _receipt.Zip, "--log-key", _receipt.KeyFile, "--tsa-ca", _receipt.Tsa.CaPemPath);

        AssertLastLine(result, 0, "verified: ");
    }

    [Fact]
    public async Task Verify_ChangedArtefactCopy_FailsThatStepAndExitsOne()
    {
        var copy = _receipt.Folder.Sub("changed/page.warc");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        var bytes = (byte[])_receipt.Parts.Artefacts["page.warc"].Clone();
        bytes[100] ^= 1;
        File.WriteAllBytes(copy, bytes);

        var result = await Cli.RunAsync("verify", _receipt.Zip, "--log-key", _receipt.Key, "--tsa-ca", _receipt.Tsa.CaPemPath, "--artefact", copy);

        AssertLastLine(result, 1, "FAILED: artefact page.warc: sha256 ");
        Assert.Contains(result.OutLines, l => l.StartsWith("FAIL artefact page.warc: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_WrongLogKey_ExitsOne()
    {
        var result = await Cli.RunAsync("verify", _receipt.Zip, "--log-key", ReceiptParts.LogKey(seed: 1).VerifierKey.ToString(), "--tsa-ca", _receipt.Tsa.CaPemPath);

        AssertLastLine(result, 1, "FAILED: checkpoint signature: ");
    }

    [Fact]
    public async Task Verify_WrongTsaCa_FailsTheTimestamp()
    {
        var otherCa = _receipt.Folder.Sub("other-ca.pem");
        using (var other = new OpenSslTsa(name: "Other"))
        {
            File.WriteAllText(otherCa, other.CaPem);
        }

        var result = await Cli.RunAsync("verify", _receipt.Zip, "--log-key", _receipt.Key, "--tsa-ca", otherCa);

        AssertLastLine(result, 1, "FAILED: timestamp: ");
    }

    [Fact]
    public async Task Verify_BareProofWithoutTsr_SkipsTheTimestampExplicitly()
    {
        var result = await Cli.RunAsync("verify", _receipt.Proof, "--entry", _receipt.Entry, "--log-key", _receipt.Key);

        AssertLastLine(result, 0, "verified: every step passed, but the trusted time was NOT checked");
        Assert.Contains(result.OutLines, l => l.StartsWith("SKIP timestamp: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_BareProofWithTsrAndArtefact_Passes()
    {
        var result = await Cli.RunAsync("verify", _receipt.Proof, "--entry", _receipt.Entry, "--log-key", _receipt.Key, "--tsr", _receipt.Tsr, "--tsa-ca", _receipt.Tsa.CaPemPath, "--artefact", _receipt.Warc);

        AssertLastLine(result, 0, "verified: every step passed; trusted time: ");
        Assert.Contains(result.OutLines, l => l.StartsWith("PASS artefact page.warc: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_Json_PrintsOneDocument()
    {
        var result = await Cli.RunAsync("verify", _receipt.Zip, "--log-key", _receipt.Key, "--tsa-ca", _receipt.Tsa.CaPemPath, "--json");

        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(result.Out);
        Assert.True(document.RootElement.GetProperty("verified").GetBoolean());
        Assert.Equal(10, document.RootElement.GetProperty("steps").GetArrayLength()); // the witnesses step is SKIP without --policy
    }

    [Theory]
    [InlineData("--tsa-ca PEM is required")]
    public async Task Verify_ZipWithoutTsaCa_IsUsage(string message)
    {
        Cli.AssertUsage(await Cli.RunAsync("verify", _receipt.Zip, "--log-key", _receipt.Key), message);
    }

    [Fact]
    public async Task Verify_UnreadableInputs_AreUsage()
    {
        var notZip = _receipt.Folder.Sub("not.evidence.zip");
        File.WriteAllText(notZip, "hello");

        Cli.AssertUsage(await Cli.RunAsync("verify", notZip, "--log-key", _receipt.Key, "--tsa-ca", _receipt.Tsa.CaPemPath), "not a zip");
        Cli.AssertUsage(await Cli.RunAsync("verify", _receipt.Folder.Sub("missing.zip"), "--log-key", _receipt.Key, "--tsa-ca", _receipt.Tsa.CaPemPath), "no such file");
        Cli.AssertUsage(await Cli.RunAsync("verify", _receipt.Zip, "--log-key", "nonsense", "--tsa-ca", _receipt.Tsa.CaPemPath), "--log-key");
        Cli.AssertUsage(await Cli.RunAsync("verify", _receipt.Zip, "--log-key", _receipt.Key, "--tsa-ca", _receipt.Entry), "holds no PEM certificate");
        Cli.AssertUsage(await Cli.RunAsync("verify", _receipt.Proof, "--log-key", _receipt.Key), "--entry");
    }

    [Fact]
    public async Task Verify_MissingArtefactFile_IsUsageNamingIt()
    {
        var missing = _receipt.Folder.Sub("missing.warc");

        var result = await Cli.RunAsync("verify", _receipt.Zip, "--log-key", _receipt.Key, "--tsa-ca", _receipt.Tsa.CaPemPath, "--artefact", missing);

        Cli.AssertUsage(result, $"--artefact {missing}: no such file");
    }

    [Fact]
    public async Task Verify_OpensslAgreesWithVerifyTxt()
    {
        // The command VERIFY.txt gives, run on the receipt's unzipped members with the pinned CA.
        var folder = _receipt.Folder.Sub("unzipped");
        System.IO.Compression.ZipFile.ExtractToDirectory(_receipt.Zip, folder, overwriteFiles: true);

        var (code, output) = _receipt.Tsa.TryRun("ts", "-verify", "-data", Path.Combine(folder, "checkpoint.txt"), "-in", Path.Combine(folder, "checkpoint.tsr"), "-CAfile", _receipt.Tsa.CaPemPath, "-untrusted", Path.Combine(folder, "trust", "tsa-chain.pem"));

        Assert.True(code == 0, output);
        Assert.Contains("Verification: OK", output, StringComparison.Ordinal);
        Assert.Contains("openssl ts -verify -data checkpoint.txt -in checkpoint.tsr", File.ReadAllText(Path.Combine(folder, "VERIFY.txt"), Encoding.UTF8), StringComparison.Ordinal);
    }
}
