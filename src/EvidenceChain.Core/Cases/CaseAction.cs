namespace EvidenceChain.Core.Cases;

/// <summary>What a <c>case-event</c> entry records (attribute <c>action</c>; docs/formats.md, "Cases").</summary>
public enum CaseAction
{
    /// <summary><c>create</c>: the case is opened with its title, reference and parties.</summary>
    Create,

    /// <summary><c>attach</c>: an entry is added to the case as evidence.</summary>
    Attach,

    /// <summary><c>detach</c>: an attached entry is taken out of the case (it stays in the ledger).</summary>
    Detach,

    /// <summary><c>note</c>: a note is added to the case.</summary>
    Note,

    /// <summary><c>close</c>: the case is closed; only exports may follow.</summary>
    Close,

    /// <summary><c>export</c>: the case was exported; the event carries the SHA-256 of the signed manifest.</summary>
    Export,
}
