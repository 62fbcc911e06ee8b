using System.Security.Cryptography;
using EvidenceChain.Api.V1;
using EvidenceChain.Testing.Node;
using Google.Protobuf;
using Grpc.Core;

namespace EvidenceChain.Node.IntegrationTests.Infrastructure;

/// <summary>PreserveFile and DownloadArtefact calls as tests need them, including malformed message sequences.</summary>
public static class Uploads
{
    public static PreserveFileRequest Metadata(
        string fileName = "a.txt", string mediaType = "text/plain", string title = "", string description = "", string expectedSha256 = "") =>
        new()
        {
            Metadata = new FileMetadata
            {
                FileName = fileName, MediaType = mediaType, Title = title, Description = description, ExpectedSha256 = expectedSha256,
            },
        };

    public static PreserveFileRequest Chunk(ReadOnlySpan<byte> bytes) => new() { Chunk = ByteString.CopyFrom(bytes) };

    public static PreserveFileRequest Trailer(string expectedSha256) => new() { Trailer = new FileTrailer { ExpectedSha256 = expectedSha256 } };

    /// <summary>
    /// Sends <paramref name="messages"/> as one PreserveFile call and returns the reply. When the node ends the call
    /// early (a refused message), the writes that follow fail; the node's status is then what the reply throws.
    /// </summary>
    public static async Task<PreserveFileResponse> SendAsync(TestNode node, string key, params PreserveFileRequest[] messages)
    {
        using var call = node.Evidence.PreserveFile(TestNode.As(key));
        try
        {
            foreach (var message in messages)
            {
                await call.RequestStream.WriteAsync(message);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException or HttpRequestException)
        {
            // The node has answered already; its status comes with the response below.
        }

        return await call.ResponseAsync;
    }

    /// <summary>Preserves <paramref name="content"/> in chunks of <paramref name="chunkSize"/> bytes.</summary>
    public static Task<PreserveFileResponse> PreserveAsync(
        TestNode node, string key, byte[] content, string fileName = "a.txt", string mediaType = "text/plain", int chunkSize = 64 * 1024,
        string title = "", string description = "", string expectedSha256 = "") =>
        SendAsync(node, key, [Metadata(fileName, mediaType, title, description, expectedSha256), .. content.Chunk(chunkSize).Select(c => Chunk(c))]);

    /// <summary>Downloads an artefact over gRPC: its description, the content, and how many chunks carried it.</summary>
    public static async Task<(Artefact Artefact, byte[] Content, int Chunks)> DownloadAsync(TestNode node, string key, ulong index, string name)
    {
        using var call = node.Evidence.DownloadArtefact(new DownloadArtefactRequest { Index = index, Name = name }, TestNode.As(key));
        Artefact? artefact = null;
        using var content = new MemoryStream();
        var chunks = 0;
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            if (message.PartCase == DownloadArtefactResponse.PartOneofCase.Artefact)
            {
                Assert.Null(artefact);
                Assert.Equal(0, chunks);
                artefact = message.Artefact;
            }
            else
            {
                Assert.NotNull(artefact);
                message.Chunk.WriteTo(content);
                chunks++;
            }
        }

        Assert.NotNull(artefact);
        return (artefact, content.ToArray(), chunks);
    }

    /// <summary>Reproducible pseudo-random content.</summary>
    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256Hex(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The public id part of a bearer token <c>id.secret</c>.</summary>
    public static string KeyId(string token) => token[..token.IndexOf('.', StringComparison.Ordinal)];
}
