using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EvidenceChain.Core.Notes;
using EvidenceChain.Web.Tests.Infrastructure;

namespace EvidenceChain.Web.Tests;

/// <summary>A receipt from a real node, verified on the node's page in chromium: good, tampered, pinned otherwise.</summary>
public sealed class ReceiptPageTests(PageFixture fixture) : IClassFixture<PageFixture>
{
    private const string Artefact = "artefact file";

    private static readonly string[] ReceiptSteps = ["proof format", "checkpoint signature", "leaf format", "leaf identity", "inclusion", "timestamp", "checkpoint text"];

    [ChromiumFact]
    public async Task GoodReceiptWithItsOriginal_Verified_EveryStepPassesUnderTheCliStepNames()
    {
        await using var session = await fixture.OpenAsync();

        var verdict = await session.VerifyAsync(fixture.Receipt, fixture.Original);
        await session.ScreenshotAsync("receipt-verified-1280");

        Assert.Equal("pass", verdict);
        var steps = await session.StepsAsync();
        Assert.All(ReceiptSteps, s => Assert.Equal("pass", steps[s]));
        Assert.Equal("pass", steps[Artefact]); // the original, checked under the entry's (neutral) artefact name
        Assert.DoesNotContain("fail", steps.Values);
        var text = await session.Page.InnerTextAsync("[data-verdict]");
        Assert.Contains("VERIFIED", text, StringComparison.Ordinal);
        Assert.Contains(fixture.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), await session.Page.InnerTextAsync(".facts"), StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT", await session.Page.InnerTextAsync("#gentime"));
        Assert.Equal("same", await session.Page.GetAttributeAsync("[data-claimed='log key']", "data-match"));
    }

    [ChromiumFact]
    public async Task GoodReceipt_At390Pixels_VerifiedAndScreenshot()
    {
        await using var session = await fixture.OpenAsync(width: 390);

        var verdict = await session.VerifyAsync(fixture.Receipt, fixture.Original);
        await session.ScreenshotAsync("receipt-verified-390");

        Assert.Equal("pass", verdict);
        var overflow = await session.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "the page scrolls sideways at 390 px");
    }

    [ChromiumFact]
    public async Task EntryByteChanged_FailsAtInclusion()
    {
        var leaf = Encoding.UTF8.GetString(await ReadMemberAsync(fixture.Receipt, "entry.json"));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(fixture.Original)));
        var at = leaf.IndexOf(sha256, StringComparison.Ordinal);
        Assert.True(at >= 0, leaf);
        var tampered = fixture.Tamper(fixture.Receipt, "entry-byte.evidence.zip", "entry.json", b =>
        {
            var copy = (byte[])b.Clone();
            copy[at] = (byte)(copy[at] == (byte)'0' ? '1' : '0'); // another digest: still a well-formed leaf, another leaf hash
            return copy;
        });

        await AssertFailsAtAsync(tampered, "inclusion");
    }

    [ChromiumFact]
    public async Task ProofHashChanged_FailsAtInclusion()
    {
        var tampered = fixture.Tamper(fixture.Receipt, "proof-hash.evidence.zip", "proof.tlog-proof", b =>
        {
            var lines = Encoding.UTF8.GetString(b).Split('\n');
            var hash = Convert.FromBase64String(lines[2]);
            hash[0] ^= 1;
            lines[2] = Convert.ToBase64String(hash);
            return Encoding.UTF8.GetBytes(string.Join('\n', lines));
        });

        await AssertFailsAtAsync(tampered, "inclusion");
    }

    [ChromiumFact]
    public async Task TokenByteChanged_FailsAtTimestamp()
    {
        var tampered = fixture.Tamper(fixture.Receipt, "token-byte.evidence.zip", "checkpoint.tsr", b =>
        {
            var copy = (byte[])b.Clone();
            copy[^5] ^= 0x40; // in the signature
            return copy;
        });

        await AssertFailsAtAsync(tampered, "timestamp");
    }

    [ChromiumFact]
    public async Task OriginalByteChanged_FailsAtItsArtefactStep()
    {
        var folder = Directory.CreateDirectory(Path.Combine(fixture.Folder, "changed")).FullName;
        var changed = Path.Combine(folder, "contract.pdf");
        var bytes = await File.ReadAllBytesAsync(fixture.Original);
        bytes[100_000] ^= 1;
        await File.WriteAllBytesAsync(changed, bytes);

        await AssertFailsAtAsync(fixture.Receipt, Artefact, changed);
    }

    [ChromiumFact]
    public async Task AnotherLogsKeyPinned_FailsAtCheckpointSignature_AndTheReceiptsCopyDiffers()
    {
        await using var session = await fixture.OpenAsync();
        var origin = fixture.Node.Node.Ledger.Origin;
        var other = NoteSigner.FromSeed(origin, RandomNumberGenerator.GetBytes(32)).VerifierKey.ToString();

        Assert.Equal("none", await session.PinAsync(other));
        var verdict = await session.VerifyAsync(fixture.Receipt);

        Assert.Equal("fail", verdict);
        var steps = await session.StepsAsync();
        Assert.Equal("fail", steps["checkpoint signature"]);
        Assert.Equal("differs", await session.Page.GetAttributeAsync("[data-claimed='log key']", "data-match"));
        Assert.Contains("checkpoint signature", await session.Page.InnerTextAsync("#verdict-reason"), StringComparison.Ordinal);
        Assert.Contains("pasted by you", await session.Page.InnerTextAsync("[data-anchor='log-key']"), StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task WrongTsaCaPinned_FailsAtTimestamp()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Some other TSA root", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        await using var session = await fixture.OpenAsync();

        await session.PinAsync(ca.ExportCertificatePem());
        var verdict = await session.VerifyAsync(fixture.Receipt);

        Assert.Equal("fail", verdict);
        Assert.Equal("fail", (await session.StepsAsync())["timestamp"]);
        Assert.Contains("CN=Some other TSA root", await session.Page.InnerTextAsync("[data-anchor='tsa-ca']"), StringComparison.Ordinal);
    }

    private async Task AssertFailsAtAsync(string receipt, string step, params string[] originals)
    {
        await using var session = await fixture.OpenAsync();

        var verdict = await session.VerifyAsync([receipt, .. originals]);

        Assert.Equal("fail", verdict);
        var steps = await session.StepsAsync();
        Assert.True(steps.TryGetValue(step, out var result), $"no step {step}: {string.Join(", ", steps)}");
        Assert.Equal("fail", result);
        Assert.Contains(step + ":", await session.Page.InnerTextAsync("#verdict-reason"), StringComparison.Ordinal);
    }

    private static async Task<byte[]> ReadMemberAsync(string zip, string member)
    {
        using var archive = System.IO.Compression.ZipFile.OpenRead(zip);
        await using var stream = archive.GetEntry(member)!.Open();
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
