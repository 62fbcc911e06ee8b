using EvidenceChain.Api.V1;
using EvidenceChain.Capture;
using EvidenceChain.Ledger;
using EvidenceChain.Node.Auth;
using Grpc.Core;

namespace EvidenceChain.Node.Services;

/// <summary>The capture API: the node fetches a page itself and preserves it as a <c>webpage</c> entry.</summary>
internal sealed class CaptureApi : CaptureService.CaptureServiceBase
{
    private readonly PageCapturer _capturer;
    private readonly WebPageIntake _intake;
    private readonly EntryDisclosure _disclosure;

    public CaptureApi(PageCapturer capturer, WebPageIntake intake, EntryDisclosure disclosure)
    {
        _capturer = capturer;
        _intake = intake;
        _disclosure = disclosure;
    }

    [RequireRole(Role.Submitter, Role.Admin)]
    public override async Task<CaptureUrlResponse> CaptureUrl(CaptureUrlRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        if (request.Url.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "url is empty; give the page's URL, such as https://example.org/page."));
        }

        var ct = context.CancellationToken;
        using var result = await _capturer.CaptureAsync(request.Url, render: !request.NoBrowser, ct);
        var capture = new WebPageCapture(
            result.Url, result.FinalUrl, result.HttpStatus, result.Failure?.ReasonName ?? string.Empty, result.Failure?.Message ?? string.Empty,
            result.Rendering, result.RemoteAddress, result.Redirects, result.EnvironmentSha256,
            [.. result.Artefacts.Select(a => new WebPageArtefact(a.Name, a.MediaType, a.Path, a.Digests))]) { PrivateUrl = request.PrivateUrl };
        var appended = await _intake.PreserveAsync(capture, caller.KeyId, ct);
        return new CaptureUrlResponse
        {
            Entry = Wire.ToProto(appended.ToStoredEntry(), await _disclosure.ForAsync(caller, appended.Entry, ct)),
            TreeSize = appended.TreeSize,
            SignedCheckpoint = appended.SignedCheckpoint,
            Status = result.IsComplete ? "complete" : "failed",
            FailureReason = result.Failure?.ReasonName ?? string.Empty,
            Failure = result.Failure?.Message ?? string.Empty,
            FinalUrl = result.FinalUrl,
            HttpStatus = (uint)result.HttpStatus,
            Rendering = result.Rendering,
        };
    }
}
