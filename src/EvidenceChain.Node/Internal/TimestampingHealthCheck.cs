using System.Globalization;
using EvidenceChain.Ledger.Timestamping;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// Unhealthy while the latest attempt to timestamp a checkpoint failed (an external TSA that cannot be reached),
/// with the reason; served as the gRPC health service <c>timestamping</c>.
/// </summary>
internal sealed class TimestampingHealthCheck(CheckpointTimestamper timestamper) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = timestamper.Status;
        var stamped = status.LastStampedSize is { } size ? string.Create(CultureInfo.InvariantCulture, $"latest token covers size {size}") : "no token yet";
        return Task.FromResult(status.IsHealthy
            ? HealthCheckResult.Healthy($"{status.Source}: {stamped}")
            : HealthCheckResult.Unhealthy(string.Create(
                CultureInfo.InvariantCulture, $"timestamping failing since {status.LastFailure:u}: {status.LastError}; {stamped}")));
    }
}
