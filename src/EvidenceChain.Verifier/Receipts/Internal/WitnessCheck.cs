using System.Globalization;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Text;

namespace EvidenceChain.Verifier.Receipts.Internal;

/// <summary>
/// The <c>witnesses</c> step (docs/formats.md §6c): the checkpoint a proof uses meets a <see cref="WitnessPolicy"/>
/// when the cosignatures that verify over its very note body (c2sp.org/tlog-cosignature), by distinct witnesses the
/// policy lists, meet the policy's quorum, and, when the policy lists logs, one of them signed it.
/// </summary>
/// <remarks>
/// Stateless and thread-safe. A witness that signed twice counts once. Lines by keys the policy does not list are
/// ignored (the log's own line among them), as signed-note requires for unknown keys; they are named in the detail,
/// and so are lines by listed witnesses that do not verify (forged, or made over another checkpoint) and cosignatures
/// timestamped more than <see cref="MaxClockSkew"/> after the verifier's clock (tlog-cosignature lets verifiers reject
/// a time in their future): none of those counts.
/// </remarks>
internal static class WitnessCheck
{
    /// <summary>The step's name.</summary>
    public const string Step = "witnesses";

    /// <summary>The skip reason without a policy.</summary>
    public const string NoPolicy =
        "no witness policy given, so nothing shows that independent witnesses saw this checkpoint (a split view would go unnoticed); give one (a C2SP tlog-policy file) to check its cosignatures";

    /// <summary>How far after the verifier's clock a cosignature's time may be before it is refused as implausible.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(10);

    /// <summary>The largest POSIX time a <see cref="DateTimeOffset"/> holds (9999-12-31T23:59:59Z).</summary>
    private const long MaxDisplayableSeconds = 253_402_300_799;

    /// <summary>Checks <paramref name="signedNote"/>'s cosignatures; the verified ones are returned for display.</summary>
    public static VerificationStep Check(
        string signedNote, NoteVerifier logKey, WitnessPolicy policy, DateTimeOffset now, out IReadOnlyList<VerifiedCosignature> verified)
    {
        verified = [];
        var body = SignedNote.TextOf(signedNote);
        var opened = SignedNote.Open(signedNote, []);
        if (body is null || opened.Failure != NoteFailure.NoVerifiedSignature)
        {
            return new VerificationStep(Step, false, $"the checkpoint note cannot be read: {opened.Message}");
        }

        var problems = new List<string>();
        if (policy.Logs.Count > 0 && !policy.Logs.Any(l => CheckpointNote.Open(signedNote, l.Key).IsValid))
        {
            problems.Add($"the policy accepts only log(s) {string.Join(", ", policy.Logs.Select(l => KeyText(l.Key.Name, l.Key.KeyId)))}, and none of them signed this checkpoint");
        }

        var valid = new List<VerifiedCosignature>();
        var forged = new List<string>();
        var future = new List<string>();
        var unlisted = new List<string>();
        var twice = new List<string>();
        var latest = now + MaxClockSkew;
        foreach (var line in opened.UnknownSignatures)
        {
            if (IsLogLine(line, logKey, policy))
            {
                continue;
            }

            var witness = policy.Witnesses.FirstOrDefault(w => w.Key.KeyId == line.KeyId && string.Equals(w.Key.Name, line.Name, StringComparison.Ordinal));
            if (witness is null)
            {
                unlisted.Add(Quoted(line.ToString()));
                continue;
            }

            if (!Cosignature.TryVerify(witness.Key, body, line, out var seconds))
            {
                forged.Add(witness.Name);
                continue;
            }

            if (seconds > MaxDisplayableSeconds || DateTimeOffset.FromUnixTimeSeconds((long)seconds) > latest)
            {
                future.Add($"{witness.Name} ({Time(seconds)})");
                continue;
            }

            if (valid.Exists(v => v.Witness == witness.Name))
            {
                twice.Add(witness.Name);
                continue;
            }

            valid.Add(new VerifiedCosignature(witness.Name, witness.Key, DateTimeOffset.FromUnixTimeSeconds((long)seconds)));
        }

        var names = valid.Select(v => v.Witness).ToHashSet(StringComparer.Ordinal);
        var met = policy.IsMetBy(names) && problems.Count == 0;
        verified = valid;
        var size = body.Split('\n') is { Length: > 2 } lines ? lines[1] : "?";
        var signed = valid.Count == 0
            ? "none"
            : string.Join(", ", valid.Select(v => $"{v.Witness} at {v.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}"));
        var ignored = Ignored(forged, future, unlisted, twice);

        if (!policy.RequiresCosignatures && problems.Count == 0)
        {
            return new VerificationStep(Step, true, $"the policy requires no cosignature (quorum none); valid cosignatures: {signed}{ignored}");
        }

        var (needed, members) = Needed(policy);
        if (met)
        {
            return new VerificationStep(Step, true, string.Create(CultureInfo.InvariantCulture,
                $"{valid.Count} valid cosignature(s) over the checkpoint of size {size} meet the quorum ({policy.DescribeQuorum()}): {signed}{ignored}"));
        }

        var missing = members.Where(m => !names.Contains(m)).ToList();
        var count = needed is { } k
            ? string.Create(CultureInfo.InvariantCulture, $"{valid.Count} valid cosignature(s) of the {k} the quorum needs ({policy.DescribeQuorum()})")
            : string.Create(CultureInfo.InvariantCulture, $"{valid.Count} valid cosignature(s) do not meet the quorum ({policy.DescribeQuorum()})");
        var parts = new List<string>(problems) { $"{count} over the checkpoint of size {size}: {signed}" };
        if (missing.Count > 0)
        {
            parts.Add($"missing: {string.Join(", ", missing)}");
        }

        if (opened.UnknownSignatures.All(l => IsLogLine(l, logKey, policy)))
        {
            parts.Add("the checkpoint carries no cosignature (a receipt made while the witnesses were unreachable can be fetched again later, at a cosigned checkpoint)");
        }

        return new VerificationStep(Step, false, string.Join("; ", parts) + Ignored(forged, future, unlisted, twice));
    }

