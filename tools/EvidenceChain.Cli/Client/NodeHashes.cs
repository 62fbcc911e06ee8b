using EvidenceChain.Core;

namespace EvidenceChain.Cli.Client;

/// <summary>Parses the hex hashes in a node's replies; a malformed one is the node's fault, not the user's.</summary>
internal static class NodeHashes
{
    /// <exception cref="BadReplyException"><paramref name="hex"/> is not 64 hex digits.</exception>
    public static Hash Parse(string hex, string field) =>
        hex.Length == 2 * Hash.Size && Hash.TryParse(hex, out var hash)
            ? hash
            : throw new BadReplyException($"{field} is not a hash of 64 hex digits");

    public static Hash[] Parse(IEnumerable<string> hex, string field) =>
        [.. hex.Select((h, i) => Parse(h, $"{field}[{i}]"))];
}
