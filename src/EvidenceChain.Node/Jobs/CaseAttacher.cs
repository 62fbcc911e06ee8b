using EvidenceChain.Ledger.Cases;
using EvidenceChain.Node.Internal;
using Grpc.Core;

namespace EvidenceChain.Node.Jobs;

/// <summary>Attaches a job's or watch's entries to its case, as CaseService.AttachEvidence does for the submitting key.</summary>
internal sealed class CaseAttacher(NodeCases cases)
{
    /// <summary>Checks up front that <paramref name="caseId"/> (when not empty) exists and is open.</summary>
    /// <exception cref="RpcException">NOT_FOUND: no such case; FAILED_PRECONDITION: it is closed.</exception>
    public void RequireOpen(string caseId)
    {
        if (caseId.Length == 0)
        {
            return;
        }

        var state = cases.Book.Find(caseId) ?? throw new RpcException(new Status(StatusCode.NotFound, $"No case {caseId}; create it first, or leave case_id empty. Nothing was created."));
        if (state.Status != Core.Cases.CaseStatus.Open)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Case {caseId} is closed; nothing more can be attached to it. Nothing was created."));
        }
    }

    /// <summary>
    /// Attaches entry <paramref name="index"/> to <paramref name="caseId"/> as <paramref name="actor"/> unless it is
    /// attached already (a resumed job); returns an empty string, or why it could not be attached.
    /// </summary>
    public async Task<string> AttachAsync(string caseId, ulong index, string actor, CancellationToken ct)
    {
        if (caseId.Length == 0 || cases.Book.Find(caseId) is { } state && state.Items.Any(i => i.Index == index))
        {
            return string.Empty;
        }

        try
        {
            await cases.Book.AttachAsync(caseId, index, actor, ownEvidenceOnly: true, ct);
            return string.Empty;
        }
        catch (CaseException e)
        {
            return "attach-failed: " + e.Message;
        }
    }
}
