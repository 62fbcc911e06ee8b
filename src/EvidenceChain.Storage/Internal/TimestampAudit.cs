using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core;
using EvidenceChain.Core.Notes;
using EvidenceChain.Verifier.Timestamps;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// The audit's checks of the checkpoint tokens (<see cref="FileTimestampStore"/>): every <c>timestamps.idx</c> entry
/// (sizes increasing, records back to back, the record's check bytes), every record's layout, its checkpoint (signed
/// by the log key, of the size the entry says, with a root that <c>log/checkpoints</c> holds at that size), and its
/// token, re-verified by <see cref="TimestampVerifier"/> over that checkpoint's note text under <c>tsa-ca.pem</c>, with
/// a serial below <c>tsa.serial</c>'s next free block.
/// </summary>
internal static class TimestampAudit
{
    private const int EntrySize = 24;
    private const string RecordsWhere = "log/" + FileTimestampStore.RecordsFile;
    private const string IndexWhere = "log/" + FileTimestampStore.IndexFile;

    public static int Check(
        DataFolder folder,
        NoteVerifier key,
        IReadOnlyDictionary<ulong, List<(string Where, Hash Root)>> roots,
        TsaAudit.Result? tsa,
        AuditReport report)
    {
        var recordsPath = Path.Combine(folder.LogPath, FileTimestampStore.RecordsFile);
        var indexPath = Path.Combine(folder.LogPath, FileTimestampStore.IndexFile);
        if (!File.Exists(recordsPath) && !File.Exists(indexPath))
        {
            return 0;
        }

        var records = File.Exists(recordsPath) ? File.ReadAllBytes(recordsPath) : [];
        var index = File.Exists(indexPath) ? File.ReadAllBytes(indexPath) : [];
        var count = index.Length / EntrySize;
        if (index.Length % EntrySize != 0)
        {
            report.Note($"{IndexWhere} ends in a partial entry (an append torn by a crash); the next open removes it");
        }

        ulong? lastSize = null;
        long end = 0;
        var verified = 0;
        for (var i = 0; i < count; i++)
        {
            var entry = index.AsSpan(i * EntrySize, EntrySize);
            var size = BinaryPrimitives.ReadUInt64BigEndian(entry);
            var offset = BinaryPrimitives.ReadUInt64BigEndian(entry[8..]);
            var length = BinaryPrimitives.ReadUInt32BigEndian(entry[16..]);
            var where = string.Create(CultureInfo.InvariantCulture, $"{IndexWhere} entry {i} (byte {i * EntrySize})");
            if (lastSize is { } previous && size <= previous)
            {
                report.Problem(where, string.Create(CultureInfo.InvariantCulture, $"tree size {size} does not follow {previous}"));
            }

            lastSize = size;
            if (offset != (ulong)end || length > (ulong)records.Length || offset > (ulong)records.Length - length)
            {
                report.Problem(where, string.Create(CultureInfo.InvariantCulture, $"points to bytes {offset}+{length} of {RecordsWhere}; the record must start at byte {end} and lie within its {records.Length} bytes"));
                return verified;
            }

            end = (long)(offset + length);
            var record = records.AsSpan((int)offset, (int)length);
            var recordWhere = string.Create(CultureInfo.InvariantCulture, $"{RecordsWhere} record {i} (byte {offset})");
            if (!SHA256.HashData(record).AsSpan(0, 4).SequenceEqual(entry[20..]))
            {
                report.Problem(recordWhere, $"does not match the check bytes of {IndexWhere} entry {i}: one of the two is damaged");
                continue;
            }

            if (CheckRecord(record, size, key, roots, tsa, recordWhere, report))
            {
                verified++;
            }
        }

        if (records.Length > end)
        {
            report.Note(string.Create(CultureInfo.InvariantCulture, $"{RecordsWhere} holds {records.Length - end} byte(s) after its last indexed record (an append torn by a crash); the next open removes them"));
        }

        return verified;
    }

