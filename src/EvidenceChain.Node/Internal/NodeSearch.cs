using EvidenceChain.Ledger.Search;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// The node's evidence search: <see cref="EntrySearch"/> over the storage driver's search store, and the follower that
/// keeps it caught up with the ledger in the background (every second; searches also catch up first).
/// </summary>
internal sealed class NodeSearch : IAsyncDisposable
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _stop = new();
    private Task _follower = Task.CompletedTask;
    private int _disposed;

    private NodeSearch(EntrySearch search)
    {
        Search = search;
    }

    public EntrySearch Search { get; }

    public static async Task<NodeSearch> OpenAsync(
        NodeLedger ledger, Ledger.EntryOpenings openings, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var search = await ledger.DiagnoseAsync(
            () => EntrySearch.OpenAsync(ledger.Ledger, openings, ledger.Driver.Search, loggers.CreateLogger<EntrySearch>(), cancellationToken));
        var node = new NodeSearch(search);
        node._follower = Task.Run(() => search.RunAsync(FollowInterval, time, node._stop.Token), CancellationToken.None);
        return node;
    }

    /// <summary>Stops the follower (the driver closes the store).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await _follower;
        Search.Dispose();
        _stop.Dispose();
    }
}
