using System.Security.Cryptography;
using EvidenceChain.Merkle;

namespace EvidenceChain.Internal;

/// <summary>Start-up checks that a fast kernel agrees with .NET's SHA-256 before it is trusted.</summary>
internal static class Sha256SelfTest
{
    /// <summary>
    /// Hashes batches of every size up to 40 pairs (whole vector groups, every tail length, both tail paths)
    /// and compares each parent with SHA-256 of the node message.
    /// </summary>
    public static bool HashPairsMatchesManaged(ISha256Kernel kernel)
    {
        var children = new Hash[80];
        var bytes = new byte[EvidenceChain.Hash.Size];
        for (var i = 0; i < children.Length; i++)
        {
            for (var j = 0; j < bytes.Length; j++)
            {
                bytes[j] = unchecked((byte)((i * 251) + (j * 37) + 11));
            }

            children[i] = new Hash(bytes);
        }

        var node = new byte[1 + (2 * EvidenceChain.Hash.Size)];
        node[0] = Rfc6962.NodePrefix;
        var expected = new byte[EvidenceChain.Hash.Size];
        for (var pairs = 0; pairs <= children.Length / 2; pairs++)
        {
            var parents = new Hash[pairs];
            kernel.HashPairs(children.AsSpan(0, pairs * 2), parents);
            for (var i = 0; i < pairs; i++)
            {
                children[2 * i].CopyTo(node.AsSpan(1));
                children[(2 * i) + 1].CopyTo(node.AsSpan(1 + EvidenceChain.Hash.Size));
                SHA256.HashData(node, expected);
                if (parents[i] != new Hash(expected))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
