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
        jobs.RequireRunner();
        var id = "j" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var job = new Ledger.Jobs.CaptureJob(id, caller.KeyId, request.CaseId, time.GetUtcNow(), request.Urls.Count, request.NoBrowser);
        jobs.Jobs.Submit(job, [.. request.Urls]);
        return Task.FromResult(JobWire.ToProto(job, jobs.JobStore.Items(id)));
    }

    [RequireRole(Role.Submitter, Role.CaseManager, Role.Admin)]
    public override Task<Api.V1.CaptureJob> GetCaptureJob(GetCaptureJobRequest request, ServerCallContext context)
    {
        var job = Find(request.Id, context.GetCaller());
        return Task.FromResult(JobWire.ToProto(job, jobs.JobStore.Items(job.Id)));
    }

    [RequireRole(Role.Submitter, Role.CaseManager, Role.Admin)]
    public override Task<ListCaptureJobsResponse> ListCaptureJobs(ListCaptureJobsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var reply = new ListCaptureJobsResponse();
        foreach (var job in jobs.JobStore.Jobs().Where(j => caller.Role == Role.Admin || j.Submitter == caller.KeyId))
        {
            var wire = JobWire.ToProto(job, jobs.JobStore.Items(job.Id));
            wire.Items.Clear();
            reply.Jobs.Add(wire);
        }

        return Task.FromResult(reply);
    }

    [RequireRole(Role.Submitter, Role.Admin)]
    public override Task<Api.V1.CaptureJob> CancelCaptureJob(GetCaptureJobRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var job = Find(request.Id, caller);
        jobs.RequireRunner();
        if (jobs.Jobs.CancelJob(job, caller.KeyId) == 0)
        {
            var after = JobWire.ToProto(job, jobs.JobStore.Items(job.Id));
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"Capture job {job.Id} has no pending URL to cancel ({after.Running} running, {after.Done} done, {after.Failed} failed, {after.Cancelled} cancelled)."));
        }

        return Task.FromResult(JobWire.ToProto(job, jobs.JobStore.Items(job.Id)));
    }

    private Ledger.Jobs.CaptureJob Find(string id, Caller caller)
    {
        var job = jobs.JobStore.FindJob(id);
        if (job is null || (caller.Role != Role.Admin && job.Submitter != caller.KeyId))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"No capture job \"{Core.Text.UntrustedText.Printable(id, 40)}\" of this key."));
        }

        return job;
    }
}
