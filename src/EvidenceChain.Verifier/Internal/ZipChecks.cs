using System.Buffers.Binary;
using System.IO.Compression;

namespace EvidenceChain.Verifier.Internal;

/// <summary>Checks a zip from an untrusted party before and while it is read: receipts and case exports alike.</summary>
internal static class ZipChecks
{
    // Deflate cannot expand data by more than about 1032:1; a larger declared ratio is a lie or a bomb.
    private const long MaxDeflateRatio = 1032;
    private const int EndOfCentralDirectorySize = 22;

    /// <summary>
    /// The member count the end-of-central-directory record declares (null when there is no such record, so not a
    /// zip; <see cref="ushort.MaxValue"/> means the count is in a zip64 record), read before the runtime reads the
    /// whole central directory into memory. The stream's position is kept.
    /// </summary>
    public static async Task<int?> DeclaredMemberCountAsync(Stream source, CancellationToken cancellationToken)
    {
        var start = source.Position;
        var tail = (int)Math.Min(source.Length - start, ushort.MaxValue + EndOfCentralDirectorySize);
        var buffer = new byte[tail];
        source.Position = source.Length - tail;
        await source.ReadExactlyAsync(buffer, cancellationToken);
        source.Position = start;
        for (var i = tail - EndOfCentralDirectorySize; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i)) == 0x06054b50)
            {
                return BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(i + 10));
            }
        }

        return null;
    }

    /// <summary>True when a member claims more bytes than its compressed size could ever expand to.</summary>
    public static bool ClaimsImpossibleRatio(ZipArchiveEntry member) =>
        member.Length > 1024 && member.Length / MaxDeflateRatio > member.CompressedLength;
}