    /// <summary>
    /// For a quorum that is one witness, or one group of witnesses: k and the witnesses that count towards it. For a
    /// quorum of nested groups: no single k, and every listed witness.
    /// </summary>
    private static (int? Needed, IReadOnlyList<string> Members) Needed(WitnessPolicy policy)
    {
        if (policy.FindGroup(policy.Quorum) is not { } group)
        {
            return (1, [policy.Quorum]);
        }

        return group.Members.All(m => policy.FindGroup(m) is null)
            ? (group.Threshold, group.Members)
            : (null, [.. policy.Witnesses.Select(w => w.Name)]);
    }

    private static string Ignored(List<string> forged, List<string> future, List<string> unlisted, List<string> twice)
    {
        var parts = new List<string>();
        if (forged.Count > 0)
        {
            parts.Add($"not counted, the signature does not verify over this checkpoint (forged, or made over another checkpoint): {string.Join(", ", forged)}");
        }

        if (future.Count > 0)
        {
            parts.Add($"not counted, timestamped in the future: {string.Join(", ", future)}");
        }

        if (twice.Count > 0)
        {
            parts.Add($"counted once, signed more than once: {string.Join(", ", twice.Distinct())}");
        }

        if (unlisted.Count > 0)
        {
            parts.Add($"ignored, by keys the policy does not list: {string.Join(", ", unlisted.Take(5))}{(unlisted.Count > 5 ? string.Create(CultureInfo.InvariantCulture, $" and {unlisted.Count - 5} more") : string.Empty)}");
        }

        return parts.Count == 0 ? string.Empty : "; " + string.Join("; ", parts);
    }

    /// <summary>A line under the log's name (its Ed25519 line, or its SM2 line on the national profile): not a cosignature.</summary>
    private static bool IsLogLine(NoteSignature line, NoteVerifier logKey, WitnessPolicy policy) =>
        string.Equals(line.Name, logKey.Name, StringComparison.Ordinal) || policy.Logs.Any(l => string.Equals(line.Name, l.Key.Name, StringComparison.Ordinal));

    private static string KeyText(string name, uint keyId) => string.Create(CultureInfo.InvariantCulture, $"{UntrustedText.Printable(name, 80)}+{keyId:x8}");

    private static string Quoted(string text) => UntrustedText.Printable(text, 100);

    private static string Time(ulong seconds) => seconds <= MaxDisplayableSeconds
        ? $"{DateTimeOffset.FromUnixTimeSeconds((long)seconds).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}"
        : string.Create(CultureInfo.InvariantCulture, $"time {seconds}");
}
