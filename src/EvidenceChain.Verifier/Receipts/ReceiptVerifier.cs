using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core.Digests;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Proofs;
using EvidenceChain.Core.Text;
using EvidenceChain.Verifier.Internal;
using EvidenceChain.Verifier.Receipts.Internal;
using EvidenceChain.Verifier.Timestamps;
using EvidenceChain.Verifier.Warc;

namespace EvidenceChain.Verifier.Receipts;

/// <summary>
/// Verifies a receipt offline under pinned trust anchors, one <see cref="VerificationStep"/> per check, in order:
/// <c>proof format</c>; <c>checkpoint signature</c>, <c>leaf format</c>, <c>leaf identity</c>, <c>inclusion</c> (as
/// <see cref="EntryVerifier"/>); any <see cref="ReceiptTrust.CheckpointChecks"/>; <c>witnesses</c> (the checkpoint's
/// cosignatures against <see cref="ReceiptTrust.Witnesses"/>, skipped without a policy); <c>timestamp</c> (the RFC 3161
/// token over the checkpoint's note text, genTime in the detail); <c>checkpoint text</c> (checkpoint.txt is that
/// note text); <c>disclosed</c> (each opening in disclosed.json recomputes the leaf's commitment of its field; reported
/// when the leaf commits fields or openings are given); then <c>artefact NAME</c> for each artefact given; then
/// <c>warc records</c> (every record digest of a web capture's WARC, when it was given).
/// </summary>
/// <remarks>
/// <para>
/// Stateless and thread-safe. Independent steps all run, so that one report shows everything that holds and
/// everything that does not (a court wants the artefact digests even when the timestamp failed). A step whose input
/// is missing, or that depends on a failed step, is reported as skipped with the reason: the entry steps stop at the
/// first failure, as in <see cref="EntryVerifier"/>; the timestamp and checkpoint text need a readable proof; the
/// artefacts need a readable leaf. Without a timestamp response the <c>timestamp</c> step is skipped, which a
/// caller that requires trusted time must treat as a failure.
/// </para>
/// </remarks>
public static class ReceiptVerifier
{
    /// <summary>The step that says a verification stopped at a limit on its work (bytes inflated and hashed, or time).</summary>
    internal const string WorkLimitStep = "work limit";

    /// <summary>The step that checks every record digest of a web capture's WARC.</summary>
    internal const string WarcStep = "warc records";

    private const string WarcMediaType = "application/warc";

    private static readonly string[] EntrySteps = ["checkpoint signature", "leaf format", "leaf identity", "inclusion"];

    /// <summary>Verifies <paramref name="evidence"/> under <paramref name="trust"/>.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled while an artefact was read.</exception>
    public static Task<VerificationReport> VerifyAsync(ReceiptEvidence evidence, ReceiptTrust trust, CancellationToken cancellationToken = default) =>
        VerifyAsync(evidence, trust, null, cancellationToken);

    /// <summary>
    /// As the public overload, with the receipt's inclusion proof possibly already checked in a batch
    /// (<see cref="PrecomputedInclusion"/>: used only when made for exactly this receipt's claim).
    /// </summary>
    internal static async Task<VerificationReport> VerifyAsync(
        ReceiptEvidence evidence, ReceiptTrust trust, PrecomputedInclusion? inclusion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(trust.LogKey);
        var report = new VerificationReport();

        TlogProof? proof = null;
        try
        {
            proof = TlogProof.Parse(evidence.Proof.Span);
            report.Add("proof format", true, string.Create(CultureInfo.InvariantCulture, $"C2SP tlog-proof@v1, index {proof.Index}, {proof.Hashes.Length} hashes"));
        }
        catch (FormatException e)
        {
            report.Add("proof format", false, e.Message);
        }

        VerifyEntry(report, evidence, trust, proof, inclusion);
        VerifyWitnesses(report, trust, proof);
        VerifyTimestamp(report, evidence, trust, proof);
        VerifyCheckpointText(report, evidence, proof);

        LedgerEntry? entry = null;
        try
        {
            entry = LeafCodec.Parse(evidence.Entry.Span);
        }
        catch (LeafFormatException)
        {
            // Reported by the leaf format step; the artefacts are skipped below.
        }

        VerifyDisclosed(report, evidence, entry);

        string? stopped = null;
        var given = new List<(ReceiptArtefact Artefact, Artefact? Listed, bool Passed)>();
        foreach (var artefact in evidence.Artefacts)
        {
            if (stopped is not null)
            {
                report.Skip($"artefact {artefact.Name}", "not checked: the work limit was reached");
                continue;
            }

            try
            {
                var (listed, passed) = await VerifyArtefactAsync(report, artefact, entry, cancellationToken);
                given.Add((artefact, listed, passed));
            }
            catch (WorkLimitException e)
            {
                stopped = e.Message;
                report.Add($"artefact {artefact.Name}", false, "not fully read: the work limit was reached");
            }
        }

        if (stopped is not null)
        {
            report.Skip(WarcStep, "not checked: the work limit was reached");
        }
        else
        {
            try
            {
                await VerifyWarcAsync(report, entry, given, cancellationToken);
            }
            catch (WorkLimitException e)
            {
                stopped = e.Message;
                report.Add(WarcStep, false, "not fully read: the work limit was reached");
            }
        }

        if (stopped is not null)
        {
            report.Add(WorkLimitStep, false, stopped);
        }

        return report;
    }

