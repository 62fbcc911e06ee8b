using System.Text;
using EvidenceChain.Api.V1;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Proofs;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using EvidenceChain.Verifier;

namespace EvidenceChain.Node.IntegrationTests.Infrastructure;

/// <summary>Checks of tokens and receipts from a node, the way a relying party would make them (openssl, pinned keys).</summary>
public static class Timestamps
{
    /// <summary>The node's TSA CA certificate, <c>keys/tsa-ca.pem</c>: what a verifier pins.</summary>
    public static string TsaCaPath(this TestNode node) => Path.Combine(node.DataPath, "keys", "tsa-ca.pem");

    /// <summary>Runs <c>openssl ts -verify -data</c> over <paramref name="data"/> and the response, against <paramref name="caFile"/>.</summary>
    public static async Task<OpensslResult> OpensslVerifyAsync(byte[] data, byte[] response, string caFile)
    {
        using var temp = new TempFolder();
        await File.WriteAllBytesAsync(temp.Sub("data"), data);
        await File.WriteAllBytesAsync(temp.Sub("r.tsr"), response);
        return await Openssl.VerifyDataAsync(temp.Sub("data"), temp.Sub("r.tsr"), caFile);
    }

    /// <summary>
    /// Asserts that the receipt is for <paramref name="index"/>, that its proof verifies under the node's pinned log key
    /// at its checkpoint, and that openssl accepts its token over the checkpoint's note text under <paramref name="tsaCa"/>.
    /// </summary>
    public static async Task<TlogProof> AssertValidAsync(Receipt receipt, ulong index, TestNode node, string tsaCa)
    {
        Assert.Equal(index, receipt.Index);
        Assert.Equal(Rfc6962.HashLeaf(receipt.Leaf.Span).ToString(), receipt.LeafHash);
        var proof = TlogProof.Parse(Encoding.UTF8.GetBytes(receipt.TlogProof));
        Assert.Equal(index, proof.Index);
        var report = EntryVerifier.Verify(receipt.Leaf.Span, index, proof.Hashes, proof.Checkpoint, node.LogKey());
        Assert.True(report.IsValid, string.Join('\n', report.Steps));
        Assert.Equal($"{receipt.TreeSize}", proof.Checkpoint.Split('\n')[1]);
        Assert.Equal(proof.CheckpointText, Encoding.UTF8.GetString(CheckpointTimestamper.NoteText(proof.Checkpoint)));
        Openssl.AssertVerified(await OpensslVerifyAsync(CheckpointTimestamper.NoteText(proof.Checkpoint), receipt.TimestampResponse.ToByteArray(), tsaCa));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", receipt.TimestampTime);
        Assert.Equal((await File.ReadAllTextAsync(Path.Combine(node.DataPath, "keys", "log.vkey"))).Trim(), receipt.LogVerifierKey.Trim());
        return proof;
    }
}
