using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvidenceChain.Node.Witnessing;

/// <summary>
/// Unhealthy while the witness policy is not met (fewer than k witnesses cosign recent checkpoints) or a witness
/// reported a conflict, with the reason; served as the gRPC health service <c>witnesses</c>.
/// </summary>
internal sealed class WitnessingHealthCheck(NodeWitnessing witnessing) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (witnessing.Cosigner is not { } cosigner)
        {
            return Task.FromResult(HealthCheckResult.Healthy("no witnesses configured"));
        }

        var status = cosigner.Status;
        var quorum = status.QuorumSize is { } size
            ? string.Create(CultureInfo.InvariantCulture, $"the newest checkpoint meeting the quorum has size {size}")
            : "no checkpoint meets the quorum yet";
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{status.Quorum} of {status.Witnesses.Count} witnesses; {quorum}; {string.Join(", ", status.Witnesses.Select(w => $"{w.Name} cosigned {w.CosignedSize}"))}");
        return Task.FromResult(status.IsHealthy
            ? HealthCheckResult.Healthy(summary)
            : HealthCheckResult.Unhealthy($"{status.Problem}; {summary}"));
    }
}
