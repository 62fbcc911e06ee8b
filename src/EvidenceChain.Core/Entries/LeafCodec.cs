using System.Buffers;
using System.Globalization;
using System.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using EvidenceChain.Core.Internal;

namespace EvidenceChain.Core.Entries;

/// <summary>
/// Writes and reads leaf bytes: a UTF-8 JSON object with a fixed member order and no white space
/// (docs/formats.md). The node writes a leaf once and stores it verbatim; verifiers hash the stored bytes.
/// <see cref="Parse"/> accepts only the canonical form that <see cref="Encode"/> writes, so one entry has
/// exactly one leaf encoding (no duplicate members, no reordering, no alternative escapes).
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class LeafCodec
{
    /// <summary>The largest leaf: entry bundles prefix each leaf with a 16-bit length (C2SP tlog-tiles).</summary>
    public const int MaxLeafSize = ushort.MaxValue;

    /// <summary>The longest artefact name, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 1024;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 4 };

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 4 };

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = MinimalJsonEncoder.Instance,
        Indented = false,
        SkipValidation = false,
    };

    /// <summary>Encodes an entry as leaf bytes.</summary>
    /// <exception cref="ArgumentException">A field breaks the format's rules, or the leaf exceeds <see cref="MaxLeafSize"/>.</exception>
    public static byte[] Encode(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(entry, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    // Validates and writes the leaf bytes of an entry into buffer (which is empty).
    private static void Write(LedgerEntry entry, IBufferWriter<byte> buffer)
    {
        Validate(entry);
        long writtenCount;
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", entry.Version);
            writer.WriteString("origin", entry.Origin);
            writer.WriteNumber("index", entry.Index);
            WriteHash(writer, "prev", entry.Prev);
            writer.WriteString("kind", entry.Draft.Kind);
            writer.WriteString("time", entry.Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            writer.WriteString("submitter", entry.Draft.Submitter);
            writer.WriteStartArray("artefacts");
            foreach (var a in entry.Draft.Artefacts)
            {
                writer.WriteStartObject();
                writer.WriteString("name", a.Name);
                writer.WriteString("mediaType", a.MediaType);
                writer.WriteNumber("size", a.Size);
                WriteHash(writer, "sha256", a.Sha256);
                if (a.Sm3 is { } sm3)
                {
                    WriteHash(writer, "sm3", sm3);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartObject("attributes");
            var commitments = entry.Draft.Commitments;
            foreach (var key in entry.Draft.Attributes.Keys.Concat(commitments.Keys).Order(StringComparer.Ordinal))
            {
                if (commitments.TryGetValue(key, out var commitment))
                {
                    writer.WriteStartObject(key);
                    WriteHash(writer, commitment.MemberName, commitment.Value);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteString(key, entry.Draft.Attributes[key]);
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.Flush();
            writtenCount = writer.BytesCommitted;
        }

        if (writtenCount > MaxLeafSize)
        {
            throw new ArgumentException(
                $"The leaf would be {writtenCount} bytes; the limit is {MaxLeafSize}.", nameof(entry));
        }
    }

    /// <summary>Parses canonical leaf bytes.</summary>
    /// <exception cref="LeafFormatException">The bytes are not a canonical version-1 or version-2 leaf; the message says why.</exception>
    public static LedgerEntry Parse(ReadOnlySpan<byte> leaf)
    {
        CheckSizeAndEncoding(leaf);

        // A leaf in canonical form, as every stored leaf is, is read in one pass that checks the form as it goes; any
        // other leaf takes the general path below, which decides and says why (CanonicalLeafReader never accepts a
        // leaf that it rejects).
        return CanonicalLeafReader.TryRead(leaf) ?? ParseByReencoding(leaf);
    }

    /// <summary>
    /// The general path of <see cref="Parse"/>, and on its own what <see cref="Parse"/> accepts: parses the leaf as JSON,
    /// re-encodes the entry and accepts the leaf only if it is exactly those bytes.
    /// </summary>
    /// <exception cref="LeafFormatException">The bytes are not a canonical version-1 or version-2 leaf; the message says why.</exception>
    internal static LedgerEntry ParseByReencoding(ReadOnlySpan<byte> leaf)
    {
        CheckSizeAndEncoding(leaf);

        // The leaf is parsed from a pooled copy and re-encoded into a buffer of its own size: an audit parses every
        // leaf of the log, and allocations, not the parsing, were most of its time (bench/README.md).
        LedgerEntry entry;
        using var canonical = new PooledBufferWriter(leaf.Length);
        var copy = ArrayPool<byte>.Shared.Rent(leaf.Length);
        try
        {
            var reader = new Utf8JsonReader(leaf, ReaderOptions);
            if (reader.Read())
            {
                reader.Skip();
            }

            if (reader.BytesConsumed != leaf.Length)
            {
                // Without a value at all, the document parse below says so.
                if (reader.BytesConsumed > 0)
                {
                    throw new LeafFormatException("leaf has bytes after its JSON object");
                }
            }

            leaf.CopyTo(copy);
            using var doc = JsonDocument.Parse(copy.AsMemory(0, leaf.Length), DocumentOptions);
            entry = Read(doc.RootElement);
            Write(entry, canonical);
        }
        catch (JsonException e)
        {
            throw new LeafFormatException($"leaf is not valid JSON: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new LeafFormatException($"leaf breaks a format rule: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json's answer to an escaped lone surrogate (\uD800) in a string.
            throw new LeafFormatException($"leaf has a string that is not valid Unicode: {e.Message}", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }

        if (!leaf.SequenceEqual(canonical.WrittenSpan))
        {
            throw new LeafFormatException(
                "leaf is not in canonical form (member order, white space, escapes or duplicate members differ from the encoding)");
        }

        return entry;
    }

    private static void CheckSizeAndEncoding(ReadOnlySpan<byte> leaf)
    {
        if (leaf.Length > MaxLeafSize)
        {
            throw new LeafFormatException($"leaf is {leaf.Length} bytes; the limit is {MaxLeafSize}");
        }

        if (!System.Text.Unicode.Utf8.IsValid(leaf))
        {
            throw new LeafFormatException("leaf is not valid UTF-8");
        }
    }

    private static LedgerEntry Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new LeafFormatException("leaf must be a JSON object");
        }

        var versionElement = Required(root, "v");
        if (versionElement.ValueKind != JsonValueKind.Number || !versionElement.TryGetInt32(out var version))
        {
            throw new LeafFormatException("\"v\" must be an integer");
        }

        if (version is not (LedgerEntry.ClearFormatVersion or LedgerEntry.FormatVersion))
        {
            throw new LeafFormatException(
                $"leaf format version {version} is not supported (this reads {LedgerEntry.ClearFormatVersion} and {LedgerEntry.FormatVersion})");
        }

        var prev = ParseHash(Required(root, "prev"), "prev");
        var timeText = String(root, "time");
        if (!DateTime.TryParseExact(
                timeText, TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            throw new LeafFormatException($"\"time\" must be RFC 3339 UTC with milliseconds ({TimeFormat}); got \"{timeText}\"");
        }

        var artefactsElement = Required(root, "artefacts");
        if (artefactsElement.ValueKind != JsonValueKind.Array)
        {
            throw new LeafFormatException("\"artefacts\" must be an array");
        }

        var artefacts = new List<Artefact>();
        foreach (var a in artefactsElement.EnumerateArray())
        {
            var sizeElement = Required(a, "size");
            if (sizeElement.ValueKind != JsonValueKind.Number || !sizeElement.TryGetInt64(out var size))
            {
                throw new LeafFormatException("artefact \"size\" must be an integer");
            }

            artefacts.Add(new Artefact(
                String(a, "name"),
                String(a, "mediaType"),
                size,
                ParseHash(Required(a, "sha256"), "sha256"),
                a.TryGetProperty("sm3", out var sm3) ? ParseHash(sm3, "sm3") : null));
        }

        var attributesElement = Required(root, "attributes");
        if (attributesElement.ValueKind != JsonValueKind.Object)
        {
            throw new LeafFormatException("\"attributes\" must be an object");
        }

        var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var commitments = new SortedDictionary<string, Commitment>(StringComparer.Ordinal);
        foreach (var p in attributesElement.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.String)
            {
                attributes[p.Name] = p.Value.GetString()!;
            }
            else if (version >= LedgerEntry.FormatVersion && p.Value.ValueKind == JsonValueKind.Object)
            {
                commitments[p.Name] = ReadCommitment(p.Name, p.Value);
            }
            else
            {
                throw new LeafFormatException(version >= LedgerEntry.FormatVersion
                    ? $"attribute \"{p.Name}\" must be a string or a commitment object"
                    : $"attribute \"{p.Name}\" must be a string");
            }
        }

        var indexElement = Required(root, "index");
        if (indexElement.ValueKind != JsonValueKind.Number || !indexElement.TryGetUInt64(out var index))
        {
            throw new LeafFormatException("\"index\" must be an integer from 0 to 2^64-1");
        }

        var draft = new EntryDraft(String(root, "kind"), String(root, "submitter"), artefacts, attributes) { Commitments = commitments };
        return new LedgerEntry(String(root, "origin"), index, prev, new DateTimeOffset(time, TimeSpan.Zero), draft) { Version = version };
    }

    // {"commit-sha256":"hex"} or {"commit-sm3":"hex"}: exactly one member (extra members fail the canonical comparison).
    private static Commitment ReadCommitment(string name, JsonElement value)
    {
        foreach (var member in value.EnumerateObject())
        {
            if (!Commitment.TryParseMemberName(member.Name, out var algorithm))
            {
                throw new LeafFormatException($"attribute \"{name}\" is an object but not a commitment: expected \"commit-sha256\" or \"commit-sm3\", got \"{member.Name}\"");
            }

            return new Commitment(algorithm, ParseHash(member.Value, $"{name}.{member.Name}"));
        }

        throw new LeafFormatException($"attribute \"{name}\" is an empty object, not a commitment");
    }

    private static JsonElement Required(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value)
            ? value
            : throw new LeafFormatException($"leaf is missing \"{name}\"");

    private static string String(JsonElement obj, string name)
    {
        var value = Required(obj, name);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new LeafFormatException($"\"{name}\" must be a string");
    }

    // Hashes are read and written as hex without a string in between: a leaf holds several, and the audit reads them all.
    private static Hash ParseHash(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            // The raw value in its quotes; one with an escape in it is not canonical, and is read as a string.
            var raw = JsonMarshal.GetRawUtf8Value(value);
            Span<char> hex = stackalloc char[2 * Hash.Size];
            if (raw.Length == hex.Length + 2 && raw.IndexOf((byte)'\\') < 0)
            {
                for (var i = 0; i < hex.Length; i++)
                {
                    hex[i] = (char)raw[i + 1];
                }

                if (Hash.TryParse(hex, out var hash))
                {
                    return hash;
                }
            }
            else if (Hash.TryParse(value.GetString(), out var hash))
            {
                return hash;
            }
        }

        throw new LeafFormatException($"\"{name}\" must be 64 lowercase hex digits");
    }

    private static void WriteHash(Utf8JsonWriter writer, string name, Hash hash)
    {
        Span<byte> bytes = stackalloc byte[Hash.Size];
        Span<char> hex = stackalloc char[2 * Hash.Size];
        hash.CopyTo(bytes);
        Convert.TryToHexStringLower(bytes, hex, out _);
        writer.WriteString(name, hex);
    }

    private static void Validate(LedgerEntry entry)
    {
        if (string.IsNullOrEmpty(entry.Origin) || entry.Origin.Any(char.IsControl))
        {
            throw new ArgumentException("The log origin must be non-empty, without control characters.", nameof(entry));
        }

        CheckText(entry.Origin, "origin");
        CheckText(entry.Draft.Submitter, "submitter");
        foreach (var a in entry.Draft.Artefacts)
        {
            CheckText(a.Name, "artefact name");
            CheckText(a.MediaType, "artefact media type");
            if (Encoding.UTF8.GetByteCount(a.Name) > MaxNameBytes)
            {
                throw new ArgumentException($"Artefact name is longer than {MaxNameBytes} UTF-8 bytes.", nameof(entry));
            }
        }

        foreach (var (key, value) in entry.Draft.Attributes)
        {
            CheckText(key, "attribute name");
            CheckText(value, $"attribute \"{key}\"");
        }

        if (entry.Version is not (LedgerEntry.ClearFormatVersion or LedgerEntry.FormatVersion))
        {
            throw new ArgumentException($"Leaf format version {entry.Version} does not exist.", nameof(entry));
        }

        foreach (var key in entry.Draft.Commitments.Keys)
        {
            CheckText(key, "attribute name");
            if (entry.Version == LedgerEntry.ClearFormatVersion)
            {
                throw new ArgumentException($"A version-1 leaf holds attributes in clear only; \"{key}\" is a commitment.", nameof(entry));
            }

            if (entry.Draft.Attributes.ContainsKey(key))
            {
                throw new ArgumentException($"Attribute \"{key}\" is both in clear and committed.", nameof(entry));
            }
        }

        var kind = entry.Draft.Kind;
        if (kind.Length is 0 or > 64 || !kind.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            throw new ArgumentException(
                $"Entry kind \"{kind}\" must be 1 to 64 characters of a-z, 0-9 and '-'.", nameof(entry));
        }

        foreach (var a in entry.Draft.Artefacts)
        {
            if (string.IsNullOrEmpty(a.Name))
            {
                throw new ArgumentException("Every artefact needs a name.", nameof(entry));
            }

            ArgumentOutOfRangeException.ThrowIfNegative(a.Size, nameof(entry));
        }

        var time = entry.Time.UtcDateTime;
        if (time.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentException("Entry time must be whole milliseconds (truncate it first).", nameof(entry));
        }
    }

    /// <summary>Refuses text with unpaired surrogates, which UTF-8 cannot carry (they would be silently replaced).</summary>
    private static void CheckText(string? text, string what)
    {
        if (text is null)
        {
            throw new ArgumentException($"The {what} must not be null.", nameof(text));
        }

        for (var i = 0; i < text.Length; i++)
        {
            var paired = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (paired)
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                throw new ArgumentException($"The {what} is not valid Unicode (it has an unpaired surrogate at {i}).", nameof(text));
            }
        }
    }
}
