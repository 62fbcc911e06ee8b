using System.Net;
using System.Security.Cryptography;
using EvidenceChain.Api.V1;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using EvidenceChain.Testing.Postgres;
using Google.Protobuf;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// Two nodes on one postgres log: a front-end's look-ups find what the sequencer appended (the shared digest index
/// follows the published log), and a front-end's receipt request completes once the sequencer timestamps the checkpoint.
/// </summary>
public sealed class SharedLogReadsTests
{
    private static readonly string[] NoBrowser = ["--Capture:BrowserPath", "none"];
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    [Fact]
    public async Task FrontEnd_FindsTheSequencersEntries_AndItsReceiptWaitCompletesOnTheSequencersToken()
    {
        using var temp = new TempFolder();
        await using var first = await TestNode.StartAsync(temp.Sub("a"), NoBrowser);
        var submitter = await first.CreateKeyAsync("submitter");
        CopyFolder(Path.Combine(first.DataPath, "keys"), Path.Combine(temp.Sub("b"), "keys")); // every process of a log uses one keys folder
        await using var second = await TestNode.StartAsync(
            temp.Sub("b"), [.. NoBrowser, "--Storage:PostgresSchema", PostgresNodeDatabase.SchemaFor(first.DataPath)]);
        Assert.Contains(second.Logs.Records, r => r.Message.Contains("as a front-end", StringComparison.Ordinal));

        // Appended by the sequencer, looked up on the front-end at once: by content digest and by leaf hash.
        var content = RandomNumberGenerator.GetBytes(300);
        var onSequencer = await PostFileAsync(first, submitter, content, waitForReceipt: false);
        var found = await new EvidenceService.EvidenceServiceClient(second.Channel).FindEntriesAsync(
            new FindEntriesRequest { Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)) });
        Assert.Equal(onSequencer.Entry.Index, Assert.Single(found.Entries).Index);
        var proof = await new LogService.LogServiceClient(second.Channel).GetInclusionProofAsync(
            new GetInclusionProofRequest { LeafHash = onSequencer.Entry.LeafHash });
        Assert.Equal(onSequencer.Entry.Index, proof.Index);

        // Preserved through the front-end, waiting for the receipt: the sequencer's process stamps the checkpoint.
        var onFrontEnd = await PostFileAsync(second, submitter, RandomNumberGenerator.GetBytes(300), waitForReceipt: true);
        Assert.NotNull(onFrontEnd.Receipt);
        await Timestamps.AssertValidAsync(onFrontEnd.Receipt, onFrontEnd.Entry.Index, second, first.TsaCaPath());
        first.AssertNoErrors();
        second.AssertNoErrors();
    }

    private static async Task<PreserveFileResponse> PostFileAsync(TestNode node, string key, byte[] content, bool waitForReceipt)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/files?file_name=f.bin&wait_for_receipt={(waitForReceipt ? "true" : "false")}")
        {
            Content = new ByteArrayContent(content),
        };
        request.Headers.Authorization = new("Bearer", key);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await node.Http.SendAsync(request, cancel.Token);
        var body = await response.Content.ReadAsStringAsync(cancel.Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return Parser.Parse<PreserveFileResponse>(body);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
