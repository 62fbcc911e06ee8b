using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using EvidenceChain.Core.Text;

namespace EvidenceChain.Verifier.Internal;

/// <summary>
/// A zip from an untrusted party (a receipt or a case export), opened defensively: the member count is checked from
/// the end-of-central-directory record before the runtime reads the directory, then every member's name (safe,
/// expected, not twice ignoring case), declared size (per member and in all) and compression ratio are checked before
/// any content is read. Content is read through <see cref="BoundedReadStream"/>: never more than a member declares,
/// and every byte charged to the verification's <see cref="WorkBudget"/>.
/// </summary>
/// <remarks>Not thread-safe: read one member at a time. Dispose it before the stream it was opened from.</remarks>
internal sealed class UntrustedZip : IAsyncDisposable, IDisposable
{
    // Deflate cannot expand data by more than about 1032:1; a larger declared ratio is a lie or a bomb.
    private const long MaxDeflateRatio = 1032;
    private const int EndOfCentralDirectorySize = 22;
    private const uint EndOfCentralDirectorySignature = 0x06054b50;

    private readonly ZipArchive _archive;
    private readonly ZipReadRules _rules;

    private UntrustedZip(ZipArchive archive, ZipReadRules rules, WorkBudget budget, IReadOnlyList<ZipArchiveEntry> members)
    {
        _archive = archive;
        _rules = rules;
        Budget = budget;
        Members = members;
    }

    /// <summary>The budget every read is charged to.</summary>
    public WorkBudget Budget { get; }

    /// <summary>The checked members, in the zip's order, without the empty folder members.</summary>
    public IReadOnlyList<ZipArchiveEntry> Members { get; }

