using EvidenceChain.Core.Digests;
using EvidenceChain.Ledger;
using EvidenceChain.Node.Auth;
using Grpc.Core;

namespace EvidenceChain.Node.Services;

/// <summary>Who may download which artefact, and the check that what was served is what the ledger lists.</summary>
internal static class ArtefactAccess
{
    /// <summary>
    /// Opens artefact <paramref name="name"/> of entry <paramref name="index"/> for <paramref name="caller"/>: a submitter
    /// only for its own entries, case managers and admins for any.
    /// </summary>
    /// <exception cref="RpcException">NotFound or PermissionDenied, with the reason.</exception>
    /// <remarks>
    /// A preserved file's artefact is named <c>file</c> in the public leaf; a caller that may see the entry can also name
    /// it by the file's own name (the committed <c>file-name</c>), which is then returned as the name to save it under.
    /// </remarks>
    public static async Task<(Core.Entries.Artefact Artefact, Stream Content, string FileName)> OpenAsync(
        EvidenceLedger ledger, IBlobStore blobs, EntryOpenings openings, Caller caller, ulong index, string name, CancellationToken cancellationToken)
    {
        var size = ledger.Latest.Size;
        if (index >= size)
        {
            throw Wire.NoSuchEntry(index, size);
        }

        var entry = (await ledger.GetEntryAsync(index, cancellationToken)).Entry;
        if (!MaySee(caller, entry))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"Entry {index} was submitted by another key; a submitter key may download only its own artefacts."));
        }

        var ownName = entry.Draft.Commitments.ContainsKey("file-name") && await openings.ReadAsync(entry, cancellationToken) is { } disclosed
            ? disclosed.Openings.FirstOrDefault(o => o.Field == "file-name")?.Value
            : null;
        var artefact = entry.Draft.Artefacts.FirstOrDefault(a => a.Name == name)
            ?? (ownName == name && entry.Draft.Artefacts.Count == 1 ? entry.Draft.Artefacts[0] : null)
            ?? throw new RpcException(new Status(StatusCode.NotFound,
                $"Entry {index} has no artefact named \"{name}\"; it lists: {string.Join(", ", entry.Draft.Artefacts.Select(a => a.Name).DefaultIfEmpty("(none)"))}."));
        var content = blobs.OpenRead(artefact.Sha256)
            ?? throw new RpcException(new Status(StatusCode.NotFound,
                $"The content of {artefact.Name} (SHA-256 {artefact.Sha256}) is not stored on this node."));
        return (artefact, content, ownName ?? artefact.Name);
    }

    /// <summary>
    /// Whether <paramref name="caller"/> may see <paramref name="entry"/>'s artefacts and the clear values of its committed
    /// fields: a submitter only its own entries, case managers and admins any; nobody without a key.
    /// </summary>
    public static bool MaySee(Caller? caller, Core.Entries.LedgerEntry entry) =>
        caller is not null && (caller.Role != Role.Submitter || entry.Draft.Submitter == caller.KeyId);

    /// <summary>Copies <paramref name="content"/> to <paramref name="write"/> in 256 KiB chunks, hashing what it serves.</summary>
    public static async Task<ArtefactDigests> CopyAsync(
        Stream content, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        var buffer = new byte[256 * 1024];
        using var hasher = new ArtefactHasher(withSm3: false);
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hasher.Append(buffer.AsSpan(0, read));
            await write(buffer.AsMemory(0, read), cancellationToken);
        }

        return hasher.Finish();
    }

    /// <summary>Fails the call with DATA_LOSS when the content served does not hash to the listed digest.</summary>
    public static void CheckIntact(Core.Entries.Artefact artefact, ArtefactDigests served)
    {
        if (served.Sha256 != artefact.Sha256 || served.Size != artefact.Size)
        {
            throw new RpcException(new Status(StatusCode.DataLoss,
                $"The stored content of {artefact.Name} does not match the ledger (SHA-256 {served.Sha256}, {served.Size} bytes; the entry lists {artefact.Sha256}, {artefact.Size} bytes). The blob store is damaged: run evidencectl audit; discard what was received."));
        }
    }
}
