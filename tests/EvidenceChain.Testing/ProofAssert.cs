using EvidenceChain.Core.Merkle;

namespace EvidenceChain.Testing;

/// <summary>Assertions on <see cref="ProofResult"/>s: a rejection must carry a reason, not just "false".</summary>
public static class ProofAssert
{
    /// <summary>Asserts the proof verified.</summary>
    public static void Valid(ProofResult result, string? context = null) =>
        Assert.True(result.IsValid, $"{context}{(context is null ? string.Empty : ": ")}expected valid, got {result.Failure}: {result.Message}");

    /// <summary>
    /// Asserts the proof was rejected for one of <paramref name="reasons"/>, with a message, and for root mismatches
    /// with the caller's root as the expected root and a different calculated root.
    /// </summary>
    public static void Fails(ProofResult result, string? context, params ProofFailure[] reasons)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        var where = context is null ? string.Empty : context + ": ";
        Assert.False(result.IsValid, $"{where}expected a rejection ({string.Join(" or ", reasons)}), but it verified");
        Assert.True(reasons.Contains(result.Failure), $"{where}expected {string.Join(" or ", reasons)}, got {result.Failure}: {result.Message}");
        Assert.False(string.IsNullOrWhiteSpace(result.Message), $"{where}a rejection needs a message");
        if (result.Failure is ProofFailure.RootMismatch or ProofFailure.FirstRootMismatch)
        {
            Assert.True(result.ExpectedRoot.HasValue && result.CalculatedRoot.HasValue, $"{where}a mismatch names both roots");
            Assert.NotEqual(result.ExpectedRoot.Value, result.CalculatedRoot.Value);
        }
    }
}
