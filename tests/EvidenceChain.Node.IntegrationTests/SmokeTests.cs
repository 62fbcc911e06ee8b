using EvidenceChain.Api.V1;
using EvidenceChain.Testing.Node;
using Google.Protobuf;

namespace EvidenceChain.Node.IntegrationTests;

public sealed class SmokeTests
{
    [Fact]
    public async Task PreserveFile_SubmitterKey_EntryIsFoundByDigestAndProven()
    {
        await using var node = await TestNode.StartAsync();
        var key = await node.CreateKeyAsync("submitter");
        var content = "hello evidence"u8.ToArray();

        using var call = node.Evidence.PreserveFile(TestNode.As(key));
        await call.RequestStream.WriteAsync(new PreserveFileRequest { Metadata = new FileMetadata { FileName = "a.txt", MediaType = "text/plain" } });
        await call.RequestStream.WriteAsync(new PreserveFileRequest { Chunk = ByteString.CopyFrom(content) });
        await call.RequestStream.CompleteAsync();
        var response = await call;

        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        var found = await node.Evidence.FindEntriesAsync(new FindEntriesRequest { Sha256 = sha256 });
        Assert.Equal(response.Entry.Index, Assert.Single(found.Entries).Index);
        var proof = await node.Log.GetInclusionProofAsync(new GetInclusionProofRequest { Index = response.Entry.Index });
        Assert.Equal(response.Entry.LeafHash, proof.LeafHash);
        node.AssertNoErrors();
    }
}
