using EvidenceChain.Ledger.Jobs;
using EvidenceChain.Testing;

namespace EvidenceChain.Storage.Tests;

/// <summary>jobs.db: what a capture job and a watch store, read back after the file is reopened.</summary>
public sealed class LiteDbJobStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private (DataFolder Folder, LiteDbJobStore Store) Open()
    {
        var folder = DataFolder.Open(_temp.Path, create: true);
        return (folder, new LiteDbJobStore(folder));
    }

    [Fact]
    public void CaptureJob_CreatedAndUpdated_ReadBackAfterReopen_UnfinishedByJobThenPosition()
    {
        var (folder, store) = Open();
        using (folder)
        using (store)
        {
            store.CreateJob(new CaptureJob("j2", "k1", "c1", T0.AddSeconds(1), 3, true), ["https://a/0", "https://a/1", "https://a/2"]);
            store.CreateJob(new CaptureJob("j1", "k1", string.Empty, T0, 2, false), ["https://b/0", "https://b/1"]);
            store.UpdateItem(new CaptureJobItem("j2", 0, "https://a/0", CaptureItemState.Done, 7, string.Empty, 5));
            store.UpdateItem(new CaptureJobItem("j2", 1, "https://a/1", CaptureItemState.Running, null, string.Empty, 9));
            store.UpdateItem(new CaptureJobItem("j1", 1, "https://b/1", CaptureItemState.Failed, null, "refused: no", 4));
        }

        (folder, store) = Open();
        using (folder)
        using (store)
        {
            Assert.Equal(new CaptureJob("j2", "k1", "c1", T0.AddSeconds(1), 3, true), store.FindJob("j2"));
            Assert.Null(store.FindJob("j3"));
            Assert.Equal(
                [
                    new CaptureJobItem("j2", 0, "https://a/0", CaptureItemState.Done, 7, string.Empty, 5),
                    new CaptureJobItem("j2", 1, "https://a/1", CaptureItemState.Running, null, string.Empty, 9),
                    new CaptureJobItem("j2", 2, "https://a/2", CaptureItemState.Pending, null, string.Empty, 0),
                ],
                store.Items("j2"));
            Assert.Equal(["j1/0", "j2/1", "j2/2"], store.UnfinishedItems().Select(i => $"{i.JobId}/{i.Position}"));
        }
    }

    [Fact]
    public void Watch_AndEvents_ReadBackAfterReopen_EventReplacedBySlot()
    {
        var watch = new Watch("w1", "https://a/", "k1", "c1", TimeSpan.FromMinutes(5), T0, T0.AddHours(1), false);
        var (folder, store) = Open();
        using (folder)
        using (store)
        {
            store.PutWatch(watch);
            store.PutEvent(new WatchEvent("w1", 1, T0.AddMinutes(5), WatchEventKind.Running, null, 0, string.Empty, string.Empty, 3));
            store.PutEvent(new WatchEvent("w1", 0, T0, WatchEventKind.FirstSeen, 2, 200, "ab", string.Empty, 1));
            store.PutEvent(new WatchEvent("w1", 1, T0.AddMinutes(5), WatchEventKind.Gone, 4, 404, string.Empty, "http-status: HTTP 404", 3));
            store.PutWatch(watch with { State = WatchState.Ended, Ended = T0.AddMinutes(6), EndReason = "stopped by k1", SummaryIndex = 5 });
        }

        (folder, store) = Open();
        using (folder)
        using (store)
        {
            var read = Assert.Single(store.Watches());
            Assert.Equal(watch with { State = WatchState.Ended, Ended = T0.AddMinutes(6), EndReason = "stopped by k1", SummaryIndex = 5 }, read);
            Assert.Equal(12, read.LastSlot);
            Assert.Equal(
                [WatchEventKind.FirstSeen, WatchEventKind.Gone],
                store.Events("w1").Select(e => e.Kind));
            Assert.Equal(4ul, store.Events("w1")[1].EntryIndex);
            Assert.Empty(store.Events("w2"));
        }
    }
}
