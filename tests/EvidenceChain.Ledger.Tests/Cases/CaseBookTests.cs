using EvidenceChain.Core.Cases;
using EvidenceChain.Ledger.Cases;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Ledger.Tests.Cases;

/// <summary>CaseBook over an in-memory ledger: the store is a copy that a reopen checks and completes from the ledger.</summary>
public sealed class CaseBookTests : IAsyncLifetime
{
    private const string Id = "c00000000000000a1";
    private static readonly NoteSigner Signer = NoteSigner.FromSeed("cases.test/log", new byte[32]);
    private EvidenceLedger _ledger = null!;
    private readonly EntryOpenings _openings = MemoryOpeningStore.NewOpenings();

    public async Task InitializeAsync() =>
        _ledger = await EvidenceLedger.OpenAsync(
            new MemoryLedgerStore(), new MemoryEntryIndex(), Signer, new LedgerOptions { MaxBatchDelay = TimeSpan.Zero },
            TimeProvider.System, NullLogger<EvidenceLedger>.Instance);

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    private Task<CaseBook> OpenAsync(ICaseStore store) => CaseBook.OpenAsync(_ledger, _openings, store, NullLogger<CaseBook>.Instance);

    private async Task<ulong> EvidenceAsync(string submitter) =>
        (await _ledger.AppendAsync(new Core.Entries.EntryDraft("file", submitter, [], new Dictionary<string, string>()))).Index;

    [Fact]
    public async Task Create_TitleReferencePartiesAndNotes_AreCommittedInTheLeafAndRevealedOnReopen()
    {
        var book = await OpenAsync(new MemoryCaseStore());
        var (_, created) = await book.CreateAsync(Id, "Li v. Zhang Co.", "(2026) Hu 0101", [new Core.Cases.CaseParty("Li Wei", "claimant")], "k9");
        var (_, noted) = await book.AddNoteAsync(Id, "Witness will not attend", "k9");

        foreach (var index in new[] { created.Index, noted.Index })
        {
            var leaf = System.Text.Encoding.UTF8.GetString((await _ledger.GetEntryAsync(index)).Leaf.Span);
            Assert.DoesNotContain("Zhang", leaf, StringComparison.Ordinal);
            Assert.DoesNotContain("Hu 0101", leaf, StringComparison.Ordinal);
            Assert.DoesNotContain("Li Wei", leaf, StringComparison.Ordinal);
            Assert.DoesNotContain("claimant", leaf, StringComparison.Ordinal);
            Assert.DoesNotContain("Witness", leaf, StringComparison.Ordinal);
        }

        var rebuilt = await OpenAsync(new MemoryCaseStore()); // from the ledger and the openings alone
        var state = rebuilt.Find(Id)!;
        Assert.Equal(("Li v. Zhang Co.", "(2026) Hu 0101", "Li Wei"), (state.Title, state.Reference, state.Parties[0].Name));
        Assert.Equal("Witness will not attend", state.Events[^1].Event.Text);
    }

    [Fact]
    public async Task Reopen_StoreMissedAnEvent_AppliesItFromTheLedger()
    {
        var store = new MemoryCaseStore();
        var book = await OpenAsync(store);
        var exhibit = await EvidenceAsync("k1");
        await book.CreateAsync(Id, "T", "", [], "k9");
        store.FailWrites = true; // as if the node died after the append was durable and before the copy was written
        await Assert.ThrowsAsync<IOException>(() => book.AttachAsync(Id, exhibit, "k9", ownEvidenceOnly: false));
        store.FailWrites = false;

        var reopened = await OpenAsync(store);

        Assert.Equal(exhibit, Assert.Single(reopened.Find(Id)!.Items).Index);
        Assert.Equal(2, store.Load().Count);
    }

    [Fact]
    public async Task Reopen_StoreMissedAnEventThenAnotherCaseWrote_StillAppliesIt()
    {
        var store = new MemoryCaseStore();
        var book = await OpenAsync(store);
        var exhibit = await EvidenceAsync("k1");
        await book.CreateAsync(Id, "T", "", [], "k9");
        store.FailWrites = true;
        await Assert.ThrowsAsync<IOException>(() => book.AttachAsync(Id, exhibit, "k9", ownEvidenceOnly: false));
        store.FailWrites = false;
        await book.CreateAsync("c00000000000000b2", "Other case", "", [], "k9"); // its write must not move the watermark past the attach

        var reopened = await OpenAsync(store);

        Assert.Equal(exhibit, Assert.Single(reopened.Find(Id)!.Items).Index);
        Assert.NotNull(reopened.Find("c00000000000000b2"));
    }

    [Fact]
    public async Task Reopen_StoreHoldsAnEventTheLedgerDoesNot_RebuildsFromTheLedger()
    {
        var store = new MemoryCaseStore();
        var book = await OpenAsync(store);
        await book.CreateAsync(Id, "T", "", [], "k9");
        var forged = new CaseEvent { CaseId = "c00000000000000b2", Action = CaseAction.Create, Actor = "k9", Title = "Forged", Reference = "" };
        var leaf = Core.Entries.LeafCodec.Encode(new Core.Entries.LedgerEntry(_ledger.Origin, 0, default, DateTimeOffset.UnixEpoch, forged.ToDraft()));
        store.Add(new StoredCaseEvent(0, leaf), store.Watermark);

        var reopened = await OpenAsync(store);

        Assert.NotNull(reopened.Find(Id));
        Assert.Null(reopened.Find("c00000000000000b2"));
        Assert.Equal(1, reopened.Count);
    }

    [Fact]
    public async Task Attach_OwnEvidenceOnly_RefusesAnothersEntry()
    {
        var book = await OpenAsync(new MemoryCaseStore());
        var theirs = await EvidenceAsync("k2");
        await book.CreateAsync(Id, "T", "", [], "k9");

        var e = await Assert.ThrowsAsync<CaseException>(() => book.AttachAsync(Id, theirs, "k1", ownEvidenceOnly: true));

        Assert.Equal(CaseFailure.PermissionDenied, e.Failure);
        Assert.Empty(book.Find(Id)!.Items);
    }

    private sealed class MemoryCaseStore : ICaseStore
    {
        private readonly SortedDictionary<ulong, StoredCaseEvent> _events = [];

        public bool FailWrites { get; set; }

        public ulong Watermark { get; private set; }

        public IReadOnlyList<StoredCaseEvent> Load() => [.. _events.Values];

        public void Add(StoredCaseEvent caseEvent, ulong watermark)
        {
            if (FailWrites)
            {
                throw new IOException("disk gone");
            }

            _events[caseEvent.Index] = caseEvent;
            Watermark = watermark;
        }

        public void SetWatermark(ulong watermark) => Watermark = watermark;

        public void Reset()
        {
            _events.Clear();
            Watermark = 0;
        }
    }
}
