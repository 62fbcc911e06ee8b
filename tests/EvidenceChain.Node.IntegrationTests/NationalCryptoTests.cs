using EvidenceChain.Core.Digests;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Core.Notes;
using EvidenceChain.Storage;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>A node started with <c>NationalCrypto=true</c>: SM3 digests and the SM2 checkpoint line (docs/formats.md §6a).</summary>
public sealed class NationalCryptoTests(NationalCryptoTests.Fixture fixture) : IClassFixture<NationalCryptoTests.Fixture>
{
    private readonly Fixture _fixture = fixture;

    private TestNode Node => _fixture.Node;

    private NoteVerifier Sm2Key =>
        NoteVerifier.Parse(File.ReadAllText(Path.Combine(Node.DataPath, "keys", LogKeyFiles.Sm2VerifierKeyFile)).TrimEnd('\n'));

    [Fact]
    public async Task Checkpoint_Http_HasEd25519AndSm2LinesAndEachVerifies()
    {
        await PreserveAsync(Node, _fixture.SubmitterKey, Bytes(300, seed: 5), "a.bin", "application/octet-stream");

        var note = await Node.Http.GetStringAsync("/checkpoint");

        var lines = note[(note.LastIndexOf("\n\n", StringComparison.Ordinal) + 2)..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var byEd = CheckpointNote.Open(note, Node.LogKey());
        var bySm2 = CheckpointNote.Open(note, Sm2Key);
        Assert.True(byEd.IsValid, byEd.Message);
        Assert.True(bySm2.IsValid, bySm2.Message);
        Assert.Equal(byEd.Checkpoint, bySm2.Checkpoint);
        Assert.True(CheckpointNote.Open(note, [Node.LogKey(), Sm2Key]).IsValid);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task Checkpoint_Sm2Line_VerifiesWithOpenSslAndTheNodesPemFile()
    {
        using var temp = new TempFolder();
        var note = await Node.Http.GetStringAsync("/checkpoint");
        var (text, signature) = Sm2OpenSsl.Extract(note, Sm2Key);
        File.WriteAllBytes(temp.Sub("msg"), text);
        File.WriteAllBytes(temp.Sub("sig"), signature);

        var (exitCode, output) = Sm2OpenSsl.Run(
            "pkeyutl", "-verify", "-pubin", "-inkey", Path.Combine(Node.DataPath, "keys", LogKeyFiles.Sm2PublicKeyPemFile),
            "-rawin", "-digest", "sm3", "-in", temp.Sub("msg"), "-sigfile", temp.Sub("sig"), "-pkeyopt", "distid:" + Sm2OpenSsl.DistId);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Preserve_ArtefactHasSm3Digest()
    {
        var content = Bytes(1000, seed: 6);

        var response = await PreserveAsync(Node, _fixture.SubmitterKey, content, "b.bin", "application/octet-stream");

        Assert.Equal(ArtefactHasher.Sm3(content).ToString(), Assert.Single(response.Entry.Artefacts).Sm3);
        Assert.True(CheckpointNote.Open(response.SignedCheckpoint, Sm2Key).IsValid);
    }

    [Fact]
    public void Start_LogsWhereTheSm2VerifierKeyIs()
    {
        Assert.Contains(Node.Logs.Records, r => r.EventId == 120 && r.Message.Contains(Sm2Key.ToString(), StringComparison.Ordinal));
    }

    public sealed class Fixture : NodeFixture
    {
        protected override string[] Settings => ["--NationalCrypto", "true"];
    }
}
