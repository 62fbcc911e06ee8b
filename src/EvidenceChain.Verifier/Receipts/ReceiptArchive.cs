using System.IO.Compression;
using System.Text;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Notes;
using EvidenceChain.Core.Proofs;
using EvidenceChain.Verifier.Receipts.Internal;

namespace EvidenceChain.Verifier.Receipts;

/// <summary>
/// Writes and reads receipts: the <c>.evidence.zip</c> of docs/design.md §2 (members in <see cref="ReceiptMembers"/>,
/// format in docs/formats.md). Writing streams artefacts straight into the zip; reading refuses unsafe names,
/// duplicates, unexpected members and oversized or implausibly compressed members before reading any content.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class ReceiptArchive
{
    /// <summary>
    /// Writes the receipt to <paramref name="destination"/>, which need not be seekable (an HTTP or gRPC response
    /// works); artefacts are copied from their streams without being buffered. The stream is left open.
    /// </summary>
    /// <remarks>
    /// Before writing anything, checks that the contents are one consistent receipt: the leaf parses and names
    /// <see cref="ReceiptContents.Index"/>, the checkpoint verifies under <see cref="ReceiptContents.LogVerifierKey"/>
    /// with the leaf included under its root (as <see cref="EntryVerifier"/>), and every artefact's name is listed
    /// in the leaf's manifest and is a safe file name. The timestamp and the artefacts' bytes are not checked here.
    /// </remarks>
    /// <exception cref="ArgumentException">The contents are not a consistent receipt; the message says why.</exception>
    public static async Task WriteAsync(Stream destination, ReceiptContents contents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(contents);
        var (entry, proof) = Check(contents);

        // Every member is dated with the entry's own time, not the moment of writing: the same receipt is the same bytes.
        var stamp = entry.Time;
        var archive = await ZipArchive.CreateAsync(destination, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8, cancellationToken);
        await using (archive.ConfigureAwait(false))
        {
            await AddAsync(archive, ReceiptMembers.Entry, contents.Leaf, stamp, cancellationToken);
            await AddAsync(archive, ReceiptMembers.Proof, proof.ToBytes(), stamp, cancellationToken);
            await AddAsync(archive, ReceiptMembers.CheckpointText, Encoding.UTF8.GetBytes(proof.CheckpointText), stamp, cancellationToken);
            await AddAsync(archive, ReceiptMembers.TimestampResponse, contents.TimestampResponse, stamp, cancellationToken);
            await AddAsync(archive, ReceiptMembers.LogKey, Encoding.UTF8.GetBytes(contents.LogVerifierKey.Trim() + "\n"), stamp, cancellationToken);
            await AddAsync(archive, ReceiptMembers.TsaChain, Encoding.UTF8.GetBytes(contents.TsaChainPem), stamp, cancellationToken);
            if (contents.Sm2VerifierKey is { } sm2)
            {
                await AddAsync(archive, ReceiptMembers.Sm2Key, Encoding.UTF8.GetBytes(sm2.Trim() + "\n"), stamp, cancellationToken);
            }

            if (contents.Disclosed is { } disclosed)
            {
                await AddAsync(archive, ReceiptMembers.Disclosed, disclosed, stamp, cancellationToken);
            }

            foreach (var artefact in contents.Artefacts)
            {
                var member = archive.CreateEntry(ReceiptMembers.ArtefactFolder + artefact.Name, CompressionLevel.Fastest);
                member.LastWriteTime = stamp;
                var output = await member.OpenAsync(cancellationToken);
                await using (output.ConfigureAwait(false))
                {
                    var input = await artefact.OpenAsync(cancellationToken);
                    await using (input.ConfigureAwait(false))
                    {
                        await input.CopyToAsync(output, 1 << 16, cancellationToken);
                    }
                }
            }

            await AddAsync(archive, ReceiptMembers.Instructions, Encoding.UTF8.GetBytes(VerifyInstructions.Write(contents, entry, proof)), stamp, cancellationToken);
        }
    }

    /// <summary>
    /// Opens a receipt zip for verification. The stream must be seekable (a file); it is left open and must outlive
    /// the returned package. The small members are read into memory, within <paramref name="limits"/>; artefacts
    /// stay in the zip and are streamed when checked.
    /// </summary>
    /// <exception cref="ReceiptFormatException">
    /// The stream is not a zip; a member is missing, duplicated, unexpected, unsafely named or over a limit.
    /// </exception>
    public static Task<ReceiptPackage> OpenAsync(Stream source, ReceiptLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return ReceiptReader.OpenAsync(source, limits ?? ReceiptLimits.Default, budget: null, cancellationToken);
    }

    /// <summary>True when <paramref name="name"/> can be an artefact's file name inside <c>artefacts/</c>.</summary>
    public static bool IsSafeArtefactName(string name) => ReceiptReader.IsSafeSegment(name);

    private static (LedgerEntry Entry, TlogProof Proof) Check(ReceiptContents contents)
    {
        LedgerEntry entry;
        try
        {
            entry = LeafCodec.Parse(contents.Leaf.Span);
        }
        catch (LeafFormatException e)
        {
            throw new ArgumentException($"The leaf is not a valid entry: {e.Message}", nameof(contents), e);
        }

        ArgumentNullException.ThrowIfNull(contents.ProofHashes);
        ArgumentNullException.ThrowIfNull(contents.SignedCheckpoint);
        ArgumentNullException.ThrowIfNull(contents.LogVerifierKey);
        ArgumentNullException.ThrowIfNull(contents.TsaChainPem);
        ArgumentNullException.ThrowIfNull(contents.Artefacts);
        if (contents.TimestampResponse.IsEmpty)
        {
            throw new ArgumentException("The receipt needs the timestamp response over the checkpoint.", nameof(contents));
        }

        if (!NoteVerifier.TryParse(contents.LogVerifierKey.Trim(), out var logKey, out var keyError))
        {
            throw new ArgumentException($"The log verifier key is not valid: {keyError}.", nameof(contents));
        }

        var proof = new TlogProof(contents.Index, contents.ProofHashes, contents.SignedCheckpoint);
        var report = EntryVerifier.Verify(contents.Leaf.Span, contents.Index, proof.Hashes, contents.SignedCheckpoint, logKey);
        if (!report.IsValid)
        {
            throw new ArgumentException($"The entry does not verify against the checkpoint: {report.FirstFailure}.", nameof(contents));
        }

        if (contents.Disclosed is { } disclosed)
        {
            DisclosureCheck check;
            try
            {
                check = Disclosure.Parse(disclosed.Span).Check(entry);
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"The disclosure is malformed: {e.Message}.", nameof(contents), e);
            }

            if (!check.IsValid)
            {
                throw new ArgumentException($"The disclosure does not open the entry: {check.Problem}.", nameof(contents));
            }
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var artefact in contents.Artefacts)
        {
            ArgumentNullException.ThrowIfNull(artefact);
            if (!IsSafeArtefactName(artefact.Name))
            {
                throw new ArgumentException($"The artefact name \"{artefact.Name}\" cannot be a file name in a receipt.", nameof(contents));
            }

            if (!entry.Draft.Artefacts.Any(a => string.Equals(a.Name, artefact.Name, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"The artefact \"{artefact.Name}\" is not listed in the entry.", nameof(contents));
            }

            if (!names.Add(artefact.Name))
            {
                throw new ArgumentException($"The artefact \"{artefact.Name}\" is given twice.", nameof(contents));
            }
        }

        return (entry, proof);
    }

    private static async Task AddAsync(ZipArchive archive, string name, ReadOnlyMemory<byte> bytes, DateTimeOffset stamp, CancellationToken cancellationToken)
    {
        var member = archive.CreateEntry(name, CompressionLevel.Optimal);
        member.LastWriteTime = stamp;
        var output = await member.OpenAsync(cancellationToken);
        await using (output.ConfigureAwait(false))
        {
            await output.WriteAsync(bytes, cancellationToken);
        }
    }
}
