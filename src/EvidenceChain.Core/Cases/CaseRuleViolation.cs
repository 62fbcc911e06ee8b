namespace EvidenceChain.Core.Cases;

/// <summary>Why a case cannot take an event.</summary>
public enum CaseRuleViolation
{
    /// <summary>The event would repeat what holds already (the entry is attached).</summary>
    AlreadyExists,

    /// <summary>The case's state does not allow it (closed, not attached, wrong previous event, too many items).</summary>
    FailedPrecondition,
}
