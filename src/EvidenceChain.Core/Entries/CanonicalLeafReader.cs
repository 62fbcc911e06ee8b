using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace EvidenceChain.Core.Entries;

/// <summary>
/// Reads a leaf that is already in canonical form in one pass over its bytes, checking the form as it goes, instead of
/// parsing it into a document and writing it back to compare (<see cref="LeafCodec.Parse"/>'s general path). It
/// declines (returns null) at the first byte that is not what <see cref="LeafCodec.Encode"/> would have written there,
/// and also for the canonical forms it does not handle (strings with escapes, origins with control characters); the
/// caller then takes the general path, which decides and says why. So it never accepts a leaf that the general path
/// rejects, and whatever it returns is the entry the general path returns.
/// </summary>
/// <remarks>
/// Requires the leaf to be valid UTF-8 of at most <see cref="LeafCodec.MaxLeafSize"/> bytes (checked by the caller):
/// a raw string's bytes are then exactly the UTF-8 of its value. Stateless and thread-safe.
/// </remarks>
internal static class CanonicalLeafReader
{
    private const int MaxKindLength = 64;

    private static readonly SearchValues<byte> StringEnd = SearchValues.Create("\"\\"u8);

    private static readonly SearchValues<byte> LowerHexDigits = SearchValues.Create("0123456789abcdef"u8);

    private static readonly SearchValues<byte> KindCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-"u8);

    /// <summary>The entry, or null when the leaf is not canonical or uses a form this reader leaves to the general path.</summary>
    public static LedgerEntry? TryRead(ReadOnlySpan<byte> leaf)
    {
        var r = new Cursor(leaf);
        int version;
        if (r.Take("{\"v\":1,\"origin\":\""u8))
        {
            version = LedgerEntry.ClearFormatVersion;
        }
        else if (r.Take("{\"v\":2,\"origin\":\""u8))
        {
            version = LedgerEntry.FormatVersion;
        }
        else
        {
            return null;
        }

        if (!r.String(out var originBytes) || originBytes.IsEmpty
            || !r.Take(",\"index\":"u8) || !r.UInt64(out var index)
            || !r.Take(",\"prev\":\""u8) || !r.Hash(out var prev)
            || !r.Take(",\"kind\":\""u8) || !r.String(out var kindBytes) || !IsKind(kindBytes)
            || !r.Take(",\"time\":\""u8) || !r.Time(out var time)
            || !r.Take(",\"submitter\":\""u8) || !r.String(out var submitterBytes)
            || !r.Take(",\"artefacts\":["u8))
        {
            return null;
        }

        var origin = Encoding.UTF8.GetString(originBytes);
        if (origin.AsSpan().ContainsAnyInRange('\u007F', '\u009F'))
        {
            // char.IsControl beyond the C0 range the string scan already refused.
            return null;
        }

        var artefacts = new List<Artefact>();
        if (!r.Take("]"u8))
        {
            do
            {
                if (ReadArtefact(ref r) is not { } artefact)
                {
                    return null;
                }

                artefacts.Add(artefact);
            }
            while (r.Take(","u8));

            if (!r.Take("]"u8))
            {
                return null;
            }
        }

        if (!r.Take(",\"attributes\":{"u8))
        {
            return null;
        }

        var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        SortedDictionary<string, Commitment>? commitments = null;
        if (!r.Take("}"u8))
        {
            string? previous = null;
            do
            {
                if (!r.Take("\""u8) || !r.String(out var keyBytes) || !r.Take(":"u8))
                {
                    return null;
                }

                var key = Encoding.UTF8.GetString(keyBytes);
                if (previous is not null && string.CompareOrdinal(previous, key) >= 0)
                {
                    // Out of order or repeated: not what the encoder writes.
                    return null;
                }

                previous = key;
                if (r.Take("\""u8))
                {
                    if (!r.String(out var valueBytes))
                    {
                        return null;
                    }

                    attributes.Add(key, Encoding.UTF8.GetString(valueBytes));
                }
                else if (version == LedgerEntry.FormatVersion && ReadCommitment(ref r) is { } commitment)
                {
                    (commitments ??= new SortedDictionary<string, Commitment>(StringComparer.Ordinal)).Add(key, commitment);
                }
                else
                {
                    return null;
                }
            }
            while (r.Take(","u8));

            if (!r.Take("}"u8))
            {
                return null;
            }
        }

        if (!r.Take("}"u8) || !r.AtEnd)
        {
            return null;
        }

        var draft = new EntryDraft(Encoding.UTF8.GetString(kindBytes), Encoding.UTF8.GetString(submitterBytes), artefacts, attributes);
        if (commitments is not null)
        {
            draft = draft with { Commitments = commitments };
        }

        return new LedgerEntry(origin, index, prev, new DateTimeOffset(time, TimeSpan.Zero), draft) { Version = version };
    }

    private static Artefact? ReadArtefact(ref Cursor r)
    {
        if (!r.Take("{\"name\":\""u8) || !r.String(out var name) || name.IsEmpty || name.Length > LeafCodec.MaxNameBytes
            || !r.Take(",\"mediaType\":\""u8) || !r.String(out var mediaType)
            || !r.Take(",\"size\":"u8) || !r.Int64(out var size)
            || !r.Take(",\"sha256\":\""u8) || !r.Hash(out var sha256))
        {
            return null;
        }

        Hash? sm3 = null;
        if (r.Take(",\"sm3\":\""u8))
        {
            if (!r.Hash(out var value))
            {
                return null;
            }

            sm3 = value;
        }

        return r.Take("}"u8) ? new Artefact(Encoding.UTF8.GetString(name), Encoding.UTF8.GetString(mediaType), size, sha256, sm3) : null;
    }

