using System.Globalization;
using System.Text;
using System.Text.Json;
using EvidenceChain.Cli.Tests.Node;

namespace EvidenceChain.Cli.Tests.Commands;

/// <summary>evidencectl certificate against a real node: the PDF is written whole, once, and only where asked.</summary>
public sealed class CertificateCommandTests(CliNode node) : IClassFixture<CliNode>
{
    private static string I(ulong index) => index.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Certificate_NoKey_WritesTheSignedPdfAndSaysHowToCheckIt()
    {
        var index = await node.PreserveNewAsync();
        var folder = node.NewFolder();
        var output = Path.Combine(folder, "c.pdf");

        var result = await Cli.RunAsync(node.Args(null, "certificate", I(index), "-o", output));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches($@"^wrote {System.Text.RegularExpressions.Regex.Escape(output)}: certificate EC-[0-9A-F]{{8}}-{index:D10} of entry {index}, \d+ bytes, SHA-256 [0-9a-f]{{64}}$", result.OutLines[0]);
        Assert.Contains("pdfsig", result.OutLines[1], StringComparison.Ordinal);
        Assert.Equal([output], Directory.GetFiles(folder)); // no partial file left beside it
        var pdf = await File.ReadAllBytesAsync(output);
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
        Assert.Contains("/ETSI.CAdES.detached", Encoding.Latin1.GetString(pdf), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_Json_OneDocumentWithNumberAndDigest()
    {
        var index = await node.PreserveNewAsync();
        var output = Path.Combine(node.NewFolder(), "c.pdf");

        var result = await Cli.RunAsync(node.Args(null, "certificate", I(index), "-o", output, "--json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(index, json.RootElement.GetProperty("index").GetUInt64());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(output))), json.RootElement.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Certificate_UnknownIndex_ExitsOneWithTheNodesNotFound()
    {
        var output = Path.Combine(node.NewFolder(), "c.pdf");

        var result = await Cli.RunAsync(node.Args(null, "certificate", "999999", "-o", output));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("NotFound", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Certificate_WithArtefactsNoKey_ExitsOneUnauthenticated()
    {
        var index = await node.PreserveNewAsync();
        var output = Path.Combine(node.NewFolder(), "c.pdf");

        var result = await Cli.RunAsync(node.Args(null, "certificate", I(index), "-o", output, "--with-artefacts"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Unauthenticated", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }
}
