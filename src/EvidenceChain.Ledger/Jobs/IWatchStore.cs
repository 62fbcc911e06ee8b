namespace EvidenceChain.Ledger.Jobs;

/// <summary>The port where the node keeps watches and their timelines, so that a watch survives a restart.</summary>
/// <remarks>Implementations must be thread-safe and make each write durable before it returns.</remarks>
public interface IWatchStore
{
    /// <summary>Stores a watch, replacing one with the same id.</summary>
    void PutWatch(Watch watch);

    /// <summary>The watch with this id, or null.</summary>
    Watch? FindWatch(string id);

    /// <summary>Every watch, oldest first.</summary>
    IReadOnlyList<Watch> Watches();

    /// <summary>Stores a slot's event, replacing the one of the same watch and slot.</summary>
    void PutEvent(WatchEvent watchEvent);

    /// <summary>The watch's events by slot.</summary>
    IReadOnlyList<WatchEvent> Events(string watchId);
}
