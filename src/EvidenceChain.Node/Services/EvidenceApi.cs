using System.Runtime.CompilerServices;
using EvidenceChain.Api.V1;
using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Ledger.Search;
using EvidenceChain.Node.Auth;
using EvidenceChain.Node.Certificates;
using EvidenceChain.Node.Internal;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace EvidenceChain.Node.Services;

/// <summary>The evidence API: preserve files, read and find entries, download artefacts.</summary>
internal sealed class EvidenceApi : EvidenceService.EvidenceServiceBase
{
    private const int MaxFindLimit = 1000;
    private readonly EvidenceLedger _ledger;
    private readonly FileIntake _intake;
    private readonly IBlobStore _blobs;
    private readonly UploadSlots _uploads;
    private readonly NodeLimits _limits;
    private readonly ReceiptBuilder _receipts;
    private readonly TimeProvider _time;
    private readonly ILogger<EvidenceApi> _logger;
    private readonly EntryDisclosure _disclosure;
    private readonly EntryOpenings _openings;
    private readonly CertificateIssuer _certificates;
    private readonly ApiKeyService _keys;
    private readonly EntrySearch _search;

    public EvidenceApi(
        EvidenceLedger ledger,
        FileIntake intake,
        IBlobStore blobs,
        UploadSlots uploads,
        ReceiptBuilder receipts,
        IOptions<NodeLimits> limits,
        TimeProvider time,
        EntryDisclosure disclosure,
        EntryOpenings openings,
        ILogger<EvidenceApi> logger,
        CertificateIssuer certificates,
        ApiKeyService keys,
        EntrySearch search)
    {
        _search = search;
        _disclosure = disclosure;
        _openings = openings;
        _certificates = certificates;
        _keys = keys;
        _time = time;
        _receipts = receipts;
        _ledger = ledger;
        _intake = intake;
        _blobs = blobs;
        _uploads = uploads;
        _limits = limits.Value;
        _logger = logger;
    }

