namespace EvidenceChain.Ledger.Jobs;

/// <summary>
/// A URL captured at fixed slots, <see cref="Start"/> + k × <see cref="Every"/>, until <see cref="Until"/>
/// (docs/formats.md §20). Immutable: a change is a new record.
/// </summary>
/// <param name="Id">The watch's id: <c>w</c> and 16 lowercase hex digits.</param>
/// <param name="Url">The URL watched.</param>
/// <param name="Submitter">The API key id that created it; its entries are that key's.</param>
/// <param name="CaseId">The case each capture is attached to; empty for none.</param>
/// <param name="Every">The time between slots (at least one minute).</param>
/// <param name="Start">Slot 0: when the node accepted the watch.</param>
/// <param name="Until">No slot after this time.</param>
/// <param name="NoBrowser">Capture without the browser.</param>
public sealed record Watch(string Id, string Url, string Submitter, string CaseId, TimeSpan Every, DateTimeOffset Start, DateTimeOffset Until, bool NoBrowser)
{
    /// <summary>Active until it ended (its last slot passed) or was stopped.</summary>
    public WatchState State { get; init; } = WatchState.Active;

    /// <summary>When it ended or was stopped; null while active.</summary>
    public DateTimeOffset? Ended { get; init; }

    /// <summary>Why it ended: <c>until reached</c>, or <c>stopped by KEY</c>; empty while active.</summary>
    public string EndReason { get; init; } = string.Empty;

    /// <summary>The <c>watch-summary</c> entry appended when it ended; null until then.</summary>
    public ulong? SummaryIndex { get; init; }

    /// <summary>The time of slot <paramref name="slot"/>.</summary>
    public DateTimeOffset SlotTime(long slot) => Start + (Every * slot);

    /// <summary>The last slot at or before <paramref name="time"/> (-1 before the start), capped at the last slot before <see cref="Until"/>.</summary>
    public long SlotAt(DateTimeOffset time) => time < Start ? -1 : Math.Min(LastSlot, (long)((time - Start).Ticks / Every.Ticks));

    /// <summary>The last slot: the last one at or before <see cref="Until"/>.</summary>
    public long LastSlot => Until < Start ? -1 : (Until - Start).Ticks / Every.Ticks;
}
