using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>proof inclusion</c> and <c>proof consistency</c>: RFC 9162 proofs checked offline.</summary>
internal static class ProofCommands
{
    public static int Inclusion(Arguments args, CliConsole console)
    {
        var leafHash = args.RequiredHash("leaf-hash");
        var index = args.RequiredUInt64("index");
        var size = args.RequiredUInt64("size");
        var root = args.RequiredHash("root");
        var proof = args.HashList("proof");

        var result = InclusionProof.Verify(index, size, leafHash, proof, root);
        return Report(console, result, $"entry {index} is included in the tree of size {size} with root {root}");
    }

    public static int Consistency(Arguments args, CliConsole console)
    {
        var size1 = args.RequiredUInt64("size1");
        var size2 = args.RequiredUInt64("size2");
        var root1 = args.RequiredHash("root1");
        var root2 = args.RequiredHash("root2");
        var proof = args.HashList("proof");

        var result = ConsistencyProof.Verify(size1, size2, root1, root2, proof);
        return Report(console, result, $"the tree of size {size1} is a prefix of the tree of size {size2}");
    }

    private static int Report(CliConsole console, ProofResult result, string success)
    {
        if (result.IsValid)
        {
            console.Out.WriteLine($"verified: {success}");
            return ExitCode.Verified;
        }

        console.Out.WriteLine($"FAILED: {result.Message}");
        return ExitCode.Failed;
    }
}
