using EvidenceChain.Notes;
using EvidenceChain.Testing.Node;

namespace EvidenceChain.Node.IntegrationTests.Infrastructure;

/// <summary>What a node keeps in its data folder, read the way an operator or auditor would.</summary>
public static class NodeFiles
{
    /// <summary>The log's verifier key, <c>keys/log.vkey</c>: what a verifier pins.</summary>
    public static NoteVerifier LogKey(string dataPath) =>
        NoteVerifier.Parse(File.ReadAllText(Path.Combine(dataPath, "keys", "log.vkey")).Trim());

    public static NoteVerifier LogKey(this TestNode node) => LogKey(node.DataPath);

    /// <summary>Where the blob store keeps content with this SHA-256.</summary>
    public static string BlobPath(string dataPath, string sha256Hex) =>
        Path.Combine(dataPath, "blobs", "sha256", sha256Hex[..2], sha256Hex[2..4], sha256Hex);

    /// <summary>Fails when the content with <paramref name="sha256Hex"/> is stored, or an upload left a temporary file.</summary>
    public static void AssertNothingKept(this TestNode node, string sha256Hex)
    {
        Assert.False(File.Exists(BlobPath(node.DataPath, sha256Hex)), $"The blob {sha256Hex} was kept.");
        var temp = Path.Combine(node.DataPath, "blobs", "tmp");
        Assert.Empty(Directory.Exists(temp) ? Directory.EnumerateFiles(temp) : []);
    }
}