    /// <summary>Opens and checks the zip in <paramref name="source"/> (readable and seekable; left open).</summary>
    /// <exception cref="ZipLayoutException">The zip breaks one of <paramref name="rules"/>; the message says which.</exception>
    public static async Task<UntrustedZip> OpenAsync(Stream source, ZipReadRules rules, WorkBudget budget, CancellationToken cancellationToken)
    {
        if (!source.CanSeek || !source.CanRead)
        {
            throw new ArgumentException($"A {rules.Subject} is read from a readable, seekable stream (a file).", nameof(source));
        }

        var declared = await DeclaredMemberCountAsync(source, cancellationToken)
            ?? throw new ZipLayoutException($"The {rules.Subject} is not a zip file (no end of central directory record).");
        if (declared != ushort.MaxValue && declared > rules.MaxMembers)
        {
            throw new ZipLayoutException(Invariant($"The {rules.Subject} declares {declared} members; at most {rules.MaxMembers} are accepted."));
        }

        ZipArchive archive;
        try
        {
            archive = await ZipArchive.CreateAsync(source, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: Encoding.UTF8, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new ZipLayoutException($"The {rules.Subject} is not a readable zip file: {e.Message}", e);
        }

        try
        {
            return new UntrustedZip(archive, rules, budget, Check(archive, rules));
        }
        catch
        {
            await archive.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens <paramref name="member"/> for reading: at most its declared size, charged to <see cref="Budget"/>.</summary>
    public async Task<Stream> OpenAsync(ZipArchiveEntry member, CancellationToken cancellationToken)
    {
        Budget.ThrowIfSpent();
        return new BoundedReadStream(await member.OpenAsync(cancellationToken), member.Length, member.FullName, Budget);
    }

    /// <summary>Reads all of <paramref name="member"/> (its declared size was checked on opening).</summary>
    /// <exception cref="ZipLayoutException">The member's data is corrupt or longer than it declares.</exception>
    /// <exception cref="WorkLimitException">The budget ran out.</exception>
    public async Task<byte[]> ReadAllAsync(ZipArchiveEntry member, CancellationToken cancellationToken)
    {
        var stream = await OpenAsync(member, cancellationToken);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream((int)Math.Min(member.Length, Array.MaxLength));
            try
            {
                await stream.CopyToAsync(buffer, 1 << 16, cancellationToken);
            }
            catch (InvalidDataException e)
            {
                throw new ZipLayoutException($"The {_rules.Subject}'s {UntrustedText.Printable(member.FullName)} cannot be read: {e.Message}", e);
            }

            return buffer.ToArray();
        }
    }

    /// <summary>
    /// True when <paramref name="name"/> is a relative path of plain segments: not empty, not absolute, no backslash,
    /// drive or '.'/'..' segment, no control character.
    /// </summary>
    public static bool IsSafePath(string name) =>
        name.Length > 0 && !name.StartsWith('/') && !name.Contains('\\', StringComparison.Ordinal)
        && !name.Contains(':', StringComparison.Ordinal) && !name.Split('/').Any(s => s is ".." or ".")
        && !name.Any(char.IsControl);

    public void Dispose() => _archive.Dispose();

    public ValueTask DisposeAsync() => _archive.DisposeAsync();

    private static List<ZipArchiveEntry> Check(ZipArchive archive, ZipReadRules rules)
    {
        var subject = rules.Subject;
        if (archive.Entries.Count > rules.MaxMembers)
        {
            throw new ZipLayoutException(Invariant($"The {subject} has {archive.Entries.Count} members; at most {rules.MaxMembers} are accepted."));
        }

        var total = archive.Entries.Sum(m => m.Length);
        if (total > rules.MaxTotalBytes)
        {
            throw new ZipLayoutException(Invariant($"The {subject}'s members add up to {total} bytes; at most {rules.MaxTotalBytes} are accepted."));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var members = new List<ZipArchiveEntry>(archive.Entries.Count);
        foreach (var member in archive.Entries)
        {
            var name = member.FullName;
            if (!seen.Add(name))
            {
                throw new ZipLayoutException($"The {subject} holds \"{UntrustedText.Printable(name)}\" twice (names are compared ignoring case).");
            }

            if (!IsSafePath(name))
            {
                throw new ZipLayoutException($"The {subject} holds a member with an unsafe name \"{UntrustedText.Printable(name)}\" (absolute, parent-relative, a drive, a backslash or a control character).");
            }

            if (rules.Folders.Contains(name))
            {
                if (member.Length != 0)
                {
                    throw new ZipLayoutException($"The folder entry \"{name}\" has content.");
                }

                continue;
            }

            var limit = rules.MemberLimit(name)
                ?? throw new ZipLayoutException($"The {subject} holds an unexpected member \"{UntrustedText.Printable(name)}\"{rules.UnexpectedHint}");
            if (member.Length > limit)
            {
                throw new ZipLayoutException(Invariant($"The {subject}'s {name} is {member.Length} bytes; at most {limit} are accepted."));
            }

            if (member.Length > 1024 && member.Length / MaxDeflateRatio > member.CompressedLength)
            {
                throw new ZipLayoutException(Invariant($"The {subject}'s {name} claims {member.Length} bytes from {member.CompressedLength} compressed; no deflate stream expands that much."));
            }

            members.Add(member);
        }

        return members;
    }

    /// <summary>
    /// The member count the end-of-central-directory record declares (null when there is no such record, so not a
    /// zip; <see cref="ushort.MaxValue"/> means the count is in a zip64 record), read before the runtime reads the
    /// whole central directory into memory. The stream's position is kept.
    /// </summary>
    private static async Task<int?> DeclaredMemberCountAsync(Stream source, CancellationToken cancellationToken)
    {
        var start = source.Position;
        var tail = (int)Math.Min(source.Length - start, ushort.MaxValue + EndOfCentralDirectorySize);
        var buffer = new byte[tail];
        source.Position = source.Length - tail;
        await source.ReadExactlyAsync(buffer, cancellationToken);
        source.Position = start;
        for (var i = tail - EndOfCentralDirectorySize; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i)) == EndOfCentralDirectorySignature)
            {
                return BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(i + 10));
            }
        }

        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
