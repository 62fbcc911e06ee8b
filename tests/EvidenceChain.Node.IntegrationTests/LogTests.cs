using EvidenceChain.Testing;
using EvidenceChain.Ledger;
using EvidenceChain.Storage;
using EvidenceChain.Api.V1;
using EvidenceChain.Core;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing.Node;
using EvidenceChain.Verifier;
using Grpc.Core;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;
using ConsistencyProof = EvidenceChain.Core.Merkle.ConsistencyProof;
using InclusionProof = EvidenceChain.Core.Merkle.InclusionProof;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// LogService on a log of <see cref="SevenEntryNode.Size"/> entries preserved one after another: checkpoints, proofs
/// and entries, checked against roots recomputed here from the served leaves.
/// </summary>
public sealed class LogTests(LogTests.SevenEntryNode fixture) : IClassFixture<LogTests.SevenEntryNode>
{
    private readonly SevenEntryNode _fixture = fixture;

    private TestNode Node => _fixture.Node;

    [Fact]
    public async Task GetCheckpoint_Latest_SignedByLogKeyAndRootOfServedLeaves()
    {
        var checkpoint = await Node.Log.GetCheckpointAsync(new GetCheckpointRequest());

        var opened = CheckpointNote.Open(checkpoint.SignedNote, Node.LogKey());
        Assert.True(opened.IsValid, opened.Message);
        Assert.Equal((checkpoint.Origin, SevenEntryNode.Size, checkpoint.RootHash), (opened.Checkpoint!.Origin, opened.Checkpoint.Size, opened.Checkpoint.Root.ToString()));
        Assert.Equal(_fixture.RootAt(SevenEntryNode.Size), opened.Checkpoint.Root);
        Assert.Equal(Node.LogKey().Name, checkpoint.Origin);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetEntry_EveryEntry_LeafHashesToLeafHashAndChainsToPrevious()
    {
        var previous = new string('0', 64);
        var origin = (await Node.Log.GetCheckpointAsync(new GetCheckpointRequest())).Origin;
        for (var i = 0ul; i < SevenEntryNode.Size; i++)
        {
            var entry = await Node.Evidence.GetEntryAsync(new GetEntryRequest { Index = i });

            Assert.Equal(i, entry.Index);
            Assert.Equal(Rfc6962.HashLeaf(entry.Leaf.Span).ToString(), entry.LeafHash);
            Assert.Equal(previous, entry.Prev);
            Assert.Equal(origin, entry.Origin);
            Assert.Equal(_fixture.Entries[(int)i], entry);
            previous = entry.LeafHash;
        }

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetInclusionProof_LatestSize_VerifiesUnderSignedCheckpointAndLogKey()
    {
        foreach (var entry in _fixture.Entries)
        {
            var proof = await Node.Log.GetInclusionProofAsync(new GetInclusionProofRequest { Index = entry.Index });

            Assert.Equal((SevenEntryNode.Size, entry.LeafHash), (proof.TreeSize, proof.LeafHash));
            var report = EntryVerifier.Verify(entry.Leaf.Span, entry.Index, Hashes(proof.Hashes), proof.SignedCheckpoint, Node.LogKey());
            Assert.True(report.IsValid, string.Join('\n', report.Steps));
        }

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetInclusionProof_EveryIndexAtEverySize_VerifiesAgainstRecomputedRoot()
    {
        for (var size = 1ul; size <= SevenEntryNode.Size; size++)
        {
            for (var index = 0ul; index < size; index++)
            {
                var proof = await Node.Log.GetInclusionProofAsync(new GetInclusionProofRequest { Index = index, TreeSize = size });

                Assert.Equal(_fixture.RootAt(size).ToString(), proof.RootHash);
                var result = InclusionProof.Verify(index, size, Hash.Parse(proof.LeafHash), Hashes(proof.Hashes), _fixture.RootAt(size));
                Assert.True(result.IsValid, $"index {index} size {size}: {result}");
                if (proof.SignedCheckpoint.Length > 0)
                {
                    var opened = CheckpointNote.Open(proof.SignedCheckpoint, Node.LogKey());
                    Assert.True(opened.IsValid && opened.Checkpoint!.Size == size, $"size {size}: {opened.Message}");
                }
            }
        }

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetInclusionProof_ByLeafHash_SameAsByIndex()
    {
        var entry = _fixture.Entries[3];

        var byHash = await Node.Log.GetInclusionProofAsync(new GetInclusionProofRequest { LeafHash = entry.LeafHash, TreeSize = 5 });
        var byIndex = await Node.Log.GetInclusionProofAsync(new GetInclusionProofRequest { Index = 3, TreeSize = 5 });

        Assert.Equal(byIndex, byHash);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetInclusionProof_TreeSizeBeyondTree_OutOfRangeNamesSizes()
    {
        await RpcAssert.FailsAsync(
            StatusCode.OutOfRange, () => Node.Log.GetInclusionProofAsync(new GetInclusionProofRequest { Index = 0, TreeSize = 8 }).ResponseAsync,
            "tree_size 8", "size 7");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetInclusionProof_UnknownIndex_NotFoundNamesIndex()
    {
        await RpcAssert.FailsAsync(
            StatusCode.NotFound, () => Node.Log.GetInclusionProofAsync(new GetInclusionProofRequest { Index = 7 }).ResponseAsync, "Entry 7 does not exist");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetInclusionProof_IndexNotBelowTreeSize_OutOfRangeNamesBoth()
    {
        await RpcAssert.FailsAsync(
            StatusCode.OutOfRange, () => Node.Log.GetInclusionProofAsync(new GetInclusionProofRequest { Index = 5, TreeSize = 5 }).ResponseAsync,
            "Entry 5", "tree of size 5");

        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData("xyz")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000g00")]
    [InlineData("00")]
    public async Task GetInclusionProof_MalformedLeafHash_InvalidArgumentNamesField(string leafHash)
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => Node.Log.GetInclusionProofAsync(new GetInclusionProofRequest { LeafHash = leafHash }).ResponseAsync,
            "leaf_hash", "64 hex digits");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetInclusionProof_UnknownLeafHash_NotFoundNamesHash()
    {
        var unknown = Sha256Hex("not a leaf"u8);

        await RpcAssert.FailsAsync(
            StatusCode.NotFound, () => Node.Log.GetInclusionProofAsync(new GetInclusionProofRequest { LeafHash = unknown }).ResponseAsync, unknown);

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetInclusionProof_NoEntryGiven_InvalidArgument()
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => Node.Log.GetInclusionProofAsync(new GetInclusionProofRequest()).ResponseAsync, "index or leaf_hash");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetConsistencyProof_EveryPairOfSizes_VerifiesAgainstRecomputedRoots()
    {
        for (var size2 = 1ul; size2 <= SevenEntryNode.Size; size2++)
        {
            for (var size1 = 1ul; size1 <= size2; size1++)
            {
                var proof = await Node.Log.GetConsistencyProofAsync(new GetConsistencyProofRequest { Size1 = size1, Size2 = size2 });

                Assert.Equal((_fixture.RootAt(size1).ToString(), _fixture.RootAt(size2).ToString()), (proof.Root1, proof.Root2));
                var result = ConsistencyProof.Verify(size1, size2, _fixture.RootAt(size1), _fixture.RootAt(size2), Hashes(proof.Hashes));
                Assert.True(result.IsValid, $"{size1} -> {size2}: {result}");
            }
        }

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetConsistencyProof_Size2Zero_MeansLatest()
    {
        var proof = await Node.Log.GetConsistencyProofAsync(new GetConsistencyProofRequest { Size1 = 3 });

        Assert.Equal(SevenEntryNode.Size, proof.Size2);
        Assert.True(ConsistencyProof.Verify(3, SevenEntryNode.Size, _fixture.RootAt(3), _fixture.RootAt(SevenEntryNode.Size), Hashes(proof.Hashes)).IsValid);
        Node.AssertNoErrors();
    }

    [Theory]
    [InlineData(5ul, 4ul)]
    [InlineData(0ul, 4ul)]
    public async Task GetConsistencyProof_BadSize1_InvalidArgumentNamesSizes(ulong size1, ulong size2)
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => Node.Log.GetConsistencyProofAsync(new GetConsistencyProofRequest { Size1 = size1, Size2 = size2 }).ResponseAsync,
            "size1 <= size2", $"size1 {size1}", $"size2 {size2}");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task GetConsistencyProof_Size2BeyondTree_OutOfRangeNamesSize2()
    {
        await RpcAssert.FailsAsync(
            StatusCode.OutOfRange, () => Node.Log.GetConsistencyProofAsync(new GetConsistencyProofRequest { Size1 = 1, Size2 = 100 }).ResponseAsync,
            "size2 100", "size 7");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task ListEntries_Range_ReturnsThoseEntriesInOrder()
    {
        var middle = await Node.Log.ListEntriesAsync(new ListEntriesRequest { Start = 2, Limit = 3 });
        var tail = await Node.Log.ListEntriesAsync(new ListEntriesRequest { Start = 5, Limit = 10 });
        var end = await Node.Log.ListEntriesAsync(new ListEntriesRequest { Start = 7 });

        Assert.Equal(_fixture.Entries.Skip(2).Take(3), middle.Entries);
        Assert.Equal(_fixture.Entries.Skip(5), tail.Entries);
        Assert.Empty(end.Entries);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task ListEntries_StartBeyondTree_OutOfRangeNamesStart()
    {
        await RpcAssert.FailsAsync(
            StatusCode.OutOfRange, () => Node.Log.ListEntriesAsync(new ListEntriesRequest { Start = 8 }).ResponseAsync, "start 8", "7 entries");

        Node.AssertNoErrors();
    }

    [Fact]
    public async Task ListEntries_LimitOverMaximum_InvalidArgumentNamesLimit()
    {
        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument, () => Node.Log.ListEntriesAsync(new ListEntriesRequest { Limit = 1001 }).ResponseAsync, "limit", "1000", "1001");

        Node.AssertNoErrors();
    }

    [FilesDriverOnly("an empty log needs a node.db from before key events")]
    [Fact]
    public async Task LogCalls_EmptyLog_EmptyCheckpointAndClearErrors()
    {
        // A new node records its first admin key's event, so only a key store from before key events leaves the log empty.
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        Directory.CreateDirectory(data);
        using (var keys = new ApiKeyStore(Path.Combine(data, "node.db")))
        {
            keys.Add(new ApiKeyRecord("k00000000000000aa", "admin", "predates key events", new Hash(new byte[Hash.Size]), DateTimeOffset.UtcNow, null));
        }

        await using var node = await TestNode.StartAsync(data);

        var checkpoint = await node.Log.GetCheckpointAsync(new GetCheckpointRequest());

        Assert.Equal((0ul, Rfc6962.EmptyRoot.ToString()), (checkpoint.TreeSize, checkpoint.RootHash));
        Assert.True(CheckpointNote.Open(checkpoint.SignedNote, node.LogKey()).IsValid);
        Assert.Empty((await node.Log.ListEntriesAsync(new ListEntriesRequest())).Entries);
        await RpcAssert.FailsAsync(
            StatusCode.FailedPrecondition, () => node.Log.GetInclusionProofAsync(new GetInclusionProofRequest { Index = 0 }).ResponseAsync, "log is empty");
        await RpcAssert.FailsAsync(
            StatusCode.NotFound, () => node.Evidence.GetEntryAsync(new GetEntryRequest { Index = 0 }).ResponseAsync, "Entry 0 does not exist", "0 entries");
        node.AssertNoErrors();
    }

    private static Hash[] Hashes(IEnumerable<string> hex) => [.. hex.Select(Hash.Parse)];

    public sealed class SevenEntryNode : NodeFixture
    {
        public const ulong Size = 7;

        public List<Entry> Entries { get; } = [];

        /// <summary>The root of the first <paramref name="size"/> served leaves, computed here.</summary>
        public Hash RootAt(ulong size) => MerkleMath.Root([.. Entries.Take((int)size).Select(e => Rfc6962.HashLeaf(e.Leaf.Span))]);

        protected override async Task SeedAsync(TestNode node)
        {
            // The keys' api-key-event entries come first; files fill the log up to Size.
            for (var i = (int)node.Node.Ledger.Size; i < (int)Size; i++)
            {
                await PreserveAsync(node, SubmitterKey, Bytes(100 + i, seed: 80 + i), $"f{i}.bin");
            }

            Entries.AddRange((await node.Log.ListEntriesAsync(new ListEntriesRequest())).Entries);
        }
    }
}
