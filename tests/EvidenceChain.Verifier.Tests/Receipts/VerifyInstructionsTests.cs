using System.IO.Compression;
using System.Text;
using EvidenceChain.Verifier.Receipts;

namespace EvidenceChain.Verifier.Tests.Receipts;

/// <summary>A receipt's VERIFY.txt: commands that run the same in cmd, PowerShell and a POSIX shell.</summary>
public sealed class VerifyInstructionsTests(ReceiptTestData data) : IClassFixture<ReceiptTestData>
{
    // What one of cmd, PowerShell or a POSIX shell reads differently from the others, or lacks.
    private static readonly string[] ShellSpecific = ["$(", "$", "`", "'", "|", ">", "<", ";", "&&", "sed ", "cmp ", "cat ", "printf", "sha256sum", "unzip", "for "];

    private static string Instructions(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        using var reader = new StreamReader(archive.GetEntry("VERIFY.txt")!.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static IEnumerable<string> Commands(string instructions) =>
        instructions.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("openssl ", StringComparison.Ordinal) || l.StartsWith("evidencectl ", StringComparison.Ordinal));

    [Fact]
    public void Write_Commands_UseNoShellSpecificSyntaxAndPassKeysAsFiles()
    {
        var text = Instructions(data.Zip);
        var commands = Commands(text).ToList();

        Assert.Contains("openssl dgst -sha256 artefacts/hello.txt", commands);
        Assert.DoesNotContain("$(", text, StringComparison.Ordinal);
        Assert.All(commands, c => Assert.DoesNotContain(ShellSpecific, c.Contains));
        Assert.Contains("evidencectl verify proof.tlog-proof --entry entry.json --log-key LOG.vkey --tsr checkpoint.tsr --tsa-ca TSA-CA.pem", commands);
    }

    [Theory]
    [InlineData("my receipt.evidence.zip", "evidencectl verify \"my receipt.evidence.zip\" --log-key")]
    [InlineData("a$b.evidence.zip", "evidencectl verify FILE.evidence.zip --log-key")]
    [InlineData("-x.evidence.zip", "evidencectl verify FILE.evidence.zip --log-key")]
    public async Task Write_AWordNotEveryShellReadsAlike_QuotedOrAStandIn(string fileName, string expected)
    {
        using var output = new MemoryStream();
        await ReceiptArchive.WriteAsync(output, ReceiptTestData.Contents(data.Parts, data.Tsa) with { FileName = fileName });

        Assert.Contains(expected, Instructions(output.ToArray()), StringComparison.Ordinal);
    }
}
