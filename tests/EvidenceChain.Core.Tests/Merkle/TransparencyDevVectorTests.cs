using System.Globalization;
using System.Security.Cryptography;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Vectors;

namespace EvidenceChain.Core.Tests.Merkle;

/// <summary>
/// Runs transparency-dev/merkle's proof probes (tests/data/vectors/transparency-dev-merkle) through our verifiers.
/// Each test walks every file of one probe family and reports every misclassified probe before it fails.
/// </summary>
/// <remarks>
/// Mapping onto our typed API: a missing, null or empty hash, or a proof element that is not 32 bytes, cannot be
/// represented as a <see cref="Hash"/>, so such a probe counts as rejected. A null proof is the empty proof.
/// <see cref="ConsistencyProof"/> refuses size1 == 0 outright (see its remarks); every upstream probe with size1 0
/// expects an error, so this is not a special case.
/// </remarks>
public sealed class TransparencyDevVectorTests
{
    private const string Folder = "transparency-dev-merkle/testdata";

    // Upstream has 98 probes per family, 6 of them valid; a partial copy must not pass quietly.
    private const int ExpectedProbes = 98;
    private const int ExpectedValidProbes = 6;

    [Fact]
    public void InclusionProofVerify_EveryTransparencyDevProbe_ClassifiesAsWantErr()
    {
        var probes = VectorFiles.Load<InclusionProbe>(Folder + "/inclusion");
        var failures = new CaseFailures();

        foreach (var (name, probe) in probes)
        {
            Check("inclusion/" + name, probe.Desc, probe.WantErr, () => ClassifyInclusion(probe), failures);
        }

        Assert.Equal(ExpectedProbes, probes.Count);
        Assert.Equal(ExpectedValidProbes, probes.Count(p => !p.Case.WantErr));
        failures.AssertNone();
    }

    [Fact]
    public void ConsistencyProofVerify_EveryTransparencyDevProbe_ClassifiesAsWantErr()
    {
        var probes = VectorFiles.Load<ConsistencyProbe>(Folder + "/consistency");
        var failures = new CaseFailures();

        foreach (var (name, probe) in probes)
        {
            Check("consistency/" + name, probe.Desc, probe.WantErr, () => ClassifyConsistency(probe), failures);
        }

        Assert.Equal(ExpectedProbes, probes.Count);
        Assert.Equal(ExpectedValidProbes, probes.Count(p => !p.Case.WantErr));
        failures.AssertNone();
    }

    private static void Check(string name, string desc, bool wantErr, Func<Outcome> classify, CaseFailures failures)
    {
        Outcome outcome;
        try
        {
            outcome = classify();
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            // A verifier must report a failure reason, never throw, on untrusted input.
            failures.Add($"{name} ({desc}): threw {e.GetType().Name}: {e.Message}");
            return;
        }

        if (outcome.IsError != wantErr)
        {
            failures.Add($"{name} ({desc}): want {(wantErr ? "an error" : "valid")}, got {outcome}");
        }
    }

    private static Outcome ClassifyInclusion(InclusionProbe probe)
    {
        if (!TryHash(probe.Root, out var root))
        {
            return Outcome.Unrepresentable("root", probe.Root);
        }

        if (!TryHash(probe.LeafHash, out var leafHash))
        {
            return Outcome.Unrepresentable("leafHash", probe.LeafHash);
        }

        if (!TryProof(probe.Proof, out var proof, out var bad))
        {
            return Outcome.Unrepresentable($"proof[{bad}]", probe.Proof![bad]);
        }

        return Outcome.Of(InclusionProof.Verify(probe.LeafIdx, probe.TreeSize, leafHash, proof, root));
    }

    private static Outcome ClassifyConsistency(ConsistencyProbe probe)
    {
        if (!TryRoot(probe.Root1, out var root1))
        {
            return Outcome.Unrepresentable("root1", probe.Root1);
        }

        if (!TryRoot(probe.Root2, out var root2))
        {
            return Outcome.Unrepresentable("root2", probe.Root2);
        }

        if (!TryProof(probe.Proof, out var proof, out var bad))
        {
            return Outcome.Unrepresentable($"proof[{bad}]", probe.Proof![bad]);
        }

        return Outcome.Of(ConsistencyProof.Verify(probe.Size1, probe.Size2, root1, root2, proof));
    }

    private static bool TryHash(byte[]? bytes, out Hash hash)
    {
        hash = default;
        return bytes is not null && Hash.TryFromBytes(bytes, out hash);
    }

    // Some consistency probes (the "additional" folder and wrong-root1/2) use roots that are not hashes at all:
    // base64 of short strings such as "don't care 1", where only whether root1 equals root2 matters to the check
    // (for example "sizes are equal (one) and proof is empty" must pass when both say "don't care 2"). Mapping
    // such a value through SHA-256 gives a Hash that keeps exactly that: equal inputs give equal hashes, unequal
    // inputs unequal ones. A missing or empty root still counts as unrepresentable.
    private static bool TryRoot(byte[]? bytes, out Hash root)
    {
        root = default;
        if (bytes is null || bytes.Length == 0)
        {
            return false;
        }

        root = bytes.Length == Hash.Size ? new Hash(bytes) : new Hash(SHA256.HashData(bytes));
        return true;
    }

    private static bool TryProof(IReadOnlyList<byte[]?>? elements, out Hash[] proof, out int bad)
    {
        elements ??= [];
        proof = new Hash[elements.Count];
        for (bad = 0; bad < elements.Count; bad++)
        {
            if (!TryHash(elements[bad], out proof[bad]))
            {
                return false;
            }
        }

        bad = -1;
        return true;
    }

    private sealed record Outcome(bool IsError, string Description)
    {
        public static Outcome Of(ProofResult result) =>
            result.IsValid
                ? new Outcome(false, "valid")
                : new Outcome(true, $"{result.Failure}: {result.Message}");

        public static Outcome Unrepresentable(string what, byte[]? bytes) =>
            new(true, string.Create(CultureInfo.InvariantCulture, $"unrepresentable: {what} is {(bytes is null ? "null" : bytes.Length + " bytes")}"));

        public override string ToString() => Description;
    }
}
