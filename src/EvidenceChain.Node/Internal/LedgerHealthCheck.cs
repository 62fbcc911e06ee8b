using EvidenceChain.Ledger;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvidenceChain.Node.Internal;

/// <summary>Unhealthy once the ledger has refused appends after an unrecoverable storage failure.</summary>
internal sealed class LedgerHealthCheck(EvidenceLedger ledger) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ledger.IsFaulted
            ? HealthCheckResult.Unhealthy("The ledger hit a storage failure it could not recover from; restart the node and run evidencectl audit.")
            : HealthCheckResult.Healthy($"{ledger.Latest.Size} entries"));
}