    private static void VerifyEntry(VerificationReport report, ReceiptEvidence evidence, ReceiptTrust trust, TlogProof? proof, PrecomputedInclusion? inclusion)
    {
        if (proof is null)
        {
            foreach (var name in EntrySteps)
            {
                report.Skip(name, "not checked: the proof could not be read");
            }

            return;
        }

        var entryReport = EntryVerifier.Verify(evidence.Entry.Span, proof.Index, proof.Hashes, proof.Checkpoint, trust.LogKey, inclusion);
        foreach (var step in entryReport.Steps)
        {
            report.Add(step);
        }

        foreach (var name in EntrySteps.Where(n => !entryReport.Steps.Any(s => s.Name == n)))
        {
            report.Skip(name, $"not checked: {entryReport.FirstFailure?.Name} failed");
        }

        foreach (var check in trust.CheckpointChecks)
        {
            report.Add(check(proof.Checkpoint));
        }
    }

    private static void VerifyWitnesses(VerificationReport report, ReceiptTrust trust, TlogProof? proof)
    {
        if (trust.Witnesses is not { } policy)
        {
            report.Skip(WitnessCheck.Step, WitnessCheck.NoPolicy);
            return;
        }

        if (proof is null)
        {
            report.Skip(WitnessCheck.Step, "not checked: the proof, which holds the cosigned checkpoint, could not be read");
            return;
        }

        report.Add(WitnessCheck.Check(proof.Checkpoint, trust.LogKey, policy, trust.Clock.GetUtcNow(), out var cosignatures));
        report.Cosignatures = cosignatures;
    }

    private static void VerifyTimestamp(VerificationReport report, ReceiptEvidence evidence, ReceiptTrust trust, TlogProof? proof)
    {
        const string Step = "timestamp";
        if (evidence.TimestampResponse is not { } response)
        {
            report.Skip(Step, "no RFC 3161 timestamp response given: there is no trusted time, only the node's own clock in the leaf");
            return;
        }

        if (proof is null)
        {
            report.Skip(Step, "not checked: the proof, which holds the timestamped checkpoint, could not be read");
            return;
        }

        IReadOnlyList<TsaCertificate> untrusted;
        try
        {
            untrusted = string.IsNullOrEmpty(evidence.UntrustedTsaChainPem) ? [] : TimestampVerifier.ReadPem(evidence.UntrustedTsaChainPem);
        }
        catch (CryptographicException e)
        {
            report.Add(Step, false, $"the receipt's TSA chain is not PEM certificates: {e.Message}");
            return;
        }

        var result = TimestampVerifier.VerifyResponse(response.Span, Encoding.UTF8.GetBytes(proof.CheckpointText), trust.TsaCas, untrusted);
        var size = proof.CheckpointText.Split('\n')[1];
        report.Add(
            Step,
            result.IsValid,
            result.IsValid
                ? $"{result.Info} over the checkpoint of size {size}"
                : result.Info is { } info ? $"{result.Message} (the token claims genTime {info.GenTime.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})" : result.Message);
    }

