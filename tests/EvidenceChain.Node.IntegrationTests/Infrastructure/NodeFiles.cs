using EvidenceChain.Core;
using EvidenceChain.Core.Notes;
using EvidenceChain.Storage;
using EvidenceChain.Testing.Node;

namespace EvidenceChain.Node.IntegrationTests.Infrastructure;

/// <summary>What a node keeps in its data folder, read the way an operator or auditor would.</summary>
public static class NodeFiles
{
    /// <summary>The log's verifier key, <c>keys/log.vkey</c>: what a verifier pins.</summary>
    public static NoteVerifier LogKey(string dataPath) =>
        NoteVerifier.Parse(File.ReadAllText(Path.Combine(dataPath, "keys", "log.vkey")).Trim());

    public static NoteVerifier LogKey(this TestNode node) => LogKey(node.DataPath);

    /// <summary>The node's blob store opened for reading (packs and files), as <c>evidencectl audit</c> opens it.</summary>
    public static FileBlobStore Blobs(string dataPath) => new(Path.Combine(dataPath, "blobs"), writer: false);

    /// <summary>True when the running node's storage (whatever its driver) holds content with this SHA-256.</summary>
    public static bool HasBlob(this TestNode node, string sha256Hex)
    {
        using var stream = node.Node.Storage.Blobs.OpenRead(Hash.Parse(sha256Hex));
        return stream is not null;
    }

    /// <summary>Fails when the content with <paramref name="sha256Hex"/> is stored, or an upload left a temporary file.</summary>
    public static void AssertNothingKept(this TestNode node, string sha256Hex)
    {
        Assert.False(node.HasBlob(sha256Hex), $"The blob {sha256Hex} was kept.");
        var temp = Path.Combine(node.DataPath, "blobs", "tmp");
        Assert.Empty(Directory.Exists(temp) ? Directory.EnumerateFiles(temp) : []);
    }
}