    [RequireRole(Role.Submitter)]
    public override async Task<PreserveFileResponse> PreserveFile(IAsyncStreamReader<PreserveFileRequest> requestStream, ServerCallContext context)
    {
        var caller = context.GetCaller();
        using var slot = _uploads.Acquire(caller.KeyId);
        var ct = context.CancellationToken;
        using var pace = new UploadPace(_limits, _time);
        if (!await NextAsync(requestStream, pace, ct))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "No metadata: the stream ended before its first message."));
        }

        if (requestStream.Current.PartCase != PreserveFileRequest.PartOneofCase.Metadata)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                "The first message must carry the metadata (file_name, media_type, ...); it carried a chunk."));
        }

        var metadata = requestStream.Current.Metadata;
        var file = ToDescription(metadata); // PreserveAsync checks it before reading any content
        var trailer = new StrongBox<Hash?>();
        var result = await _intake.PreserveAsync(file, ChunksAsync(requestStream, pace, trailer, ct), () => trailer.Value, caller.KeyId, ct);
        var stored = result.ToStoredEntry();
        NodeLog.Preserved(_logger, file.FileName, stored.Entry.Draft.Artefacts[0].Size, result.Index, caller.KeyId);
        var disclosed = await _disclosure.ForAsync(caller, stored.Entry, ct);
        var response = new PreserveFileResponse { Entry = Wire.ToProto(stored, disclosed), TreeSize = result.TreeSize, SignedCheckpoint = result.SignedCheckpoint };
        if (metadata.WaitForReceipt)
        {
            response.Receipt = ReceiptBuilder.ToProto(await _receipts.BuildAsync(result.Index, wait: true, ct, caller));
        }

        return response;
    }

    public override async Task<Receipt> GetReceipt(GetReceiptRequest request, ServerCallContext context) =>
        ReceiptBuilder.ToProto(await _receipts.BuildAsync(request.Index, request.Wait, context.CancellationToken, _disclosure.Reader(context)));

    public override async Task GetCertificate(
        GetCertificateRequest request, IServerStreamWriter<GetCertificateResponse> responseStream, ServerCallContext context)
    {
        var caller = request.WithArtefacts
            ? _keys.Authenticate(context.GetHttpContext().Request.Headers.Authorization.ToString(), [Role.Submitter, Role.CaseManager, Role.Admin])
            : null;
        var certificate = await _certificates.IssueAsync(request.Index, caller, context.CancellationToken);
        await responseStream.WriteAsync(new GetCertificateResponse
        {
            Info = new CertificateInfo
            {
                FileName = certificate.FileName,
                Size = (ulong)certificate.Pdf.Length,
                Sha256 = certificate.Sha256,
                Number = certificate.Number,
            },
        }, context.CancellationToken);
        const int Chunk = 256 * 1024;
        for (var offset = 0; offset < certificate.Pdf.Length; offset += Chunk)
        {
            var piece = certificate.Pdf.AsMemory(offset, Math.Min(Chunk, certificate.Pdf.Length - offset));
            await responseStream.WriteAsync(new GetCertificateResponse { Chunk = ByteString.CopyFrom(piece.Span) }, context.CancellationToken);
        }
    }

    public override async Task<Entry> GetEntry(GetEntryRequest request, ServerCallContext context)
    {
        var size = _ledger.Latest.Size;
        if (request.Index >= size)
        {
            throw Wire.NoSuchEntry(request.Index, size);
        }

        var reader = _disclosure.Reader(context);
        var stored = await _ledger.GetEntryAsync(request.Index, context.CancellationToken);
        return Wire.ToProto(stored, await _disclosure.ForAsync(reader, stored.Entry, context.CancellationToken));
    }

    public override async Task<FindEntriesResponse> FindEntries(FindEntriesRequest request, ServerCallContext context)
    {
        var limit = Wire.Limit(request.Limit, 100, MaxFindLimit);
        var digest = (request.Sha256.Length > 0, request.Sm3.Length > 0) switch
        {
            (true, false) => Wire.ParseHash(request.Sha256, "sha256"),
            (false, true) => Wire.ParseHash(request.Sm3, "sm3"),
            _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "Give exactly one of sha256 and sm3.")),
        };

        var response = new FindEntriesResponse();
        foreach (var index in await _ledger.FindByDigestAsync(digest, limit, context.CancellationToken))
        {
            response.Entries.Add(Wire.ToProto(await _ledger.GetEntryAsync(index, context.CancellationToken)));
        }

        return response;
    }

    [RequireRole(Role.Submitter, Role.CaseManager, Role.Admin)]
    public override async Task DownloadArtefact(
        DownloadArtefactRequest request, IServerStreamWriter<DownloadArtefactResponse> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var (artefact, content, _) = await ArtefactAccess.OpenAsync(_ledger, _blobs, _openings, context.GetCaller(), request.Index, request.Name, ct);
        await using (content)
        {
            await responseStream.WriteAsync(new DownloadArtefactResponse { Artefact = Wire.ToProto(artefact) }, ct);
            var served = await ArtefactAccess.CopyAsync(
                content, (chunk, token) => new ValueTask(responseStream.WriteAsync(new DownloadArtefactResponse { Chunk = ByteString.CopyFrom(chunk.Span) }, token)), ct);
            ArtefactAccess.CheckIntact(artefact, served);
        }
    }

    [RequireRole(Role.Submitter, Role.CaseManager, Role.Admin)]
    public override Task<WhoAmIResponse> WhoAmI(WhoAmIRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        return Task.FromResult(new WhoAmIResponse
        {
            Id = caller.KeyId, Role = Roles.Name(caller.Role), Description = _keys.DescriptionOf(caller.KeyId),
        });
    }

    [RequireRole(Role.Submitter, Role.CaseManager, Role.Admin)]
    public override async Task<SearchEntriesResponse> SearchEntries(SearchEntriesRequest request, ServerCallContext context)
    {
        var (query, filters) = SearchWire.ToQuery(request, context.GetCaller());
        var before = PageToken.Decode(request.PageToken, filters);
        var found = await _search.SearchAsync(query with { Before = before ?? ulong.MaxValue, Limit = query.Limit + 1 }, context.CancellationToken);
        var response = new SearchEntriesResponse();
        foreach (var record in found.Take(query.Limit))
        {
            response.Entries.Add(SearchWire.ToProto(record, _keys.DescriptionOf(record.Submitter)));
        }

        if (found.Count > query.Limit)
        {
            response.NextPageToken = PageToken.Encode(found[query.Limit - 1].Index, filters);
        }

        return response;
    }

    // The transport refuses a message above MaxReceiveMessageSize before we see it; say which limit that is.
    private async Task<bool> NextAsync(IAsyncStreamReader<PreserveFileRequest> requestStream, UploadPace pace, CancellationToken ct)
    {
        try
        {
            return await pace.ReadAsync(static (stream, token) => new ValueTask<bool>(stream.MoveNext(token)), requestStream, ct);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Internal && e.Status.Detail == "Incomplete message.")
        {
            // grpc-dotnet's status for a stream that ends inside a message: the client's fault, not ours.
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                "The upload was cut off: the request ended inside a message (fewer bytes than its length prefix announced); nothing was kept."));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
        {
            throw new LimitExceededException(
                $"A message was larger than the node accepts: chunks must be at most {_limits.MaxChunkSize} bytes (Limits:MaxChunkSize); nothing was kept.", e);
        }
    }

    private static FileDescription ToDescription(FileMetadata m)
    {
        var expected = m.ExpectedSha256.Length == 0 ? (Hash?)null : Wire.ParseHash(m.ExpectedSha256, "metadata.expected_sha256");
        return new FileDescription(m.FileName, m.MediaType, m.Title, m.Description, expected);
    }

    // The chunks; a trailer, if the client sends one, must come last and lands in trailer.
    private async IAsyncEnumerable<ReadOnlyMemory<byte>> ChunksAsync(
        IAsyncStreamReader<PreserveFileRequest> requestStream, UploadPace pace, StrongBox<Hash?> trailer, [EnumeratorCancellation] CancellationToken ct)
    {
        var ended = false;
        while (await NextAsync(requestStream, pace, ct))
        {
            var message = requestStream.Current;
            if (ended)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "The trailer must be the last message; another followed it; nothing was kept."));
            }

            if (message.PartCase == PreserveFileRequest.PartOneofCase.Trailer)
            {
                var expected = message.Trailer.ExpectedSha256;
                trailer.Value = expected.Length == 0 ? null : Wire.ParseHash(expected, "trailer.expected_sha256");
                ended = true;
                continue;
            }

            if (message.PartCase != PreserveFileRequest.PartOneofCase.Chunk)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "Metadata may only be sent once, in the first message; nothing was kept."));
            }

            if (message.Chunk.Length > _limits.MaxChunkSize)
            {
                throw new LimitExceededException(
                    $"A chunk of {message.Chunk.Length} bytes exceeds the chunk limit of {_limits.MaxChunkSize} bytes (Limits:MaxChunkSize); nothing was kept.");
            }

            pace.Received(message.Chunk.Length);
            yield return message.Chunk.Memory;
            PooledChunks.Return(message.Chunk); // the intake has copied it
        }
    }
}
