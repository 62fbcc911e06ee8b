using EvidenceChain.Api.V1;
using EvidenceChain.Node.Auth;
using EvidenceChain.Node.Jobs;
using Grpc.Core;

namespace EvidenceChain.Node.Services;

/// <summary>Capture jobs: lists of URLs the node captures into one entry each (docs/formats.md §20).</summary>
internal sealed class CaptureJobApi(NodeJobs jobs, TimeProvider time) : CaptureJobService.CaptureJobServiceBase
{
    [RequireRole(Role.Submitter, Role.Admin)]
    public override Task<Api.V1.CaptureJob> CaptureBatch(CaptureBatchRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        if (request.Urls.Count == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "urls is empty; give 1 to 10000 URLs. Nothing was created."));
        }

        if (request.Urls.Count > JobUrls.MaxUrls)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"urls holds {request.Urls.Count} URLs; a job takes at most {JobUrls.MaxUrls} (split the list). Nothing was created."));
        }

        for (var i = 0; i < request.Urls.Count; i++)
        {
            JobUrls.Check(request.Urls[i], $"urls[{i}]");
        }

        jobs.Cases.RequireOpen(request.CaseId);
        var id = "j" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var job = new Ledger.Jobs.CaptureJob(id, caller.KeyId, request.CaseId, time.GetUtcNow(), request.Urls.Count, request.NoBrowser);
        jobs.Jobs.Submit(job, [.. request.Urls]);
        return Task.FromResult(JobWire.ToProto(job, jobs.JobStore.Items(id)));
    }

    [RequireRole(Role.Submitter, Role.CaseManager, Role.Admin)]
    public override Task<Api.V1.CaptureJob> GetCaptureJob(GetCaptureJobRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var job = jobs.JobStore.FindJob(request.Id);
        if (job is null || (caller.Role != Role.Admin && job.Submitter != caller.KeyId))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"No capture job \"{Core.Text.UntrustedText.Printable(request.Id, 40)}\" of this key."));
        }

        return Task.FromResult(JobWire.ToProto(job, jobs.JobStore.Items(job.Id)));
    }
}
