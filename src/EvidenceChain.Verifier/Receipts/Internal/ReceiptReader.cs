using System.IO.Compression;
using System.Text;
using EvidenceChain.Verifier.Internal;

namespace EvidenceChain.Verifier.Receipts.Internal;

/// <summary>Reads a receipt zip through <see cref="UntrustedZip"/>, under the receipt's rules: the members of docs/formats.md.</summary>
internal static class ReceiptReader
{
    private const int MaxSegmentBytes = 255;

    private static readonly string[] Required =
        [ReceiptMembers.Entry, ReceiptMembers.Proof, ReceiptMembers.CheckpointText, ReceiptMembers.TimestampResponse];

    private static readonly string[] Optional =
        [ReceiptMembers.LogKey, ReceiptMembers.TsaChain, ReceiptMembers.Sm2Key, ReceiptMembers.Instructions];

    private static readonly string[] Folders = ["trust/", ReceiptMembers.ArtefactFolder];

    public static ZipReadRules Rules(ReceiptLimits limits) => new()
    {
        Subject = "receipt",
        MaxMembers = limits.MaxMembers,
        MaxTotalBytes = limits.MaxTotalBytes,
        Folders = Folders,
        MemberLimit = name =>
            Required.Contains(name) || Optional.Contains(name) ? limits.MaxMetadataBytes
            : name == ReceiptMembers.Disclosed ? Core.Entries.Disclosure.MaxSize
            : name.StartsWith(ReceiptMembers.ArtefactFolder, StringComparison.Ordinal) && IsSafeSegment(name[ReceiptMembers.ArtefactFolder.Length..]) ? limits.MaxArtefactBytes
            : null,
        UnexpectedHint = "; a receipt holds only the members listed in docs/formats.md.",
    };

    /// <summary>Opens a receipt; its reads are charged to <paramref name="budget"/>, or to a budget of its own from <paramref name="limits"/>.</summary>
    public static async Task<ReceiptPackage> OpenAsync(Stream source, ReceiptLimits limits, WorkBudget? budget, CancellationToken cancellationToken)
    {
        UntrustedZip zip;
        try
        {
            zip = await UntrustedZip.OpenAsync(source, Rules(limits), budget ?? new WorkBudget(limits.MaxTotalBytes, limits.MaxDuration), cancellationToken);
        }
        catch (ZipLayoutException e)
        {
            throw new ReceiptFormatException(e.Message, e);
        }

        try
        {
            return await ReadAsync(zip, cancellationToken);
        }
        catch
        {
            await zip.DisposeAsync();
            throw;
        }
    }

    /// <summary>True when <paramref name="name"/> is one plain file name: no separators, no control characters, not a dot name.</summary>
    public static bool IsSafeSegment(string? name) =>
        !string.IsNullOrEmpty(name)
        && name != "." && name != ".."
        && Encoding.UTF8.GetByteCount(name) <= MaxSegmentBytes
        && !name.Any(c => c is '/' or '\\' or ':' || char.IsControl(c) || char.IsSurrogate(c))
        && name.Trim() == name;

    private static async Task<ReceiptPackage> ReadAsync(UntrustedZip zip, CancellationToken cancellationToken)
    {
        var members = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        var artefacts = new List<ZipArchiveEntry>();
        foreach (var member in zip.Members)
        {
            if (member.FullName.StartsWith(ReceiptMembers.ArtefactFolder, StringComparison.Ordinal))
            {
                artefacts.Add(member);
            }
            else
            {
                members[member.FullName] = member;
            }
        }

        foreach (var name in Required)
        {
            if (!members.ContainsKey(name))
            {
                throw new ReceiptFormatException($"The receipt has no {name}.");
            }
        }

        var bytes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, member) in members)
        {
            try
            {
                bytes[name] = await zip.ReadAllAsync(member, cancellationToken);
            }
            catch (ZipLayoutException e)
            {
                throw new ReceiptFormatException(e.Message, e);
            }
            catch (WorkLimitException e)
            {
                throw new ReceiptFormatException($"The receipt's {name} was not read: {e.Message}.", e);
            }
        }

        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Optional)
        {
            if (bytes.TryGetValue(name, out var value))
            {
                try
                {
                    text[name] = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(value);
                }
                catch (DecoderFallbackException e)
                {
                    throw new ReceiptFormatException($"The receipt's {name} is not UTF-8 text.", e);
                }
            }
        }

        var evidence = new ReceiptEvidence
        {
            Entry = bytes[ReceiptMembers.Entry],
            Proof = bytes[ReceiptMembers.Proof],
            CheckpointText = bytes[ReceiptMembers.CheckpointText],
            TimestampResponse = bytes[ReceiptMembers.TimestampResponse],
            UntrustedTsaChainPem = text.GetValueOrDefault(ReceiptMembers.TsaChain),
            Disclosed = bytes.TryGetValue(ReceiptMembers.Disclosed, out var disclosed) ? disclosed : (ReadOnlyMemory<byte>?)null, // typed: a null array converts to empty memory
            Artefacts = [.. artefacts.Select(member => new ReceiptArtefact(
                member.FullName[ReceiptMembers.ArtefactFolder.Length..],
                ct => zip.OpenAsync(member, ct)))],
        };
        return new ReceiptPackage(zip, evidence, text);
    }
}
