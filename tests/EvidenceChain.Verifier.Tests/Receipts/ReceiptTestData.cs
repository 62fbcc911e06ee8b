using System.IO.Compression;
using EvidenceChain.Testing.Timestamps;
using EvidenceChain.Verifier.Receipts;
using EvidenceChain.Verifier.Timestamps;

namespace EvidenceChain.Verifier.Tests.Receipts;

/// <summary>One openssl TSA and one genuine receipt (with both artefacts) for a test class.</summary>
public sealed class ReceiptTestData : IDisposable
{
    public ReceiptTestData()
    {
        Parts = ReceiptParts.Create(Tsa);
        Zip = Write(Parts, Tsa);
    }

    public OpenSslTsa Tsa { get; } = new();

    public ReceiptParts Parts { get; }

    public byte[] Zip { get; }

    public ReceiptTrust Trust => new() { LogKey = Parts.Signer.VerifierKey, TsaCas = TimestampVerifier.ReadPem(Tsa.CaPem) };

    public static ReceiptContents Contents(ReceiptParts parts, OpenSslTsa tsa, bool withArtefacts = true) => new()
    {
        Leaf = parts.Leaf,
        Index = parts.Index,
        ProofHashes = parts.Proof,
        SignedCheckpoint = parts.SignedCheckpoint,
        TimestampResponse = parts.TimestampResponse,
        LogVerifierKey = parts.Signer.VerifierKey.ToString(),
        TsaChainPem = tsa.ChainPem,
        Artefacts = withArtefacts
            ? [.. parts.Artefacts.Select(a => new ReceiptArtefact(a.Key, _ => Task.FromResult<Stream>(new MemoryStream(a.Value))))]
            : [],
        FileName = "entry-3.evidence.zip",
    };

    public static byte[] Write(ReceiptParts parts, OpenSslTsa tsa, bool withArtefacts = true)
    {
        using var output = new MemoryStream();
        ReceiptArchive.WriteAsync(output, Contents(parts, tsa, withArtefacts)).GetAwaiter().GetResult();
        return output.ToArray();
    }

    /// <summary>A copy of <paramref name="zip"/> with <paramref name="change"/> applied to its members.</summary>
    public static byte[] Rewrite(byte[] zip, Func<string, byte[], byte[]?> change, params (string Name, byte[] Bytes)[] extra)
    {
        using var input = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var member in input.Entries)
            {
                using var buffer = new MemoryStream();
                using (var stream = member.Open())
                {
                    stream.CopyTo(buffer);
                }

                var bytes = change(member.FullName, buffer.ToArray());
                if (bytes is not null)
                {
                    Add(archive, member.FullName, bytes);
                }
            }

            foreach (var (name, bytes) in extra)
            {
                Add(archive, name, bytes);
            }
        }

        return output.ToArray();
    }

    public void Dispose() => Tsa.Dispose();

    private static void Add(ZipArchive archive, string name, byte[] bytes)
    {
        using var stream = archive.CreateEntry(name).Open();
        stream.Write(bytes);
    }
}
