using System.Text;
using EvidenceChain.Core;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Text;
using EvidenceChain.Ledger.Internal;

namespace EvidenceChain.Ledger;

/// <summary>
/// Preserves files: checks the description, streams the content into the blob store while hashing it, refuses a
/// digest mismatch or an over-size file (keeping nothing), commits the blob and appends a <c>file</c> entry whose leaf
/// lists the artefact (under the neutral name <see cref="ArtefactName"/>) with its media type, size and digests, and
/// holds the file's name, title and description as salted commitments (<see cref="EntryOpenings"/>). The reply comes
/// once the entry is durable.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class FileIntake
{
    /// <summary>The entry kind of a preserved file.</summary>
    internal const string Kind = "file";

    /// <summary>The public name of a preserved file's artefact; its own name is committed as <c>file-name</c>.</summary>
    internal const string ArtefactName = "file";

    /// <summary>The attributes of a <c>file</c> entry that the leaf holds as commitments.</summary>
    internal static readonly string[] Committed = ["file-name", "title", "description"];

    private const string DefaultMediaType = "application/octet-stream";
    private readonly EvidenceLedger _ledger;
    private readonly IBlobStore _blobs;
    private readonly IntakeOptions _options;
    private readonly EntryOpenings _openings;

    /// <summary>Creates the intake over a running ledger, its blob store and where openings are kept.</summary>
    public FileIntake(EvidenceLedger ledger, IBlobStore blobs, IntakeOptions options, EntryOpenings openings)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(openings);
        _ledger = ledger;
        _blobs = blobs;
        _options = options;
        _openings = openings;
    }

    /// <summary>
    /// Checks <paramref name="file"/> (before any content is read) and returns it with its defaults filled in.
    /// </summary>
    /// <exception cref="EvidenceRejectedException">A field is malformed or too long; the message says which.</exception>
    internal FileDescription Check(FileDescription file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var name = file.FileName;
        CheckLength("file_name", name, _options.MaxFileNameBytes, "Limits:MaxFileNameBytes");
        if (name.Length == 0)
        {
            throw new EvidenceRejectedException("file_name is empty; give the file's name.");
        }

        if (name is "." or ".." || name.AsSpan().IndexOfAny('/', '\\') >= 0 || HasControl(name, allowLineBreaks: false))
        {
            throw new EvidenceRejectedException($"file_name \"{UntrustedText.Printable(name)}\" must be a bare file name: no '/', '\\', control characters, \".\" or \"..\".");
        }

        var mediaType = file.MediaType.Length == 0 ? DefaultMediaType : file.MediaType;
        CheckLength("media_type", mediaType, _options.MaxMediaTypeBytes, "Limits:MaxMediaTypeBytes");
        if (!IsMediaType(mediaType))
        {
            throw new EvidenceRejectedException($"media_type \"{UntrustedText.Printable(mediaType)}\" is not a media type such as application/pdf or text/html; charset=utf-8.");
        }

        CheckLength("title", file.Title, _options.MaxTitleBytes, "Limits:MaxTitleBytes");
        if (HasControl(file.Title, allowLineBreaks: false))
        {
            throw new EvidenceRejectedException("title contains control characters.");
        }

        CheckLength("description", file.Description, _options.MaxDescriptionBytes, "Limits:MaxDescriptionBytes");
        if (HasControl(file.Description, allowLineBreaks: true))
        {
            throw new EvidenceRejectedException("description contains control characters other than tab and line breaks.");
        }

        if ((BidiControls.Error("file_name", name) ?? BidiControls.Error("title", file.Title) ?? BidiControls.Error("description", file.Description)) is { } bidi)
        {
            throw new EvidenceRejectedException(bidi + "; nothing was kept.");
        }

        return file with { MediaType = mediaType };
    }

    /// <summary>
    /// Preserves the file described by <paramref name="file"/> with the content <paramref name="content"/> (read once,
    /// in order) on behalf of <paramref name="submitter"/>, and completes once its entry is durable.
    /// </summary>
    /// <remarks>Empty content (no chunks at all) is a file of size 0, which the leaf format allows.</remarks>
    /// <exception cref="EvidenceRejectedException">A field is malformed or its SHA-256 is not the expected one.</exception>
    /// <exception cref="LimitExceededException">The content is larger than <see cref="IntakeOptions.MaxFileSize"/>.</exception>
    /// <exception cref="LedgerBusyException">The ledger's queue is full; retry later.</exception>
    public Task<AppendResult> PreserveAsync(
        FileDescription file, IAsyncEnumerable<ReadOnlyMemory<byte>> content, string submitter, CancellationToken cancellationToken) =>
        PreserveAsync(file, content, static () => null, submitter, cancellationToken);

    /// <summary>
    /// As <see cref="PreserveAsync(FileDescription, IAsyncEnumerable{ReadOnlyMemory{byte}}, string, CancellationToken)"/>,
    /// and once the content has ended also checks the SHA-256 that <paramref name="expectedAfterContent"/> gives, if
    /// any: what a client computed while sending and announced after its content.
    /// </summary>
    /// <exception cref="EvidenceRejectedException">A field is malformed or a SHA-256 is not the expected one.</exception>
    /// <exception cref="LimitExceededException">The content is larger than <see cref="IntakeOptions.MaxFileSize"/>.</exception>
    /// <exception cref="LedgerBusyException">The ledger's queue is full; retry later.</exception>
    public async Task<AppendResult> PreserveAsync(
        FileDescription file, IAsyncEnumerable<ReadOnlyMemory<byte>> content, Func<Hash?> expectedAfterContent, string submitter,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(expectedAfterContent);
        ArgumentNullException.ThrowIfNull(submitter);
        file = Check(file);
        var upload = _blobs.BeginUpload(_options.Sm3);
        await using (upload)
        {
            await foreach (var chunk in content.WithCancellation(cancellationToken))
            {
                if (upload.Length + chunk.Length > _options.MaxFileSize)
                {
                    throw new LimitExceededException(
                        $"The file is larger than the limit of {_options.MaxFileSize} bytes (Limits:MaxFileSize); nothing was kept.");
                }

                await upload.WriteAsync(chunk, cancellationToken);
            }

            var digests = await upload.CompleteAsync(cancellationToken);
            foreach (var expected in (ReadOnlySpan<Hash?>)[file.ExpectedSha256, expectedAfterContent()])
            {
                if (expected is { } sha256 && sha256 != digests.Sha256)
                {
                    throw new EvidenceRejectedException(
                        $"expected_sha256 {sha256} does not match the SHA-256 of the {digests.Size} bytes received, {digests.Sha256}; nothing was kept.");
                }
            }

            await upload.CommitAsync(cancellationToken);
            var artefact = new Artefact(ArtefactName, file.MediaType, digests.Size, digests.Sha256, digests.Sm3);
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["file-name"] = file.FileName };
            if (file.Title.Length > 0)
            {
                attributes["title"] = file.Title;
            }

            if (file.Description.Length > 0)
            {
                attributes["description"] = file.Description;
            }

            var draft = await _openings.SealAsync(new EntryDraft(Kind, submitter, [artefact], attributes), Committed, cancellationToken);
            return await _ledger.AppendAsync(draft, cancellationToken);
        }
    }

    private static void CheckLength(string field, string value, int limit, string setting)
    {
        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > limit)
        {
            throw new EvidenceRejectedException($"{field} is {bytes} UTF-8 bytes; the limit is {limit} ({setting}).");
        }
    }

    // Control characters, and lone surrogates (they cannot be written as UTF-8; LeafCodec refuses them too, but later).
    private static bool HasControl(string value, bool allowLineBreaks)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || (char.IsControl(c) && !(allowLineBreaks && c is '\t' or '\n' or '\r')))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsMediaType(string value)
    {
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        var essence = semicolon < 0 ? value : value[..semicolon];
        var slash = essence.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == essence.Length - 1 || !IsRestrictedName(essence[..slash]) || !IsRestrictedName(essence[(slash + 1)..]))
        {
            return false;
        }

        // Parameters: printable ASCII.
        return semicolon < 0 || value[semicolon..].All(c => c is >= ' ' and <= '~');
    }

    // RFC 6838 §4.2 restricted-name.
    private static bool IsRestrictedName(string s) =>
        s.Length <= 127 && char.IsAsciiLetterOrDigit(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || "!#$&-^_.+".Contains(c, StringComparison.Ordinal));
}
