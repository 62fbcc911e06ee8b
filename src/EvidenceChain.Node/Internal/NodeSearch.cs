using EvidenceChain.Ledger.Search;
using EvidenceChain.Storage;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// The node's evidence search: <see cref="EntrySearch"/> over <c>search.db</c> (<see cref="LiteDbSearchStore"/>), and
/// the follower that keeps it caught up with the ledger in the background (every second; searches also catch up
/// first). A store that does not open is derived data: it is deleted and rebuilt.
/// </summary>
internal sealed class NodeSearch : IAsyncDisposable
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(1);
    private readonly LiteDbSearchStore _store;
    private readonly CancellationTokenSource _stop = new();
    private Task _follower = Task.CompletedTask;
    private int _disposed;

    private NodeSearch(EntrySearch search, LiteDbSearchStore store)
    {
        Search = search;
        _store = store;
    }

    public EntrySearch Search { get; }

    public static async Task<NodeSearch> OpenAsync(
        FileLedger ledger, Ledger.EntryOpenings openings, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var log = loggers.CreateLogger<NodeSearch>();
        var store = LiteDbSearchStore.OpenOrRecreate(ledger.Folder, reason => NodeLog.SearchStoreRebuilt(log, LiteDbSearchStore.FileName, reason));
        try
        {
            var search = await EntrySearch.OpenAsync(ledger.Ledger, openings, store, loggers.CreateLogger<EntrySearch>(), cancellationToken);
            var node = new NodeSearch(search, store);
            node._follower = Task.Run(() => search.RunAsync(FollowInterval, time, node._stop.Token), CancellationToken.None);
            return node;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Stops the follower and closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await _follower;
        Search.Dispose();
        _store.Dispose();
        _stop.Dispose();
    }
}
