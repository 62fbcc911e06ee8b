using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>proof inclusion</c> and <c>proof consistency</c>: RFC 9162 proofs checked offline.</summary>
internal static class ProofCommands
{
    public static int Inclusion(Arguments args, CliConsole console)
    {
        if (args.Flag("help"))
        {
            console.Out.WriteLine("""
                evidencectl proof inclusion --leaf-hash H --index I --size N --root R [--proof H1,H2,...]
                Checks that the leaf with hash H is entry I of the tree of N entries whose root is R.
                The proof lists the RFC 9162 audit path from the leaf upwards, comma-separated.
                """);
            return ExitCode.Verified;
        }

        var leafHash = args.RequiredHash("leaf-hash");
        var index = args.RequiredUInt64("index");
        var size = args.RequiredUInt64("size");
        var root = args.RequiredHash("root");
        var proof = args.HashList("proof");
        args.EnsureAllUsed(0);

        var result = InclusionProof.Verify(index, size, leafHash, proof, root);
        return Report(console, result, $"entry {index} is included in the tree of size {size} with root {root}");
    }

    public static int Consistency(Arguments args, CliConsole console)
    {
        if (args.Flag("help"))
        {
            console.Out.WriteLine("""
                evidencectl proof consistency --size1 M --size2 N --root1 R1 --root2 R2 [--proof H1,H2,...]
                Checks that the tree of M entries with root R1 is a prefix of the tree of N entries with root R2
                (RFC 9162 consistency proof, comma-separated). M must be at least 1.
                """);
            return ExitCode.Verified;
        }

        var size1 = args.RequiredUInt64("size1");
        var size2 = args.RequiredUInt64("size2");
        var root1 = args.RequiredHash("root1");
        var root2 = args.RequiredHash("root2");
        var proof = args.HashList("proof");
        args.EnsureAllUsed(0);

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
