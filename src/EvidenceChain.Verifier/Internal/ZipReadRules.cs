namespace EvidenceChain.Verifier.Internal;

/// <summary>What <see cref="UntrustedZip"/> accepts from one kind of zip: receipts and case exports each have one.</summary>
/// <remarks>Immutable.</remarks>
internal sealed record ZipReadRules
{
    /// <summary>What the zip is called in messages: "receipt", "export".</summary>
    public required string Subject { get; init; }

    /// <summary>The most members, folders included.</summary>
    public required int MaxMembers { get; init; }

    /// <summary>The most bytes all members may declare together, uncompressed.</summary>
    public required long MaxTotalBytes { get; init; }

    /// <summary>
    /// The largest uncompressed size of an expected member, given its name (already checked to be safe), or null when
    /// the name is not one the format allows.
    /// </summary>
    public required Func<string, long?> MemberLimit { get; init; }

    /// <summary>Folder members that may be present, empty; they are skipped.</summary>
    public IReadOnlyCollection<string> Folders { get; init; } = [];

    /// <summary>Ends the message about an unexpected member, e.g. "; docs/formats.md lists the members of a case export."</summary>
    public required string UnexpectedHint { get; init; }
}
