namespace EvidenceChain.Ledger.Cases;

/// <summary>Why a case request was refused; the node maps each to the gRPC status of the same name.</summary>
public enum CaseFailure
{
    /// <summary>A field is malformed, empty or too long.</summary>
    InvalidArgument,

    /// <summary>No such case, or no such entry to attach.</summary>
    NotFound,

    /// <summary>The case exists already, or the entry is attached already.</summary>
    AlreadyExists,

    /// <summary>The case's state does not allow it (closed, not attached, an entry that is not evidence).</summary>
    FailedPrecondition,

    /// <summary>The caller may not do this to this evidence (a submitter attaching another's entry).</summary>
    PermissionDenied,
}
