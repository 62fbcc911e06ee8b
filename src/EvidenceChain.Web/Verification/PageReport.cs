using EvidenceChain.Core.Entries;
using EvidenceChain.Verifier;

namespace EvidenceChain.Web.Verification;

/// <summary>A receipt copy of a trust anchor (what the receipt claims) and whether it is the pinned one.</summary>
/// <param name="What">log key, SM2 key or TSA certificate.</param>
/// <param name="Claimed">The receipt's copy: the key, or the certificate's subject and fingerprint.</param>
/// <param name="MatchesPinned">True when the copy is the pinned anchor; null when nothing of that kind is pinned.</param>
internal sealed record ClaimedAnchor(string What, string Claimed, bool? MatchesPinned);

/// <summary>One line of a case export's report: an item or an event receipt, with its own steps.</summary>
/// <param name="Name">As the CLI prints it: <c>item 5</c> or <c>event 6</c>.</param>
/// <param name="Member">The receipt's path in the export.</param>
/// <param name="Passed">True when the receipt verified, timestamp included.</param>
/// <param name="Detail">What matched, or the first failure.</param>
/// <param name="Report">The receipt's own steps.</param>
internal sealed record CaseLine(string Name, string Member, bool Passed, string Detail, VerificationReport Report);

/// <summary>
/// What the page shows after one verification: the verdict and its reason, the steps as the Verifier reported them,
/// and what the evidence is. Built by <see cref="PageVerifier"/>.
/// </summary>
internal sealed class PageReport
{
    public required string FileName { get; init; }

    public required bool IsCase { get; init; }

    /// <summary>Why the file was not verified at all (unreadable, over a limit): the verdict is then a failure.</summary>
    public string? Refused { get; init; }

    public VerificationReport? Report { get; init; }

    public IReadOnlyList<CaseLine> CaseLines { get; init; } = [];

    public bool Verified { get; init; }

    /// <summary>The first failure, as <c>step: detail</c>; null when verified.</summary>
    public string? Reason { get; init; }

    public LedgerEntry? Entry { get; init; }

    public string? LeafHash { get; init; }

    public ulong? CheckpointSize { get; init; }

    public string? CheckpointOrigin { get; init; }

    public string? GenTime { get; init; }

    public string? Tsa { get; init; }

    public string? CaseId { get; init; }

    public string? CaseTitle { get; init; }

    public IReadOnlyList<ClaimedAnchor> Claimed { get; init; } = [];

    /// <summary>The originals given beside the receipt, checked as artefacts (names).</summary>
    public IReadOnlyList<string> Originals { get; init; } = [];

    /// <summary>A verified screenshot.png from the receipt, as a data URL; null when there is none.</summary>
    public string? Screenshot { get; set; }

    public TimeSpan Elapsed { get; set; }

    public DateTimeOffset CheckedAt { get; init; } = DateTimeOffset.UtcNow;
}
