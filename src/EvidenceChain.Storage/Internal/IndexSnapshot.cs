using EvidenceChain.Core;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// The LiteDB index of a data folder as the audit compares it with the ledger, read on its own task while the entries are
/// checked: whether the file exists, the size it claims, each record's <see cref="IndexFingerprint"/> in index order, and
/// what LiteDB threw at each step (kept, not thrown, so that the audit reports it where it reports the index).
/// </summary>
/// <remarks>Immutable once read.</remarks>
internal sealed class IndexSnapshot
{
    private IndexSnapshot()
    {
    }

    /// <summary>False when index.db does not exist.</summary>
    public bool Exists { get; private init; }

    /// <summary>What opening the index or reading its size threw; null when it opened.</summary>
    public Exception? OpenError { get; private init; }

    /// <summary>The number of entries the index claims.</summary>
    public ulong IndexedSize { get; private init; }

    /// <summary>What reading the records threw; null when they were read.</summary>
    public Exception? ReadError { get; private init; }

    /// <summary>Each record's index and fingerprint, in the order the index lists them.</summary>
    public IReadOnlyList<(ulong Index, Hash Fingerprint)> Records { get; private init; } = [];

    /// <summary>What closing the index threw; null when it closed.</summary>
    public Exception? CloseError { get; private init; }

    /// <summary>Reads the index of <paramref name="folder"/> (whose lock the caller holds).</summary>
    public static IndexSnapshot Read(DataFolder folder, CancellationToken cancellationToken)
    {
        if (!File.Exists(folder.IndexPath))
        {
            return new IndexSnapshot();
        }

        LiteDbEntryIndex? index = null;
        ulong indexedSize;
        try
        {
            index = new LiteDbEntryIndex(folder.IndexPath, readOnly: true);
            indexedSize = index.IndexedSize;
        }
        catch (Exception e) when (IsLiteDbFailure(e))
        {
            index?.Abandon();
            return new IndexSnapshot { Exists = true, OpenError = e };
        }

        var records = new List<(ulong, Hash)>();
        Exception? readError = null;
        try
        {
            foreach (var entry in index.All())
            {
                cancellationToken.ThrowIfCancellationRequested();
                records.Add((entry.Index, IndexFingerprint.Of(entry)));
            }
        }
        catch (Exception e) when (IsLiteDbFailure(e))
        {
            readError = e;
        }

        Exception? closeError = null;
        if (readError is not null)
        {
            index.Abandon();
        }
        else
        {
            try
            {
                index.Dispose();
            }
            catch (Exception e) when (IsLiteDbFailure(e))
            {
                closeError = e;
                index.Abandon();
            }
        }

        return new IndexSnapshot
        {
            Exists = true, IndexedSize = indexedSize, Records = records, ReadError = readError, CloseError = closeError,
        };
    }

    // Whatever a damaged LiteDB file makes LiteDB throw, the finding is the same: the derived index is unusable.
    private static bool IsLiteDbFailure(Exception e) => e is not OperationCanceledException and not OutOfMemoryException;
}