    private static void VerifyCheckpointText(VerificationReport report, ReceiptEvidence evidence, TlogProof? proof)
    {
        const string Step = "checkpoint text";
        if (evidence.CheckpointText is not { } text)
        {
            return;
        }

        if (proof is null)
        {
            report.Skip(Step, "not checked: the proof could not be read");
            return;
        }

        var expected = Encoding.UTF8.GetBytes(proof.CheckpointText);
        report.Add(
            Step,
            text.Span.SequenceEqual(expected),
            text.Span.SequenceEqual(expected)
                ? "checkpoint.txt is the proof's checkpoint note text (the bytes openssl ts -verify -data checks)"
                : string.Create(CultureInfo.InvariantCulture, $"checkpoint.txt ({text.Length} bytes) is not the proof's checkpoint note text ({expected.Length} bytes)"));
    }

    private static void VerifyDisclosed(VerificationReport report, ReceiptEvidence evidence, LedgerEntry? entry)
    {
        const string Step = "disclosed";
        if (evidence.Disclosed is not { } disclosed)
        {
            if (entry is { Draft.Commitments.Count: > 0 } committed)
            {
                report.Skip(Step, string.Create(CultureInfo.InvariantCulture,
                    $"no disclosed.json: the {committed.Draft.Commitments.Count} committed field(s) ({string.Join(", ", committed.Draft.Commitments.Keys.Order(StringComparer.Ordinal))}) stay hidden"));
            }

            return;
        }

        if (entry is null)
        {
            report.Skip(Step, "not checked: the leaf, which holds the commitments, could not be read");
            return;
        }

        Disclosure disclosure;
        try
        {
            disclosure = Disclosure.Parse(disclosed.Span);
        }
        catch (FormatException e)
        {
            report.Add(Step, false, $"disclosed.json is malformed: {e.Message}");
            return;
        }

        var check = disclosure.Check(entry);
        if (!check.IsValid)
        {
            report.Add(Step, false, $"field \"{UntrustedText.Printable(check.BadField)}\": {UntrustedText.Printable(check.Problem, 300)}");
            return;
        }

        report.Disclosed = check.Opened;
        var shown = string.Join(", ", check.Opened.Select(o => $"{UntrustedText.Printable(o.Field, 40)} = \"{UntrustedText.Printable(o.Value)}\""));
        var unopened = check.Unopened.Count == 0 ? string.Empty : $"; not disclosed: {string.Join(", ", check.Unopened)}";
        report.Add(Step, true, string.Create(CultureInfo.InvariantCulture,
            $"{check.Opened.Count} committed field(s) opened and matching entry {entry.Index}'s commitments: {(shown.Length == 0 ? "none" : shown)}{unopened}"));
    }

    /// <summary>
    /// The artefacts of <paramref name="entry"/> a file named <paramref name="name"/> is checked against: those listed
    /// under that name; else, since leaf version 2 lists a preserved file under the neutral name "file" and commits its
    /// own name (docs/formats.md §1.5), the file whose verified <c>file-name</c> opening is <paramref name="name"/>;
    /// else the only artefact of an entry that lists one. The digests decide either way.
    /// </summary>
    private static List<Artefact> Listed(VerificationReport report, LedgerEntry entry, string name)
    {
        var listed = entry.Draft.Artefacts.Where(a => string.Equals(a.Name, name, StringComparison.Ordinal)).ToList();
        if (listed.Count > 0)
        {
            return listed;
        }

        var disclosedName = report.Disclosed.Any(o => o.Field == "file-name" && string.Equals(o.Value, name, StringComparison.Ordinal));
        var file = entry.Draft.Artefacts.Where(a => a.Name == "file").ToList();
        if (disclosedName && file.Count > 0)
        {
            return file;
        }

        // Not a collection expression: for a List that compiles to CollectionsMarshal, an assembly outside the allow-list.
        return entry.Draft.Artefacts.Count == 1 ? new List<Artefact>(entry.Draft.Artefacts) : new List<Artefact>();
    }

