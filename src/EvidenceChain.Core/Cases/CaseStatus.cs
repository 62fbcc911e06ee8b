namespace EvidenceChain.Core.Cases;

/// <summary>Whether a case still accepts changes.</summary>
public enum CaseStatus
{
    /// <summary>Evidence may be attached and detached, notes added, and the case closed.</summary>
    Open,

    /// <summary>Closed for good: only exports are recorded.</summary>
    Closed,
}
