namespace EvidenceChain.Ledger.Cases;

/// <summary>
/// The port where <see cref="CaseBook"/> keeps a copy of the ledger's <c>case-event</c> entries and how far it has
/// scanned the ledger for them. Everything in it can be rebuilt from the ledger; the ledger wins when they disagree.
/// </summary>
/// <remarks>Implementations must be thread-safe, and make each write durable before it returns.</remarks>
public interface ICaseStore
{
    /// <summary>
    /// The watermark: every case event with a lower index is stored. 0 for a new (or reset) store.
    /// </summary>
    ulong Watermark { get; }

    /// <summary>Every stored event, by ascending index.</summary>
    IReadOnlyList<StoredCaseEvent> Load();

    /// <summary>Stores <paramref name="caseEvent"/> (replacing one at the same index) and sets the watermark, in one write.</summary>
    void Add(StoredCaseEvent caseEvent, ulong watermark);

    /// <summary>Sets the watermark.</summary>
    void SetWatermark(ulong watermark);

    /// <summary>Forgets everything (before a rebuild from the ledger).</summary>
    void Reset();
}
