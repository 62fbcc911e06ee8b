using EvidenceChain.Ledger.Jobs;
using EvidenceChain.Storage.Contract.Tests.Infrastructure;
using EvidenceChain.Testing.Postgres;

namespace EvidenceChain.Storage.Contract.Tests;

/// <summary>What every <see cref="ICaptureJobStore"/> and <see cref="IWatchStore"/> does: read back after a reopen, replaced by key, ordered.</summary>
public abstract class JobStoreContract(IStoreBackend backend) : StoreContract(backend)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [ContractFact]
    public async Task CaptureJob_CreatedAndUpdated_ReadBackAfterReopen_UnfinishedByJobThenPosition()
    {
        var store = await Backend.OpenJobsAsync();
        store.CreateJob(new CaptureJob("j2", "k1", "c1", T0.AddSeconds(1), 3, true), ["https://a/0", "https://a/1", "https://a/2"]);
        store.CreateJob(new CaptureJob("j1", "k1", string.Empty, T0, 2, false), ["https://b/0", "https://b/1"]);
        store.UpdateItem(new CaptureJobItem("j2", 0, "https://a/0", CaptureItemState.Done, 7, string.Empty, 5));
        store.UpdateItem(new CaptureJobItem("j2", 1, "https://a/1", CaptureItemState.Running, null, string.Empty, 9));
        store.UpdateItem(new CaptureJobItem("j1", 1, "https://b/1", CaptureItemState.Failed, null, "refused: no", 4));

        var reopened = await Backend.OpenJobsAsync();

        Assert.Equal(new CaptureJob("j2", "k1", "c1", T0.AddSeconds(1), 3, true), reopened.FindJob("j2"));
        Assert.Equal(new CaptureJob("j1", "k1", string.Empty, T0, 2, false), reopened.FindJob("j1"));
        Assert.Null(reopened.FindJob("j3"));
        Assert.Equal(
            [
                new CaptureJobItem("j2", 0, "https://a/0", CaptureItemState.Done, 7, string.Empty, 5),
                new CaptureJobItem("j2", 1, "https://a/1", CaptureItemState.Running, null, string.Empty, 9),
                new CaptureJobItem("j2", 2, "https://a/2", CaptureItemState.Pending, null, string.Empty, 0),
            ],
            reopened.Items("j2"));
        Assert.Empty(reopened.Items("j3"));
        Assert.Equal(["j1/0", "j2/1", "j2/2"], reopened.UnfinishedItems().Select(i => $"{i.JobId}/{i.Position}"));
        Assert.Equal(["j1", "j2"], reopened.Jobs().Select(j => j.Id));
    }

    [ContractFact]
    public async Task CaptureJob_CancelledItems_NotUnfinished_ReadBackAsCancelled()
    {
        var store = await Backend.OpenJobsAsync();
        Assert.Empty(store.Jobs());
        store.CreateJob(new CaptureJob("j1", "k1", string.Empty, T0, 3, false), ["https://a/0", "https://a/1", "https://a/2"]);
        store.UpdateItem(new CaptureJobItem("j1", 0, "https://a/0", CaptureItemState.Running, null, string.Empty, 2));
        store.UpdateItem(new CaptureJobItem("j1", 1, "https://a/1", CaptureItemState.Cancelled, null, "cancelled: by k1", 0));
        store.UpdateItem(new CaptureJobItem("j1", 2, "https://a/2", CaptureItemState.Cancelled, null, "cancelled: by k1", 0));

        var reopened = await Backend.OpenJobsAsync();

        Assert.Equal(["j1/0"], reopened.UnfinishedItems().Select(i => $"{i.JobId}/{i.Position}"));
        Assert.Equal(
            [CaptureItemState.Running, CaptureItemState.Cancelled, CaptureItemState.Cancelled],
            reopened.Items("j1").Select(i => i.State));
        Assert.Equal("cancelled: by k1", reopened.Items("j1")[2].Reason);
    }

    [ContractFact]
    public async Task CaptureJob_ManyUrlsWithAnyText_KeptInOrderAndExactly()
    {
        var store = await Backend.OpenJobsAsync();
        string[] urls = [.. Enumerable.Range(0, 1000).Select(i => $"https://example.org/p?q={i}&x=中文'\"\\%_")];
        store.CreateJob(new CaptureJob("j1", "k1", string.Empty, T0, urls.Length, false), urls);

        var items = (await Backend.OpenJobsAsync()).Items("j1");

        Assert.Equal(urls, items.Select(i => i.Url));
        Assert.Equal(Enumerable.Range(0, 1000), items.Select(i => i.Position));
        Assert.All(items, i => Assert.Equal(CaptureItemState.Pending, i.State));
    }

    [ContractFact]
    public async Task CaptureJob_ConcurrentUpdates_EachItemKeepsItsLastWrite()
    {
        var store = await Backend.OpenJobsAsync();
        store.CreateJob(new CaptureJob("j1", "k1", string.Empty, T0, 8, false), [.. Enumerable.Range(0, 8).Select(i => $"https://a/{i}")]);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(p => Task.Run(() =>
        {
            store.UpdateItem(new CaptureJobItem("j1", p, $"https://a/{p}", CaptureItemState.Running, null, string.Empty, (ulong)p));
            store.UpdateItem(new CaptureJobItem("j1", p, $"https://a/{p}", CaptureItemState.Done, (ulong)(100 + p), string.Empty, (ulong)p));
        })));

        var reopened = await Backend.OpenJobsAsync();
        Assert.All(reopened.Items("j1"), i => Assert.Equal((CaptureItemState.Done, (ulong?)(100UL + (ulong)i.Position)), (i.State, i.EntryIndex)));
        Assert.Empty(reopened.UnfinishedItems());
    }

    [ContractFact]
    public async Task Watch_AndEvents_ReadBackAfterReopen_EventReplacedBySlot()
    {
        var watch = new Watch("w1", "https://a/", "k1", "c1", TimeSpan.FromMinutes(5), T0, T0.AddHours(1), false);
        var store = await Backend.OpenWatchesAsync();
        store.PutWatch(watch);
        store.PutEvent(new WatchEvent("w1", 1, T0.AddMinutes(5), WatchEventKind.Running, null, 0, string.Empty, string.Empty, 3));
        store.PutEvent(new WatchEvent("w1", 0, T0, WatchEventKind.FirstSeen, 2, 200, "ab", string.Empty, 1));
        store.PutEvent(new WatchEvent("w1", 1, T0.AddMinutes(5), WatchEventKind.Gone, 4, 404, string.Empty, "http-status: HTTP 404", 3));
        var ended = watch with { State = WatchState.Ended, Ended = T0.AddMinutes(6), EndReason = "stopped by k1", SummaryIndex = 5 };
        store.PutWatch(ended);

        var reopened = await Backend.OpenWatchesAsync();

        var read = Assert.Single(reopened.Watches());
        Assert.Equal(ended, read);
        Assert.Equal(ended, reopened.FindWatch("w1"));
        Assert.Null(reopened.FindWatch("w2"));
        Assert.Equal(12, read.LastSlot);
        Assert.Equal(
            [
                new WatchEvent("w1", 0, T0, WatchEventKind.FirstSeen, 2, 200, "ab", string.Empty, 1),
                new WatchEvent("w1", 1, T0.AddMinutes(5), WatchEventKind.Gone, 4, 404, string.Empty, "http-status: HTTP 404", 3),
            ],
            reopened.Events("w1"));
        Assert.Empty(reopened.Events("w2"));
    }

    [ContractFact]
    public async Task Watches_OldestFirst_ActiveOnesWithoutEndOrSummary()
    {
        var store = await Backend.OpenWatchesAsync();
        store.PutWatch(new Watch("wb", "https://b/", "k2", string.Empty, TimeSpan.FromMinutes(1), T0.AddMinutes(2), T0.AddDays(1), true));
        store.PutWatch(new Watch("wa", "https://a/", "k1", string.Empty, TimeSpan.FromHours(1), T0, T0.AddDays(2), false));
        store.PutWatch(new Watch("wc", "https://c/", "k1", string.Empty, TimeSpan.FromMinutes(1), T0.AddMinutes(2), T0.AddDays(1), false));

        var watches = (await Backend.OpenWatchesAsync()).Watches();

        Assert.Equal(["wa", "wb", "wc"], watches.Select(w => w.Id));
        Assert.All(watches, w => Assert.Equal((WatchState.Active, (DateTimeOffset?)null, string.Empty, (ulong?)null), (w.State, w.Ended, w.EndReason, w.SummaryIndex)));
        Assert.True(watches[1].NoBrowser);
        Assert.Equal(TimeSpan.FromHours(1), watches[0].Every);
    }
}

public sealed class FilesJobStoreTests() : JobStoreContract(new FilesBackend());

public sealed class PostgresJobStoreTests(PostgresDatabaseFixture database)
    : JobStoreContract(new PostgresBackend(database)), IClassFixture<PostgresDatabaseFixture>, INeedPostgres;
