using System.Collections;
using System.Reflection;
using LiteDB;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// Works around a LiteDB 5.0.x defect: when a query fails on a damaged file, the engine keeps the failed
/// transaction, and that transaction's finalizer later throws (an internal ENSURE check), which ends the whole
/// process. After such a failure nothing of the engine is usable anyway, so <see cref="Abandon"/> stops those
/// finalizers and disposes the engine, ignoring the errors the damaged file makes it raise.
/// </summary>
/// <remarks>
/// Reads LiteDB internals by reflection (the package version is pinned in Directory.Packages.props and the lock
/// files). If the internals ever change, the reflection finds nothing and only the dispose is attempted.
/// TODO(storage): drop this when LiteDB fixes TransactionService's finalizer, or when the index moves off LiteDB.
/// </remarks>
internal static class LiteDbQuirks
{
    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;

    public static void Abandon(LiteDatabase db)
    {
        var engine = typeof(LiteDatabase).GetField("_engine", Private)?.GetValue(db);
        var monitor = engine?.GetType().GetField("_monitor", Private)?.GetValue(engine);
        if (monitor?.GetType().GetField("_transactions", Private)?.GetValue(monitor) is IDictionary transactions)
        {
            foreach (var transaction in transactions.Values)
            {
                if (transaction is not null)
                {
#pragma warning disable CA1816 // Deliberately on another object: the defect is that object's finalizer.
                    GC.SuppressFinalize(transaction);
#pragma warning restore CA1816
                }
            }
        }

        try
        {
            db.Dispose();
        }
        catch (Exception e) when (e is LiteException or IOException or InvalidOperationException or NullReferenceException or IndexOutOfRangeException or ArgumentException)
        {
            // The file is damaged; the caller is already reporting that.
        }
    }
}
