using System.IO.Compression;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Core.Notes;
using EvidenceChain.Verifier.Cases;

namespace EvidenceChain.Node.IntegrationTests.Cases;

/// <summary>Under the national crypto profile the manifest lists SM3 digests and carries the SM2 line as well.</summary>
public sealed class CaseNationalCryptoTests(CaseNationalCryptoTests.Fixture fixture) : IClassFixture<CaseNationalCryptoTests.Fixture>
{
    [Fact]
    public async Task Export_NationalProfile_ManifestHasSm3AndBothSignatureLinesAndVerifies()
    {
        var node = fixture.Node;
        var manager = await node.CreateKeyAsync("case-manager");
        var exhibit = await node.PreserveAsync(fixture.SubmitterKey, 7);
        var id = (await node.CreateAsync(manager, "SM")).Case.Id;
        await node.AttachAsync(manager, id, exhibit);

        var (_, zip) = await node.ExportAsync(manager, id);

        using var stream = new MemoryStream(zip);
        var report = await CaseExportVerifier.VerifyAsync(stream, node.Trust());
        Assert.True(report.IsValid, CaseLifecycleTests.Describe(report));
        Assert.NotNull(Assert.Single(Assert.Single(report.Manifest!.Items).Artefacts).Sm3);
        using var archive = new ZipArchive(new MemoryStream(zip));
        using var reader = new StreamReader(archive.GetEntry(CaseExportMembers.Manifest)!.Open());
        var note = await reader.ReadToEndAsync();
        var sm2 = NoteVerifier.Parse(File.ReadAllText(Path.Combine(node.DataPath, "keys", "log-sm2.vkey")).Trim());
        Assert.True(SignedNote.Open(note, [sm2]).IsValid);
        Assert.True(SignedNote.Open(note, [node.LogKey(), sm2]).IsValid);
        node.AssertNoErrors();
    }

    public sealed class Fixture : NodeFixture
    {
        protected override string[] Settings => ["--NationalCrypto", "true"];
    }
}
