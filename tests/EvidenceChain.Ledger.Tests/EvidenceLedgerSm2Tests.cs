using System.Globalization;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Ledger.Tests;

/// <summary>The national crypto profile's second checkpoint line (docs/formats.md §6a).</summary>
public sealed class EvidenceLedgerSm2Tests
{
    private const string Origin = "ledger.test/log";
    private static readonly NoteSigner Signer = NoteSigner.FromSeed(Origin, new byte[32]);
    private static readonly NoteSigner Sm2 = NoteSigner.FromSm2PrivateKey(Origin, Enumerable.Repeat((byte)5, 32).ToArray());

    private static EntryDraft Draft(int n) =>
        new("file", "t", [], new Dictionary<string, string> { ["n"] = n.ToString(CultureInfo.InvariantCulture) });

    private static Task<EvidenceLedger> OpenAsync(ILedgerStore store, NoteSigner? sm2) =>
        EvidenceLedger.OpenAsync(
            store, new MemoryEntryIndex(), Signer, sm2, new LedgerOptions { MaxBatchDelay = TimeSpan.Zero },
            TimeProvider.System, NullLogger<EvidenceLedger>.Instance);

    [Fact]
    public async Task Append_WithSm2Signer_EveryCheckpointHasBothLinesAndEachVerifies()
    {
        var store = new MemoryLedgerStore();
        await using var ledger = await OpenAsync(store, Sm2);

        var result = await ledger.AppendAsync(Draft(0));

        Assert.Equal(2, store.History.Count);
        foreach (var note in store.History)
        {
            Assert.True(CheckpointNote.Open(note, Signer.VerifierKey).IsValid);
            Assert.True(CheckpointNote.Open(note, Sm2.VerifierKey).IsValid);
            Assert.True(CheckpointNote.Open(note, [Signer.VerifierKey, Sm2.VerifierKey]).IsValid);
        }

        Assert.Equal(result.SignedCheckpoint, ledger.LatestCheckpoint);
        Assert.Equal(1UL, CheckpointNote.Open(ledger.LatestCheckpoint, Sm2.VerifierKey).Checkpoint!.Size);
    }

    [Fact]
    public async Task Open_ProfileToggledOnThenOff_OldCheckpointsKeepOneLineAndAllReopen()
    {
        var store = new MemoryLedgerStore();
        await using (var plain = await OpenAsync(store, null))
        {
            await plain.AppendAsync(Draft(0));
        }

        await using (var national = await OpenAsync(store, Sm2))
        {
            Assert.Equal(1UL, national.Size);
            await national.AppendAsync(Draft(1));
        }

        await using (var plainAgain = await OpenAsync(store, null))
        {
            Assert.Equal(2UL, plainAgain.Size);
            await plainAgain.AppendAsync(Draft(2));
        }

        var sm2Signed = store.History.Select(n => CheckpointNote.Open(n, Sm2.VerifierKey).IsValid).ToList();
        Assert.Equal([false, false, true, false], sm2Signed);
        Assert.All(store.History, n => Assert.True(CheckpointNote.Open(n, Signer.VerifierKey).IsValid));
    }

    [Fact]
    public async Task Open_StoredCheckpointWithBadSm2Line_IsCorruption()
    {
        var store = new MemoryLedgerStore();
        await using (var ledger = await OpenAsync(store, Sm2))
        {
            await ledger.AppendAsync(Draft(0));
        }

        var other = NoteSigner.FromSm2PrivateKey(Origin, Enumerable.Repeat((byte)6, 32).ToArray());
        var note = store.History[^1];
        var text = note[..(note.LastIndexOf("\n\n", StringComparison.Ordinal) + 1)];
        var forged = SignedNote.Sign(text, Signer, other);
        var line = forged[(forged.LastIndexOf(' ') + 1)..^1];
        var field = Convert.FromBase64String(line);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(field, Sm2.KeyId); // claims to be the real SM2 key
        await store.PublishCheckpointAsync(forged.Replace(line, Convert.ToBase64String(field), StringComparison.Ordinal), CancellationToken.None);

        await Assert.ThrowsAsync<LedgerCorruptException>(() => OpenAsync(store, Sm2));
    }

    [Fact]
    public async Task Open_Sm2SignerOfAnotherNameOrType_Throws()
    {
        var elsewhere = NoteSigner.FromSm2PrivateKey("ledger.test/other", Enumerable.Repeat((byte)5, 32).ToArray());
        var ed = NoteSigner.FromSeed(Origin, Enumerable.Repeat((byte)1, 32).ToArray());

        await Assert.ThrowsAsync<ArgumentException>(() => OpenAsync(new MemoryLedgerStore(), elsewhere));
        await Assert.ThrowsAsync<ArgumentException>(() => OpenAsync(new MemoryLedgerStore(), ed));
    }
}
