using EvidenceChain.Api.V1;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing.Node;
using EvidenceChain.Verifier.Receipts;
using EvidenceChain.Verifier.Timestamps;

namespace EvidenceChain.Node.IntegrationTests.Cases;

/// <summary>Case calls and trust anchors as the case tests need them.</summary>
public static class CaseClient
{
    public static CaseService.CaseServiceClient Cases(this TestNode node) => new(node.Channel);

    public static Task<CaseChange> CreateAsync(this TestNode node, string key, string title = "Li v. Zhang", string reference = "(2026) Hu 0101 Min Chu 123", params (string Name, string Role)[] parties)
    {
        var request = new CreateCaseRequest { Title = title, Reference = reference };
        request.Parties.AddRange(parties.Select(p => new CaseParty { Name = p.Name, Role = p.Role }));
        return node.Cases().CreateCaseAsync(request, TestNode.As(key)).ResponseAsync;
    }

    public static Task<CaseChange> AttachAsync(this TestNode node, string key, string caseId, ulong index) =>
        node.Cases().AttachEvidenceAsync(new AttachEvidenceRequest { CaseId = caseId, Index = index }, TestNode.As(key)).ResponseAsync;

    public static async Task<ulong> PreserveAsync(this TestNode node, string key, int seed) =>
        (await Uploads.PreserveAsync(node, key, Uploads.Bytes(100 + seed, seed), $"exhibit-{seed}.txt")).Entry.Index;

    /// <summary>Exports over gRPC; checks the chunks against the announced size and SHA-256.</summary>
    public static async Task<(CaseExportInfo Info, byte[] Zip)> ExportAsync(this TestNode node, string key, string caseId, string fileName = "")
    {
        using var call = node.Cases().ExportCase(new ExportCaseRequest { CaseId = caseId, FileName = fileName }, TestNode.As(key));
        return await ReadExportAsync(call.ResponseStream, m => m.PartCase == ExportCaseResponse.PartOneofCase.Info ? m.Info : null, m => m.Chunk, i => (i.Size, i.Sha256));
    }

    /// <summary>Reads a streamed export (its description first, then chunks) and checks the chunks against the announced size and SHA-256.</summary>
    public static async Task<(TInfo Info, byte[] Zip)> ReadExportAsync<TMessage, TInfo>(
        Grpc.Core.IAsyncStreamReader<TMessage> stream, Func<TMessage, TInfo?> info, Func<TMessage, Google.Protobuf.ByteString> chunk, Func<TInfo, (ulong Size, string Sha256)> announced)
        where TInfo : class
    {
        TInfo? description = null;
        using var zip = new MemoryStream();
        while (await stream.MoveNext(CancellationToken.None))
        {
            var message = stream.Current;
            if (info(message) is { } first)
            {
                Assert.Null(description);
                description = first;
            }
            else
            {
                Assert.NotNull(description);
                zip.Write(chunk(message).Span);
            }
        }

        Assert.NotNull(description);
        Assert.Equal(announced(description).Size, (ulong)zip.Length);
        Assert.Equal(announced(description).Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(zip.ToArray())));
        return (description, zip.ToArray());
    }

    /// <summary>What a verifier pins: the log key and the node's TSA CA certificate.</summary>
    public static ReceiptTrust Trust(this TestNode node) => new()
    {
        LogKey = node.LogKey(),
        TsaCas = TimestampVerifier.ReadPem(File.ReadAllText(Path.Combine(node.DataPath, "keys", "tsa-ca.pem"))),
    };
}
