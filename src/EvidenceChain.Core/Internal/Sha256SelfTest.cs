using System.Security.Cryptography;
using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Core.Internal;

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
        var bytes = new byte[EvidenceChain.Core.Hash.Size];
        for (var i = 0; i < children.Length; i++)
        {
            for (var j = 0; j < bytes.Length; j++)
            {
                bytes[j] = unchecked((byte)((i * 251) + (j * 37) + 11));
            }

            children[i] = new Hash(bytes);
        }

        var node = new byte[1 + (2 * EvidenceChain.Core.Hash.Size)];
        node[0] = Rfc6962.NodePrefix;
        var expected = new byte[EvidenceChain.Core.Hash.Size];
        for (var pairs = 0; pairs <= children.Length / 2; pairs++)
        {
            var parents = new Hash[pairs];
            kernel.HashPairs(children.AsSpan(0, pairs * 2), parents);
            for (var i = 0; i < pairs; i++)
            {
                children[2 * i].CopyTo(node.AsSpan(1));
                children[(2 * i) + 1].CopyTo(node.AsSpan(1 + EvidenceChain.Core.Hash.Size));
                SHA256.HashData(node, expected);
                if (parents[i] != new Hash(expected))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Hashes batches of 17 equal-length messages (a whole vector group and a tail) at lengths around every
    /// padding boundary, and compares each digest with SHA-256 of prefix || message.
    /// </summary>
    public static bool HashPrefixedBatchMatchesManaged(ISha256Kernel kernel)
    {
        const int count = 17;
        var messages = new byte[count * 200];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = unchecked((byte)((i * 167) + 3));
        }

        var expected = new byte[EvidenceChain.Core.Hash.Size];
        foreach (var length in (int[])[0, 1, 32, 54, 55, 62, 63, 64, 65, 118, 119, 127, 128, 200])
        {
            var digests = new Hash[count];
            kernel.HashPrefixedBatch(0x5A, messages, length, digests);
            for (var i = 0; i < count; i++)
            {
                SHA256.HashData([0x5A, .. messages.AsSpan(i * length, length)], expected);
                if (digests[i] != new Hash(expected))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Folds 40 chains of lengths 0 to 25 (so lanes end at different steps and are refilled, some chains have no
    /// steps, and there are more chains than lanes) and compares each end with <see cref="HashChain.FoldOneByOne"/>
    /// over the managed kernel.
    /// </summary>
    public static bool HashChainsMatchesManaged(ISha256Kernel kernel)
    {
        const int count = 40;
        var chains = new HashChain[count];
        var starts = new Hash[count];
        var bytes = new byte[EvidenceChain.Core.Hash.Size];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            var length = (i * 7) % 26;
            chains[i] = new HashChain(offset, length, unchecked((ulong)i * 0x9E3779B97F4A7C15UL));
            offset += length;
            bytes.AsSpan().Fill(unchecked((byte)((i * 29) + 5)));
            starts[i] = new Hash(bytes);
        }

        var siblings = new Hash[offset];
        for (var i = 0; i < siblings.Length; i++)
        {
            for (var j = 0; j < bytes.Length; j++)
            {
                bytes[j] = unchecked((byte)((i * 131) + (j * 17) + 1));
            }

            siblings[i] = new Hash(bytes);
        }

        var ends = new Hash[count];
        var expected = new Hash[count];
        kernel.HashChains(starts, siblings, chains, ends);
        HashChain.FoldOneByOne(ManagedSha256Kernel.Instance, starts, siblings, chains, expected);
        return ends.AsSpan().SequenceEqual(expected);
    }
}