    private static Commitment? ReadCommitment(ref Cursor r)
    {
        CommitmentAlgorithm algorithm;
        if (r.Take("{\"commit-sha256\":\""u8))
        {
            algorithm = CommitmentAlgorithm.Sha256;
        }
        else if (r.Take("{\"commit-sm3\":\""u8))
        {
            algorithm = CommitmentAlgorithm.Sm3;
        }
        else
        {
            return null;
        }

        return r.Hash(out var value) && r.Take("}"u8) ? new Commitment(algorithm, value) : null;
    }

    private static bool IsKind(ReadOnlySpan<byte> kind) =>
        kind.Length is > 0 and <= MaxKindLength && !kind.ContainsAnyExcept(KindCharacters);

    /// <summary>A position in the leaf; each reader advances past what it accepted, or returns false.</summary>
    private ref struct Cursor(ReadOnlySpan<byte> leaf)
    {
        private ReadOnlySpan<byte> _rest = leaf;

        public readonly bool AtEnd => _rest.IsEmpty;

        /// <summary>Takes <paramref name="expected"/> if the leaf continues with it.</summary>
        public bool Take(ReadOnlySpan<byte> expected)
        {
            if (!_rest.StartsWith(expected))
            {
                return false;
            }

            _rest = _rest[expected.Length..];
            return true;
        }

        /// <summary>
        /// The rest of a string whose opening quote was taken, up to and past its closing quote. Only strings the
        /// encoder writes raw: no escape and no U+0000 to U+001F (which the encoder always escapes).
        /// </summary>
        public bool String(out ReadOnlySpan<byte> value)
        {
            var end = _rest.IndexOfAny(StringEnd);
            if (end < 0 || _rest[end] != (byte)'"' || _rest[..end].ContainsAnyInRange((byte)0, (byte)0x1F))
            {
                value = default;
                return false;
            }

            value = _rest[..end];
            _rest = _rest[(end + 1)..];
            return true;
        }

        /// <summary>64 lowercase hex digits and the closing quote.</summary>
        public bool Hash(out Hash hash)
        {
            const int digits = 2 * Core.Hash.Size;
            Span<byte> bytes = stackalloc byte[Core.Hash.Size];
            hash = default;
            if (_rest.Length <= digits || _rest[digits] != (byte)'"')
            {
                return false;
            }

            var hex = _rest[..digits];
            if (hex.ContainsAnyExcept(LowerHexDigits)
                || Convert.FromHexString(hex, bytes, out _, out var written) != OperationStatus.Done || written != bytes.Length)
            {
                return false;
            }

            hash = new Hash(bytes);
            _rest = _rest[(digits + 1)..];
            return true;
        }

        /// <summary>An unsigned integer as the encoder writes it: digits, no leading zero.</summary>
        public bool UInt64(out ulong value)
        {
            var length = DigitCount();
            value = 0;
            if (length == 0 || !Utf8Parser.TryParse(_rest[..length], out value, out var consumed) || consumed != length)
            {
                return false;
            }

            _rest = _rest[length..];
            return true;
        }

        /// <summary>A non-negative 64-bit integer as the encoder writes it (an artefact's size).</summary>
        public bool Int64(out long value)
        {
            var length = DigitCount();
            value = 0;
            if (length == 0 || !Utf8Parser.TryParse(_rest[..length], out value, out var consumed) || consumed != length)
            {
                return false;
            }

            _rest = _rest[length..];
            return true;
        }

        /// <summary>yyyy-MM-ddTHH:mm:ss.fffZ, a valid UTC time, and the closing quote.</summary>
        public bool Time(out DateTime time)
        {
            time = default;
            var t = _rest;
            if (t.Length < 25 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != '.'
                || t[23] != 'Z' || t[24] != '"')
            {
                return false;
            }

            int year = Digits(t[..4]), month = Digits(t[5..7]), day = Digits(t[8..10]);
            int hour = Digits(t[11..13]), minute = Digits(t[14..16]), second = Digits(t[17..19]), millisecond = Digits(t[20..23]);
            if ((year | month | day | hour | minute | second | millisecond) < 0
                || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
                || hour > 23 || minute > 59 || second > 59)
            {
                return false;
            }

            time = new DateTime(year, month, day, hour, minute, second, millisecond, DateTimeKind.Utc);
            _rest = _rest[25..];
            return true;
        }

        // The length of the run of digits here, or 0 when there is none or it starts with a redundant zero.
        private readonly int DigitCount()
        {
            var length = _rest.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
            if (length < 0)
            {
                length = _rest.Length;
            }

            return length > 1 && _rest[0] == (byte)'0' ? 0 : length;
        }

        private static int Digits(ReadOnlySpan<byte> digits)
        {
            var value = 0;
            foreach (var d in digits)
            {
                if (d is < (byte)'0' or > (byte)'9')
                {
                    return -1;
                }

                value = (value * 10) + (d - '0');
            }

            return value;
        }
    }
}
