using System.Security.Cryptography;
using EvidenceChain.Api.V1;
using EvidenceChain.Core.Text;
using EvidenceChain.Ledger.Cases;
using EvidenceChain.Node.Auth;
using EvidenceChain.Node.Internal;
using Google.Protobuf;
using Grpc.Core;

namespace EvidenceChain.Node.Services;

/// <summary>
/// The case API. Case managers and admins manage cases; a submitter may attach evidence it submitted itself (not
/// create, detach, note, close or export); any key may read. The rules and the ledger writes are in
/// <see cref="CaseBook"/>; this maps and checks roles.
/// </summary>
internal sealed class CaseApi(NodeCases cases, CaseExporter exporter, CaseView view) : CaseService.CaseServiceBase
{
    private const int ChunkSize = 64 * 1024;
    private const int MaxCasePage = 1000;
    private readonly CaseBook _book = cases.Book;

    [RequireRole(Role.CaseManager, Role.Admin)]
    public override async Task<CaseChange> CreateCase(CreateCaseRequest request, ServerCallContext context)
    {
        var id = "c" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var parties = request.Parties.Select(p => new Core.Cases.CaseParty(p.Name, p.Role)).ToList();
        var caller = context.GetCaller();
        return await view.ToChangeAsync(
            await _book.CreateAsync(id, request.Title, request.Reference, parties, caller.KeyId, context.CancellationToken), caller, context.CancellationToken);
    }

    [RequireRole(Role.Submitter, Role.CaseManager, Role.Admin)]
    public override Task<Case> GetCase(GetCaseRequest request, ServerCallContext context) =>
        view.ToProtoAsync(Require(request.Id), context.GetCaller(), context.CancellationToken);

    [RequireRole(Role.Submitter, Role.CaseManager, Role.Admin)]
    public override Task<ListCasesResponse> ListCases(ListCasesRequest request, ServerCallContext context)
    {
        Core.Cases.CaseStatus? status = request.Status switch
        {
            "" => null,
            "open" => Core.Cases.CaseStatus.Open,
            "closed" => Core.Cases.CaseStatus.Closed,
            _ => throw new RpcException(new Status(StatusCode.InvalidArgument, $"status: expected open, closed or empty, got \"{UntrustedText.Printable(request.Status, 40)}\".")),
        };
        var text = SearchWire.Text(request.Q, "q");
        if (request.PageSize > MaxCasePage)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"page_size: at most {MaxCasePage}; got {request.PageSize}."));
        }

        var filters = string.Join('\u0000', "cases", request.Status, text, request.NewestFirst ? "newest" : "oldest");
        var after = PageToken.Decode(request.PageToken, filters);
        var all = _book.List();
        var matching = (request.NewestFirst ? all.Reverse() : all)
            .Where(c => (status is null || c.Status == status) && (text is null || Matches(c, text))
                && (after is null || (request.NewestFirst ? c.Created.Index < after : c.Created.Index > after)));
        var page = request.PageSize == 0 ? [.. matching] : matching.Take((int)request.PageSize + 1).ToList();
        var response = new ListCasesResponse();
        if (request.PageSize > 0 && page.Count > request.PageSize)
        {
            page.RemoveAt(page.Count - 1);
            response.NextPageToken = PageToken.Encode(page[^1].Created.Index, filters);
        }

        response.Cases.AddRange(page.Select(CaseWire.ToSummary));
        return Task.FromResult(response);
    }

    [RequireRole(Role.Submitter, Role.CaseManager, Role.Admin)]
    public override async Task<CaseChange> AttachEvidence(AttachEvidenceRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        return await view.ToChangeAsync(
            await _book.AttachAsync(request.CaseId, request.Index, caller.KeyId, ownEvidenceOnly: caller.Role == Role.Submitter, context.CancellationToken),
            caller, context.CancellationToken);
    }

    [RequireRole(Role.CaseManager, Role.Admin)]
    public override async Task<CaseChange> DetachEvidence(DetachEvidenceRequest request, ServerCallContext context) =>
        await view.ToChangeAsync(await _book.DetachAsync(request.CaseId, request.Index, request.Reason, context.GetCaller().KeyId, context.CancellationToken), context.GetCaller(), context.CancellationToken);

    [RequireRole(Role.CaseManager, Role.Admin)]
    public override async Task<CaseChange> AddNote(AddNoteRequest request, ServerCallContext context) =>
        await view.ToChangeAsync(await _book.AddNoteAsync(request.CaseId, request.Text, context.GetCaller().KeyId, context.CancellationToken), context.GetCaller(), context.CancellationToken);

    [RequireRole(Role.CaseManager, Role.Admin)]
    public override async Task<CaseChange> CloseCase(CloseCaseRequest request, ServerCallContext context) =>
        await view.ToChangeAsync(await _book.CloseAsync(request.CaseId, request.Reason, context.GetCaller().KeyId, context.CancellationToken), context.GetCaller(), context.CancellationToken);

    [RequireRole(Role.CaseManager, Role.Admin)]
    public override async Task ExportCase(ExportCaseRequest request, IServerStreamWriter<ExportCaseResponse> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        await using var export = await exporter.ExportAsync(request.CaseId, request.FileName, context.GetCaller(), ct);
        await responseStream.WriteAsync(new ExportCaseResponse { Info = export.Info }, ct);
        var buffer = new byte[ChunkSize];
        int read;
        while ((read = await export.Content.ReadAsync(buffer, ct)) > 0)
        {
            await responseStream.WriteAsync(new ExportCaseResponse { Chunk = ByteString.CopyFrom(buffer, 0, read) }, ct);
        }
    }

    private static bool Matches(Core.Cases.CaseState c, string text) =>
        c.Title.Contains(text, StringComparison.OrdinalIgnoreCase)
        || c.Reference.Contains(text, StringComparison.OrdinalIgnoreCase)
        || c.Parties.Any(p => p.Name.Contains(text, StringComparison.OrdinalIgnoreCase));

    private Core.Cases.CaseState Require(string id)
    {
        if (!Core.Cases.CaseEvent.IsCaseId(id))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"id \"{UntrustedText.Printable(id, 40)}\" is malformed: expected c and 16 lowercase hex digits, as CreateCase returns it."));
        }

        return _book.Find(id) ?? throw new RpcException(new Status(StatusCode.NotFound, $"There is no case {id}."));
    }
}
