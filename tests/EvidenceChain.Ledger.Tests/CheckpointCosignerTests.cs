using System.Globalization;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Merkle;
using EvidenceChain.Core.Notes;
using EvidenceChain.Ledger.Witnessing;
using EvidenceChain.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Ledger.Tests;

/// <summary>
/// CheckpointCosigner over a real ledger and in-memory witnesses that follow the tlog-witness rules (old size, 409
/// with the size held, consistency proofs, 422): rounds, the quorum, the 409 exchange, conflicts, failures and a
/// hanging witness.
/// </summary>
public sealed class CheckpointCosignerTests
{
    private static readonly NoteSigner Signer = NoteSigner.FromSeed("cosigner.test/log", new byte[32]);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static EntryDraft Draft(int n) =>
        new("file", "t", [], new Dictionary<string, string> { ["n"] = n.ToString(CultureInfo.InvariantCulture) });

    private static Task<EvidenceLedger> OpenLedgerAsync() =>
        EvidenceLedger.OpenAsync(
            new MemoryLedgerStore(), new MemoryEntryIndex(), Signer, new LedgerOptions { MaxBatchDelay = TimeSpan.Zero }, TimeProvider.System, NullLogger<EvidenceLedger>.Instance);

    private static CheckpointCosigner Cosigner(
        EvidenceLedger ledger, IReadOnlyList<IWitnessClient> witnesses, int quorum, ICosignatureStore? store = null, ILogger<CheckpointCosigner>? logger = null) =>
        new(ledger, witnesses, store ?? new MemoryStore(), new CosigningOptions
        {
            Quorum = quorum,
            MinInterval = TimeSpan.FromMilliseconds(10),
            RequestTimeout = TimeSpan.FromSeconds(20),
            FirstRetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryDelay = TimeSpan.FromMilliseconds(200),
            MaxLag = TimeSpan.FromSeconds(60),
        }, TimeProvider.System, logger ?? NullLogger<CheckpointCosigner>.Instance);

    /// <summary>A fake witness's signature line: well-formed (key ID and all), naming the size it "cosigned".</summary>
    private static string Line(string name, ulong size) =>
        $"— {name} {Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"cosigned size {size}")))}\n";

