using System.Text;
using EvidenceChain.Api.V1;
using EvidenceChain.Core;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing.Node;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>A node witnessing another node's log (Witness:Logs) at POST /add-checkpoint on its HTTP port.</summary>
public sealed class WitnessTests
{
    [Fact]
    public async Task NodeWitnessingAnotherNode_CosignsEachCheckpointWithItsConsistencyProof()
    {
        await using var log = await TestNode.StartAsync();
        var logKey = (await File.ReadAllTextAsync(Path.Combine(log.DataPath, "keys", "log.vkey"))).Trim();
        await using var witness = await TestNode.StartAsync(null, "--Witness:Logs:0:Key", logKey, "--Witness:Name", "court.test/witness");
        var vkey = WitnessKey.Parse((await witness.Http.GetStringAsync("/witness.vkey")).Trim());
        var submitter = await log.CreateKeyAsync("submitter");
        Assert.Equal("court.test/witness", vkey.Name);
        Assert.Equal(vkey + "\n", await File.ReadAllTextAsync(Path.Combine(witness.DataPath, "keys", "witness.vkey")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(witness.DataPath, "keys", "witness.key")));
        }

        ulong cosigned = 0;
        for (var i = 0; i < 5; i++)
        {
            await PreserveAsync(log, submitter, Encoding.UTF8.GetBytes($"item {i}"), $"item-{i}.txt");
            var checkpoint = await log.Log.GetCheckpointAsync(new GetCheckpointRequest());
            var proof = cosigned == 0 || cosigned == checkpoint.TreeSize
                ? []
                : (await log.Log.GetConsistencyProofAsync(new GetConsistencyProofRequest { Size1 = cosigned, Size2 = checkpoint.TreeSize })).Hashes.Select(Hash.Parse);
            var body = $"old {cosigned}\n{string.Concat(proof.Select(h => h.ToBase64() + "\n"))}\n{checkpoint.SignedNote}";

            using var response = await witness.Http.PostAsync("/add-checkpoint", new StringContent(body));
            var line = await response.Content.ReadAsStringAsync();

            Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {line}");
            Assert.True(Cosignature.TryParseLine(line, out var parsed));
            Assert.True(Cosignature.TryVerify(vkey, SignedNote.TextOf(checkpoint.SignedNote)!, parsed, out _));
            Assert.True(CheckpointNote.Open(checkpoint.SignedNote + line, NoteVerifier.Parse(logKey)).IsValid);
            cosigned = checkpoint.TreeSize;
        }

        using var stale = await witness.Http.PostAsync("/add-checkpoint", new StringContent($"old 0\n\n{(await log.Log.GetCheckpointAsync(new GetCheckpointRequest())).SignedNote}"));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal($"{cosigned}\n", await stale.Content.ReadAsStringAsync());
        witness.AssertNoErrors();
    }

    [Fact]
    public async Task NodeWithoutWitnessLogs_HasNoAddCheckpoint()
    {
        await using var node = await TestNode.StartAsync();

        using var response = await node.Http.PostAsync("/add-checkpoint", new StringContent("old 0\n\n"));

        Assert.False(response.IsSuccessStatusCode);
        Assert.NotEqual(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(File.Exists(Path.Combine(node.DataPath, "keys", "witness.key")));
    }

    [Fact]
    public async Task BadWitnessLogKey_NodeDoesNotStart()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => TestNode.StartAsync(null, "--Witness:Logs:0:Key", "not a key"));

        Assert.Contains("Witness:Logs:0:Key is not a log verifier key", e.Message, StringComparison.Ordinal);
    }
}
