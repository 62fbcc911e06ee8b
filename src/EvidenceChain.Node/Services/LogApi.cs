using EvidenceChain.Api.V1;
using EvidenceChain.Ledger;
using EvidenceChain.Node.Witnessing;
using Grpc.Core;

namespace EvidenceChain.Node.Services;

/// <summary>The public log API: checkpoints, proofs, entries by range.</summary>
internal sealed class LogApi : LogService.LogServiceBase
{
    private const int MaxListLimit = 1000;
    private readonly EvidenceLedger _ledger;
    private readonly NodeWitnessing _witnessing;

    public LogApi(EvidenceLedger ledger, NodeWitnessing witnessing)
    {
        _ledger = ledger;
        _witnessing = witnessing;
    }

    /// <summary>The newest checkpoint, with the cosignatures collected for it so far (as <c>GET /checkpoint</c> serves it).</summary>
    public override Task<Checkpoint> GetCheckpoint(GetCheckpointRequest request, ServerCallContext context)
    {
        var latest = _ledger.Latest;
        var cosigned = _witnessing.LatestCosigned(latest);
        var reply = new Checkpoint
        {
            SignedNote = cosigned.SignedNote,
            Origin = _ledger.Origin,
            TreeSize = latest.Size,
            RootHash = latest.Root.ToString(),
        };
        reply.CosignedBy.AddRange(cosigned.Witnesses);
        return Task.FromResult(reply);
    }

    public override async Task<InclusionProof> GetInclusionProof(GetInclusionProofRequest request, ServerCallContext context)
    {
        var latest = _ledger.Latest;
        var treeSize = ResolveSize(request.TreeSize, latest, "tree_size");
        ulong index;
        switch (request.EntryCase)
        {
            case GetInclusionProofRequest.EntryOneofCase.Index:
                index = request.Index;
                if (index >= latest.Size)
                {
                    throw Wire.NoSuchEntry(index, latest.Size);
                }

                break;
            case GetInclusionProofRequest.EntryOneofCase.LeafHash:
                var leafHash = Wire.ParseHash(request.LeafHash, "leaf_hash");
                index = await _ledger.FindByLeafHashAsync(leafHash, context.CancellationToken)
                    ?? throw new RpcException(new Status(StatusCode.NotFound, $"No entry has leaf hash {leafHash}."));
                break;
            default:
                throw new RpcException(new Status(StatusCode.InvalidArgument, "Give the entry: index or leaf_hash."));
        }

        if (index >= treeSize)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange,
                $"Entry {index} is not in the tree of size {treeSize}; ask for a tree_size above {index}."));
        }

        var path = await _ledger.InclusionProofAsync(index, treeSize, context.CancellationToken);
        var provenLeaf = await _ledger.LeafHashAsync(index, context.CancellationToken);
        var proof = new InclusionProof
        {
            Index = index,
            TreeSize = treeSize,
            LeafHash = provenLeaf.ToString(),
            RootHash = (treeSize == latest.Size ? latest.Root : await _ledger.RootAtAsync(treeSize, context.CancellationToken)).ToString(),
            SignedCheckpoint = treeSize == latest.Size ? latest.SignedNote : string.Empty,
        };
        proof.Hashes.AddRange(path.Select(h => h.ToString()));
        return proof;
    }

    public override async Task<ConsistencyProof> GetConsistencyProof(GetConsistencyProofRequest request, ServerCallContext context)
    {
        var latest = _ledger.Latest;
        var size2 = ResolveSize(request.Size2, latest, "size2");
        var size1 = request.Size1;
        if (size1 == 0 || size1 > size2)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Need 1 <= size1 <= size2; got size1 {size1}, size2 {size2}."));
        }

        var hashes = await _ledger.ConsistencyProofAsync(size1, size2, context.CancellationToken);
        var proof = new ConsistencyProof
        {
            Size1 = size1,
            Size2 = size2,
            Root1 = (await _ledger.RootAtAsync(size1, context.CancellationToken)).ToString(),
            Root2 = (size2 == latest.Size ? latest.Root : await _ledger.RootAtAsync(size2, context.CancellationToken)).ToString(),
        };
        proof.Hashes.AddRange(hashes.Select(h => h.ToString()));
        return proof;
    }

    public override async Task<ListEntriesResponse> ListEntries(ListEntriesRequest request, ServerCallContext context)
    {
        var size = _ledger.Latest.Size;
        var limit = Wire.Limit(request.Limit, 100, MaxListLimit);
        if (request.Start > size)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange, $"start {request.Start} is beyond the latest checkpoint's {size} entries."));
        }

        var response = new ListEntriesResponse();
        var end = request.Start + Math.Min((ulong)limit, size - request.Start);
        for (var i = request.Start; i < end; i++)
        {
            response.Entries.Add(Wire.ToProto(await _ledger.GetEntryAsync(i, context.CancellationToken)));
        }

        return response;
    }

    private static ulong ResolveSize(ulong requested, PublishedCheckpoint latest, string field)
    {
        if (requested == 0)
        {
            if (latest.Size == 0)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, "The log is empty: there is nothing to prove yet."));
            }

            return latest.Size;
        }

        return requested <= latest.Size
            ? requested
            : throw new RpcException(new Status(StatusCode.OutOfRange,
                $"{field} {requested} is beyond the latest checkpoint's size {latest.Size}."));
    }
}
