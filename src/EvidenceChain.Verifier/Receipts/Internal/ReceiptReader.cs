using System.Globalization;
using System.IO.Compression;
using System.Text;
using EvidenceChain.Verifier.Internal;

namespace EvidenceChain.Verifier.Receipts.Internal;

/// <summary>Reads a receipt zip defensively: names, counts and declared sizes are checked before any content.</summary>
internal static class ReceiptReader
{
    private const int MaxSegmentBytes = 255;

    private static readonly string[] Required =
        [ReceiptMembers.Entry, ReceiptMembers.Proof, ReceiptMembers.CheckpointText, ReceiptMembers.TimestampResponse];

    private static readonly string[] Optional =
        [ReceiptMembers.LogKey, ReceiptMembers.TsaChain, ReceiptMembers.Sm2Key, ReceiptMembers.Instructions];

    private static readonly string[] Folders = ["trust/", ReceiptMembers.ArtefactFolder];

    public static async Task<ReceiptPackage> OpenAsync(Stream source, ReceiptLimits limits, CancellationToken cancellationToken)
    {
        if (!source.CanSeek || !source.CanRead)
        {
            throw new ArgumentException("A receipt is read from a readable, seekable stream (a file).", nameof(source));
        }

        await CheckDeclaredCountAsync(source, limits, cancellationToken);
        ZipArchive archive;
        try
        {
            archive = await ZipArchive.CreateAsync(source, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: Encoding.UTF8, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new ReceiptFormatException($"The receipt is not a readable zip file: {e.Message}", e);
        }

        try
        {
            return await ReadAsync(archive, limits, cancellationToken);
        }
        catch
        {
            await archive.DisposeAsync();
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

    private static async Task<ReceiptPackage> ReadAsync(ZipArchive archive, ReceiptLimits limits, CancellationToken cancellationToken)
    {
        if (archive.Entries.Count > limits.MaxMembers)
        {
            throw new ReceiptFormatException(string.Create(CultureInfo.InvariantCulture, $"The receipt has {archive.Entries.Count} members; at most {limits.MaxMembers} are accepted."));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var members = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        var artefacts = new List<ZipArchiveEntry>();
        foreach (var member in archive.Entries)
        {
            var name = member.FullName;
            if (!seen.Add(name))
            {
                throw new ReceiptFormatException($"The receipt holds \"{Printable(name)}\" twice (names are compared ignoring case).");
            }

            CheckName(name);

            CheckSize(member, name.StartsWith(ReceiptMembers.ArtefactFolder, StringComparison.Ordinal) && name != ReceiptMembers.ArtefactFolder ? limits.MaxArtefactBytes : limits.MaxMetadataBytes);
            if (Folders.Contains(name))
            {
                if (member.Length != 0)
                {
                    throw new ReceiptFormatException($"The folder entry \"{name}\" has content.");
                }
            }
            else if (name.StartsWith(ReceiptMembers.ArtefactFolder, StringComparison.Ordinal))
            {
                artefacts.Add(member);
            }
            else
            {
                members[name] = member;
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
            bytes[name] = await ReadSmallAsync(member, limits.MaxMetadataBytes, cancellationToken);
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
            Artefacts = [.. artefacts.Select(member => new ReceiptArtefact(
                member.FullName[ReceiptMembers.ArtefactFolder.Length..],
                async ct => new BoundedReadStream(await member.OpenAsync(ct), member.Length, member.FullName)))],
        };
        return new ReceiptPackage(archive, evidence, text);
    }

    private static void CheckName(string name)
    {
        if (name.Length == 0 || name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal)
            || name.Split('/').Any(s => s is ".." or ".") || name.Contains(':', StringComparison.Ordinal)
            || name.Any(char.IsControl))
        {
            throw new ReceiptFormatException($"The receipt holds a member with an unsafe name \"{Printable(name)}\" (absolute, parent-relative, a drive, a backslash or a control character).");
        }

        if (Required.Contains(name) || Optional.Contains(name) || Folders.Contains(name))
        {
            return;
        }

        if (name.StartsWith(ReceiptMembers.ArtefactFolder, StringComparison.Ordinal)
            && IsSafeSegment(name[ReceiptMembers.ArtefactFolder.Length..]))
        {
            return;
        }

        throw new ReceiptFormatException($"The receipt holds an unexpected member \"{Printable(name)}\"; a receipt holds only the members listed in docs/formats.md.");
    }

    private static void CheckSize(ZipArchiveEntry member, long limit)
    {
        if (member.Length > limit)
        {
            throw new ReceiptFormatException(string.Create(CultureInfo.InvariantCulture, $"The receipt's {member.FullName} is {member.Length} bytes; at most {limit} are accepted."));
        }

        if (ZipChecks.ClaimsImpossibleRatio(member))
        {
            throw new ReceiptFormatException(string.Create(CultureInfo.InvariantCulture, $"The receipt's {member.FullName} claims {member.Length} bytes from {member.CompressedLength} compressed; no deflate stream expands that much."));
        }
    }

    private static async Task<byte[]> ReadSmallAsync(ZipArchiveEntry member, long limit, CancellationToken cancellationToken)
    {
        var stream = new BoundedReadStream(await member.OpenAsync(cancellationToken), Math.Min(member.Length, limit), member.FullName);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream((int)Math.Min(member.Length, limit));
            try
            {
                await stream.CopyToAsync(buffer, cancellationToken);
            }
            catch (InvalidDataException e)
            {
                throw new ReceiptFormatException($"The receipt's {member.FullName} cannot be read: {e.Message}", e);
            }

            return buffer.ToArray();
        }
    }

    /// <summary>
    /// Refuses a zip whose end-of-central-directory record declares more members than allowed, before the runtime
    /// reads the whole central directory into memory.
    /// </summary>
    private static async Task CheckDeclaredCountAsync(Stream source, ReceiptLimits limits, CancellationToken cancellationToken)
    {
        var total = await ZipChecks.DeclaredMemberCountAsync(source, cancellationToken)
            ?? throw new ReceiptFormatException("The receipt is not a zip file (no end of central directory record).");
        if (total != ushort.MaxValue && total > limits.MaxMembers)
        {
            throw new ReceiptFormatException(string.Create(CultureInfo.InvariantCulture, $"The receipt declares {total} members; at most {limits.MaxMembers} are accepted."));
        }
    }

    private static string Printable(string name)
    {
        var printable = new string([.. name.Select(c => char.IsControl(c) ? '?' : c)]);
        return printable.Length > 80 ? printable[..77] + "..." : printable;
    }
}
