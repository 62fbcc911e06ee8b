namespace EvidenceChain.Core.Cases;

/// <summary>The sizes of a case's fields, in UTF-8 bytes, and the counts its events may carry.</summary>
internal static class CaseLimits
{
    /// <summary>The longest title.</summary>
    public const int MaxTitleBytes = 1024;

    /// <summary>The longest reference number (for example a court's case number).</summary>
    public const int MaxReferenceBytes = 256;

    /// <summary>The longest party name.</summary>
    public const int MaxPartyNameBytes = 256;

    /// <summary>The longest party role.</summary>
    public const int MaxPartyRoleBytes = 64;

    /// <summary>The most parties a case lists.</summary>
    public const int MaxParties = 32;

    /// <summary>The longest note, or reason given for a detach or a close.</summary>
    public const int MaxTextBytes = 16384;

    /// <summary>The most items a case may hold at once, so that its signed manifest stays below the 1 MiB signed-note limit.</summary>
    public const int MaxItems = 1000;

    /// <summary>The most events a case may record (its manifest lists them all).</summary>
    public const int MaxEvents = 4000;
}