    /// <returns>The listing the artefact was checked against (null when none), and whether it matched.</returns>
    private static async Task<(Artefact? Listed, bool Passed)> VerifyArtefactAsync(VerificationReport report, ReceiptArtefact artefact, LedgerEntry? entry, CancellationToken cancellationToken)
    {
        var step = $"artefact {artefact.Name}";
        if (entry is null)
        {
            report.Skip(step, "not checked: the leaf, which lists the artefacts' digests, could not be read");
            return (null, false);
        }

        var listed = Listed(report, entry, artefact.Name);
        if (listed.Count > 0 && !string.Equals(listed[0].Name, artefact.Name, StringComparison.Ordinal))
        {
            step = $"artefact {listed[0].Name} ({artefact.Name})";
        }

        if (listed.Count == 0)
        {
            report.Add(step, false, string.Create(CultureInfo.InvariantCulture, $"entry {entry.Index} lists no artefact named \"{artefact.Name}\" (it lists: {string.Join(", ", entry.Draft.Artefacts.Select(a => $"\"{a.Name}\""))})"));
            return (null, false);
        }

        ArtefactDigests digests;
        try
        {
            var withSm3 = listed.Exists(a => a.Sm3 is not null);
            var given = artefact.DigestsAsync is null ? null : await artefact.DigestsAsync(withSm3, cancellationToken);
            digests = given is not null && (!withSm3 || given.Sm3 is not null) ? given : await HashAsync(artefact, withSm3, cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            report.Add(step, false, $"cannot be read: {e.Message}");
            return (listed[0], false);
        }

        var match = listed.Find(a => a.Size == digests.Size && a.Sha256 == digests.Sha256 && (a.Sm3 is null || a.Sm3 == digests.Sm3));
        if (match is not null)
        {
            var sm3 = match.Sm3 is null ? string.Empty : $", sm3 {match.Sm3}";
            report.Add(step, true, string.Create(CultureInfo.InvariantCulture, $"{digests.Size} bytes, sha256 {digests.Sha256}{sm3}, as entry {entry.Index} lists"));
            return (match, true);
        }

        var expected = listed[0];
        var why = expected.Size != digests.Size
            ? string.Create(CultureInfo.InvariantCulture, $"{digests.Size} bytes, but entry {entry.Index} lists {expected.Size}")
            : expected.Sha256 != digests.Sha256
                ? $"sha256 {digests.Sha256}, but entry {entry.Index} lists {expected.Sha256}"
                : $"sm3 {digests.Sm3}, but entry {entry.Index} lists {expected.Sm3}";
        report.Add(step, false, why);
        return (expected, false);
    }

    /// <summary>
    /// The <c>warc records</c> step: every record digest of the entry's WARC, read from the copy given (one whose
    /// artefact digests matched, if any). Skipped when the entry lists no WARC or none was given.
    /// </summary>
    private static async Task VerifyWarcAsync(
        VerificationReport report, LedgerEntry? entry, List<(ReceiptArtefact Artefact, Artefact? Listed, bool Passed)> given, CancellationToken cancellationToken)
    {
        if (entry is null)
        {
            report.Skip(WarcStep, "not checked: the leaf, which lists the WARC, could not be read");
            return;
        }

        var warc = entry.Draft.Artefacts.FirstOrDefault(a => string.Equals(a.MediaType, WarcMediaType, StringComparison.OrdinalIgnoreCase));
        if (warc is null)
        {
            report.Skip(WarcStep, string.Create(CultureInfo.InvariantCulture, $"entry {entry.Index} lists no WARC ({WarcMediaType}): only web captures have one"));
            return;
        }

        var copies = given.Where(g => g.Listed is not null && string.Equals(g.Listed.Name, warc.Name, StringComparison.Ordinal)).OrderBy(g => g.Passed ? 0 : 1).ToList();
        if (copies.Count == 0)
        {
            report.Skip(WarcStep, string.Create(CultureInfo.InvariantCulture, $"not checked: entry {entry.Index}'s {warc.Name} was not given (give it beside the receipt, or use a receipt that carries its artefacts)"));
            return;
        }

        var (artefact, _, passed) = copies[0];
        WarcRecordsCheck.Result result;
        try
        {
            var stream = await artefact.OpenAsync(cancellationToken);
            await using (stream.ConfigureAwait(false))
            {
                result = await WarcRecordsCheck.CheckAsync(stream, artefact.Name, cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            report.Add(WarcStep, false, $"{artefact.Name} cannot be read: {e.Message}");
            return;
        }

        report.Add(WarcStep, result.Passed, result.Detail);
        if (result.Passed && passed)
        {
            report.Tls = result.Tls;
        }
    }

    private static async Task<ArtefactDigests> HashAsync(ReceiptArtefact artefact, bool withSm3, CancellationToken cancellationToken)
    {
        using var hasher = new ArtefactHasher(withSm3);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            var stream = await artefact.OpenAsync(cancellationToken);
            await using (stream.ConfigureAwait(false))
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hasher.Append(buffer.AsSpan(0, read));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return hasher.Finish();
    }
}