    private static async Task AppendAsync(EvidenceLedger ledger, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await ledger.AppendAsync(Draft(i));
        }
    }

    private static async Task<T> EventuallyAsync<T>(Func<T> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}; last: {value}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Round_ThreeWitnesses_LatestCheckpointStoredWithEveryCosignatureAppended()
    {
        await using var ledger = await OpenLedgerAsync();
        var witnesses = new[] { new FakeWitness("w1"), new FakeWitness("w2"), new FakeWitness("w3") };
        var store = new MemoryStore();
        await using var cosigner = Cosigner(ledger, witnesses, quorum: 2, store);
        cosigner.Start();

        await AppendAsync(ledger, 5);
        var quorum = await cosigner.WaitForQuorumAsync(5, new CancellationTokenSource(Patience).Token);
        var latest = await EventuallyAsync(() => store.Current.Latest, l => l is { Size: 5, Witnesses.Count: 3 }, "all three cosignatures of size 5");

        Assert.Equal(5UL, quorum.Size);
        Assert.StartsWith(ledger.Latest.SignedNote, latest!.SignedNote, StringComparison.Ordinal);
        Assert.Equal(ledger.Latest.SignedNote + Line("w1", 5) + Line("w2", 5) + Line("w3", 5), latest.SignedNote);
        Assert.Equal(["w1", "w2", "w3"], latest.Witnesses);
        Assert.True(CheckpointNote.Open(latest.SignedNote, Signer.VerifierKey).IsValid, "extra lines of unknown keys are ignored");
        Assert.All(witnesses, w => Assert.Equal(5UL, w.Size));
        Assert.True(cosigner.Status.IsHealthy, cosigner.Status.Problem);
    }

    [Fact]
    public async Task Round_WitnessAlreadyHoldsASmallerSize_409ThenProofFromThatSizeAndCosigned()
    {
        await using var ledger = await OpenLedgerAsync();
        await AppendAsync(ledger, 3);
        var witness = new FakeWitness("w1");
        witness.Hold(3, ledger.Latest.Root); // cosigned before, e.g. by an earlier run whose state was lost
        await AppendAsync(ledger, 4);
        await using var cosigner = Cosigner(ledger, [witness], quorum: 1);
        cosigner.Start();

        var quorum = await cosigner.WaitForQuorumAsync(7, new CancellationTokenSource(Patience).Token);

        Assert.Equal(7UL, quorum.Size);
        Assert.Equal([0UL, 3UL], witness.OldSizes.Take(2)); // asked from 0, told 3, proved from 3
        Assert.Equal(7UL, witness.Size);
    }

    [Fact]
    public async Task Round_WitnessHoldsALargerSize_ConflictLoggedAndReported()
    {
        await using var ledger = await OpenLedgerAsync();
        await AppendAsync(ledger, 2);
        var honest = new FakeWitness("w1");
        var forked = new FakeWitness("w2");
        forked.Hold(100, new Hash(new byte[32]));
        var logs = new ListLogger();
        await using var cosigner = Cosigner(ledger, [honest, forked], quorum: 1, logger: logs);
        cosigner.Start();

        var status = await EventuallyAsync(() => cosigner.Status, s => s.Witnesses[1].Conflict is not null, "the conflict");

        Assert.Contains("size 100", status.Witnesses[1].Conflict, StringComparison.Ordinal);
        Assert.Contains("this log's 2", status.Witnesses[1].Conflict, StringComparison.Ordinal);
        Assert.False(status.IsHealthy);
        Assert.Contains("conflict at witness w2", status.Problem, StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("w2", StringComparison.Ordinal) && e.Message.Contains("100", StringComparison.Ordinal));
        Assert.Null(status.Witnesses[0].Conflict);
    }

    [Fact]
    public async Task Round_WitnessHoldsAnotherTreeOfASmallerSize_ProofRefusedIsAConflict()
    {
        await using var ledger = await OpenLedgerAsync();
        await AppendAsync(ledger, 4);
        var forked = new FakeWitness("w1");
        forked.Hold(2, new Hash(Enumerable.Repeat((byte)7, 32).ToArray())); // size 2, but not this log's tree
        await using var cosigner = Cosigner(ledger, [forked], quorum: 1, logger: new ListLogger());
        cosigner.Start();

        var status = await EventuallyAsync(() => cosigner.Status, s => s.Witnesses[0].Conflict is not null, "the conflict");

        Assert.Contains("its checkpoint of size 2 is not this log's", status.Witnesses[0].Conflict, StringComparison.Ordinal);
        Assert.Null(cosigner.LatestQuorum);
    }

    [Fact]
    public async Task Round_TwoOfThreeFail_CheckpointWithOneCosignatureNotQuorum_PolicyUnmetWithReasons()
    {
        await using var ledger = await OpenLedgerAsync();
        var witnesses = new[] { new FakeWitness("w1"), new FakeWitness("w2") { Fail = true }, new FakeWitness("w3") { Fail = true } };
        var store = new MemoryStore();
        await using var cosigner = Cosigner(ledger, witnesses, quorum: 2, store);
        cosigner.Start();
        await AppendAsync(ledger, 3);

        var latest = await EventuallyAsync(() => store.Current.Latest, l => l is { Size: 3 }, "the cosignature of w1");
        var status = await EventuallyAsync(() => cosigner.Status, s => s.Witnesses[2].LastError is not null, "w3's failure");

        Assert.Equal(["w1"], latest!.Witnesses);
        Assert.Null(store.Current.Quorum);
        Assert.False(status.PolicyMet);
        Assert.Contains("1 of the 2 witnesses needed", status.Problem, StringComparison.Ordinal);
        Assert.Contains("w2: down", status.Problem, StringComparison.Ordinal);

        // Back up: retried with back-off, and the quorum is met without any new append.
        witnesses[1].Fail = false;
        var quorum = await cosigner.WaitForQuorumAsync(3, new CancellationTokenSource(Patience).Token);
        Assert.Equal(["w1", "w2"], quorum.Witnesses);
    }

    [Fact]
    public async Task Round_OneWitnessHangs_OthersStillMeetTheQuorumAndAppendsGoOn()
    {
        await using var ledger = await OpenLedgerAsync();
        var hanging = new FakeWitness("w1") { Hang = true };
        var witnesses = new[] { hanging, new FakeWitness("w2"), new FakeWitness("w3") };
        await using var cosigner = Cosigner(ledger, witnesses, quorum: 2);
        cosigner.Start();

        var appends = Task.Run(() => AppendAsync(ledger, 50));
        await appends.WaitAsync(TimeSpan.FromSeconds(10)); // the hanging witness (20 s time-out) is not on the append path
        var quorum = await cosigner.WaitForQuorumAsync(50, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        Assert.Equal(["w2", "w3"], quorum.Witnesses);
        Assert.True(hanging.OldSizes.Count >= 1);
    }

    [Fact]
    public async Task Start_StoredWitnessSizes_FirstRequestProvesFromThem()
    {
        await using var ledger = await OpenLedgerAsync();
        await AppendAsync(ledger, 3);
        var witness = new FakeWitness("w1");
        witness.Hold(3, ledger.Latest.Root);
        await AppendAsync(ledger, 2);
        var store = new MemoryStore();
        await store.SaveAsync(new CosignatureState(null, null, [new WitnessRecord("w1", 3)]), CancellationToken.None);
        await using var cosigner = Cosigner(ledger, [witness], quorum: 1, store);
        cosigner.Start();

        await cosigner.WaitForQuorumAsync(5, new CancellationTokenSource(Patience).Token);

        Assert.Equal(3UL, witness.OldSizes[0]);
        Assert.Equal([new WitnessRecord("w1", 5)], store.Current.Witnesses);
    }

    private sealed class MemoryStore : ICosignatureStore
    {
        public CosignatureState Current { get; private set; } = CosignatureState.Empty;

        public Task SaveAsync(CosignatureState state, CancellationToken cancellationToken)
        {
            Current = state;
            return Task.CompletedTask;
        }
    }

    /// <summary>A witness by the protocol's rules, in memory; its "cosignature" is a line naming the size.</summary>
    private sealed class FakeWitness(string name) : IWitnessClient
    {
        private readonly Lock _lock = new();
        private ulong _size;
        private Hash _root;

        public string Name { get; } = name;

        public bool Fail { get; set; }

        public bool Hang { get; set; }

        public List<ulong> OldSizes { get; } = [];

        public ulong Size
        {
            get
            {
                lock (_lock)
                {
                    return _size;
                }
            }
        }

        public void Hold(ulong size, Hash root)
        {
            lock (_lock)
            {
                (_size, _root) = (size, root);
            }
        }

        public async Task<WitnessAnswer> AddCheckpointAsync(ulong oldSize, IReadOnlyList<Hash> proof, string signedCheckpoint, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                OldSizes.Add(oldSize);
            }

            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (Fail)
            {
                throw new WitnessException("down");
            }

            var checkpoint = Checkpoint.Parse(SignedNote.TextOf(signedCheckpoint)!);
            lock (_lock)
            {
                if (oldSize != _size || (oldSize == checkpoint.Size && _size > 0 && _root != checkpoint.Root))
                {
                    return WitnessAnswer.Conflict(_size);
                }

                if (oldSize > 0 && oldSize < checkpoint.Size && !ConsistencyProof.Verify(oldSize, checkpoint.Size, _root, checkpoint.Root, [.. proof]).IsValid)
                {
                    return WitnessAnswer.BadProof;
                }

                (_size, _root) = (checkpoint.Size, checkpoint.Root);
                return WitnessAnswer.Cosigned(Line(Name, checkpoint.Size));
            }
        }
    }

    private sealed class ListLogger : ILogger<CheckpointCosigner>
    {
        private readonly Lock _lock = new();
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public IReadOnlyList<(LogLevel Level, string Message)> Entries
        {
            get
            {
                lock (_lock)
                {
                    return [.. _entries];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lock)
            {
                _entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