    private static bool CheckRecord(
        ReadOnlySpan<byte> record,
        ulong size,
        NoteVerifier key,
        IReadOnlyDictionary<ulong, List<(string Where, Hash Root)>> roots,
        TsaAudit.Result? tsa,
        string where,
        AuditReport report)
    {
        var noteLength = record.Length >= 8 ? BinaryPrimitives.ReadUInt32BigEndian(record) : uint.MaxValue;
        if (noteLength > (uint)record.Length - 8
            || BinaryPrimitives.ReadUInt32BigEndian(record[(4 + (int)noteLength)..]) != record.Length - 8 - noteLength)
        {
            report.Problem(where, "its note and response lengths do not add up to the record's length");
            return false;
        }

        var noteBytes = record.Slice(4, (int)noteLength);
        var response = record[(8 + (int)noteLength)..];
        string note;
        try
        {
            note = new UTF8Encoding(false, true).GetString(noteBytes);
        }
        catch (DecoderFallbackException)
        {
            report.Problem(where, "its checkpoint is not UTF-8");
            return false;
        }

        return CheckToken(note, response, size, key, roots, tsa, "keys/" + TsaKeyFiles.AuthorityCertificateFile, where, report);
    }

    /// <summary>
    /// Checks one token: its checkpoint <paramref name="note"/> (signed by the log key, of <paramref name="size"/>,
    /// with a root the history holds) and the token over the note's text, under <paramref name="tsa"/>'s CA (named
    /// <paramref name="trustName"/> in reports); without <paramref name="tsa"/> and with no <paramref name="trustName"/>,
    /// its imprint and signature only (the report says the chain is unchecked).
    /// </summary>
    public static bool CheckToken(
        string note,
        ReadOnlySpan<byte> response,
        ulong size,
        NoteVerifier key,
        IReadOnlyDictionary<ulong, List<(string Where, Hash Root)>> roots,
        TsaAudit.Result? tsa,
        string? trustName,
        string where,
        AuditReport report)
    {
        var opened = CheckpointNote.Open(note, key);
        if (!opened.IsValid || opened.Checkpoint is null)
        {
            report.Problem(where, $"its checkpoint: {opened.Message}");
            return false;
        }

        var checkpoint = opened.Checkpoint;
        if (checkpoint.Size != size)
        {
            report.Problem(where, string.Create(CultureInfo.InvariantCulture, $"holds the checkpoint at size {checkpoint.Size}; its index entry says {size}"));
            return false;
        }

        if (!roots.TryGetValue(size, out var claimed) || !claimed.Any(c => c.Root == checkpoint.Root))
        {
            report.Problem(where, string.Create(CultureInfo.InvariantCulture, $"stamps a checkpoint at size {size} with root {checkpoint.Root}, which the checkpoint history does not hold"));
            return false;
        }

        // The token covers the note's text (CheckpointTimestamper.NoteText): up to the blank line, signatures excluded.
        var text = Encoding.UTF8.GetBytes(SignedNote.TextOf(note)!);
        if (tsa is null && trustName is null)
        {
            var signed = TimestampVerifier.VerifyResponseSignature(response, text);
            if (!signed.IsValid)
            {
                report.Problem(where, $"its token does not verify: {signed.Message}");
                return false;
            }

            return true;
        }

        if (tsa is null)
        {
            report.Problem(where, $"there is no {trustName} to check its token under");
            return false;
        }

        var result = TimestampVerifier.VerifyResponse(response, text, tsa.Trusted, tsa.Issued);
        if (result.Failure == TimestampFailure.UntrustedChain)
        {
            // Tokens of an external TSA (Timestamping:Url): imprint and signature verify; its CA is not in this folder.
            report.Note($"{where}: its token verifies but its signer does not chain to {trustName} (an external TSA's token); pin that TSA's CA to check its chain");
            return true;
        }

        if (!result.IsValid)
        {
            report.Problem(where, $"its token does not verify under {trustName}: {result.Message}");
            return false;
        }

        if (tsa.NextBlock is { } next && result.Info is { } info
            && BigInteger.TryParse("0" + info.SerialNumber, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var serial)
            && serial >> 32 >= next)
        {
            report.Problem(
                "keys/" + TsaSerialFile.FileName,
                string.Create(CultureInfo.InvariantCulture, $"holds next free block {next}, but the token of {where} has serial {info.SerialNumber} in block {serial >> 32}: serials would repeat"));
        }

        return true;
    }
}
