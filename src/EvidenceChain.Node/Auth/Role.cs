namespace EvidenceChain.Node.Auth;

/// <summary>What an API key may do.</summary>
internal enum Role
{
    /// <summary>Preserves evidence; downloads its own artefacts.</summary>
    Submitter,

    /// <summary>Manages cases; downloads any artefact.</summary>
    CaseManager,

    /// <summary>Manages API keys; downloads any artefact.</summary>
    Admin,
}
