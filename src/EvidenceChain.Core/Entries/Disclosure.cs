using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace EvidenceChain.Core.Entries;

/// <summary>
/// The openings of one entry's committed fields (docs/formats.md §1.5 and §14, <c>disclosed.json</c>): what the node
/// keeps beside the public leaf and reveals to whoever may see the entry. <see cref="Check"/> tells whether every
/// opening matches the leaf's commitment; <see cref="Reveal"/> gives the entry with the opened values in clear.
/// Immutable and thread-safe.
/// </summary>
public sealed class Disclosure
{
    /// <summary>The format version of the encoding.</summary>
    public const int FormatVersion = 1;

    /// <summary>The largest encoding read or written: a leaf's limit, with room for hex salts and escapes.</summary>
    public const int MaxSize = 4 * LeafCodec.MaxLeafSize;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = MinimalJsonEncoder.Instance, Indented = false };

    private Disclosure(IReadOnlyList<Opening> openings) => Openings = openings;

    /// <summary>The openings, sorted by field name (ordinal); field names are unique.</summary>
    public IReadOnlyList<Opening> Openings { get; }

    /// <summary>Makes a disclosure of <paramref name="openings"/> (sorted here).</summary>
    /// <exception cref="ArgumentException">A field is named twice, or a field name is empty.</exception>
    public static Disclosure Create(IEnumerable<Opening> openings)
    {
        ArgumentNullException.ThrowIfNull(openings);
        var sorted = openings.OrderBy(o => o.Field, StringComparer.Ordinal).ToList();
        for (var i = 0; i < sorted.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(sorted[i]);
            ArgumentException.ThrowIfNullOrEmpty(sorted[i].Field);
            ArgumentNullException.ThrowIfNull(sorted[i].Value);
            if (i > 0 && sorted[i].Field == sorted[i - 1].Field)
            {
                throw new ArgumentException($"Field \"{sorted[i].Field}\" is opened twice.", nameof(openings));
            }
        }

        return new Disclosure(sorted);
    }

    /// <summary>
    /// Commits the attributes of <paramref name="draft"/> named in <paramref name="fields"/> (those it has; the others
    /// are ignored), each with 32 fresh salt bytes from <paramref name="fillSalt"/>, and returns the draft whose leaf
    /// holds the commitments instead of the values, and the disclosure that opens them.
    /// </summary>
    /// <exception cref="ArgumentException">A committed value is not valid Unicode.</exception>
    public static (EntryDraft Draft, Disclosure Disclosure) Seal(
        EntryDraft draft, IEnumerable<string> fields, CommitmentAlgorithm algorithm, Action<Span<byte>> fillSalt)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(fillSalt);
        var clear = new Dictionary<string, string>(draft.Attributes, StringComparer.Ordinal);
        var commitments = new Dictionary<string, Commitment>(draft.Commitments, StringComparer.Ordinal);
        var openings = new List<Opening>();
        Span<byte> salt = stackalloc byte[Commitment.SaltSize];
        foreach (var field in fields.Distinct(StringComparer.Ordinal))
        {
            if (!clear.Remove(field, out var value))
            {
                continue;
            }

            salt.Clear();
            fillSalt(salt);
            var opening = new Opening(field, value, new Hash(salt));
            commitments[field] = Commitment.Compute(algorithm, field, value, opening.Salt);
            openings.Add(opening);
        }

        return (draft with { Attributes = clear, Commitments = commitments }, Create(openings));
    }

    /// <summary>
    /// Checks every opening against <paramref name="entry"/>'s commitment of the same field. Valid when each opening
    /// names a committed field and recomputes its commitment; commitments left unopened are listed, not failed.
    /// </summary>
    public DisclosureCheck Check(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var commitments = entry.Draft.Commitments;
        foreach (var opening in Openings)
        {
            if (!commitments.TryGetValue(opening.Field, out var commitment))
            {
                return new DisclosureCheck(opening.Field, string.Create(CultureInfo.InvariantCulture,
                    $"entry {entry.Index} commits no field \"{opening.Field}\" (it commits: {Names(commitments.Keys)})"), [], []);
            }

            if (!commitment.IsOpenedBy(opening))
            {
                return new DisclosureCheck(opening.Field, string.Create(CultureInfo.InvariantCulture,
                    $"the value and salt given for \"{opening.Field}\" do not give entry {entry.Index}'s {commitment}"), [], []);
            }
        }

        var unopened = commitments.Keys.Where(k => !Openings.Any(o => o.Field == k)).Order(StringComparer.Ordinal).ToList();
        return new DisclosureCheck(null, null, Openings, unopened);
    }

    /// <summary>
    /// <paramref name="entry"/> with each opened commitment replaced by its clear value in <see cref="EntryDraft.Attributes"/>
    /// (the view that readers of case and key events use). Never encode the result as a leaf: it is not the stored one.
    /// </summary>
    /// <exception cref="ArgumentException">An opening does not match (<see cref="Check"/>).</exception>
    public LedgerEntry Reveal(LedgerEntry entry)
    {
        var check = Check(entry);
        if (!check.IsValid)
        {
            throw new ArgumentException($"The disclosure does not open entry {entry.Index}: {check.Problem}.", nameof(entry));
        }

        if (Openings.Count == 0)
        {
            return entry;
        }

        var clear = new Dictionary<string, string>(entry.Draft.Attributes, StringComparer.Ordinal);
        var commitments = new Dictionary<string, Commitment>(entry.Draft.Commitments, StringComparer.Ordinal);
        foreach (var opening in Openings)
        {
            commitments.Remove(opening.Field);
            clear[opening.Field] = opening.Value;
        }

        return entry with { Draft = entry.Draft with { Attributes = clear, Commitments = commitments } };
    }

    /// <summary>
    /// The canonical encoding: <c>{"v":1,"openings":[{"field":…,"value":…,"salt":"hex"},…]}</c>, sorted by field,
    /// no white space, escaped as leaves are (docs/formats.md §1.2).
    /// </summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", FormatVersion);
            writer.WriteStartArray("openings");
            foreach (var o in Openings)
            {
                writer.WriteStartObject();
                writer.WriteString("field", o.Field);
                writer.WriteString("value", o.Value);
                writer.WriteString("salt", o.Salt.ToString());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses the canonical encoding (<see cref="Encode"/>); nothing else is accepted.</summary>
    /// <exception cref="FormatException">The bytes are not a canonical disclosure; the message says why.</exception>
    public static Disclosure Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxSize)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"disclosure is {bytes.Length} bytes; the limit is {MaxSize}"));
        }

        Disclosure disclosure;
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 4 });
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Number
                || !v.TryGetInt32(out var version) || version != FormatVersion)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"disclosure must be an object with \"v\":{FormatVersion}"));
            }

            if (!root.TryGetProperty("openings", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("disclosure has no \"openings\" array");
            }

            var openings = new List<Opening>();
            foreach (var o in list.EnumerateArray())
            {
                openings.Add(new Opening(Text(o, "field"), Text(o, "value"), Hash.TryParse(Text(o, "salt"), out var salt) ? salt : throw new FormatException("an opening's \"salt\" must be 64 hex digits")));
            }

            disclosure = Create(openings);
        }
        catch (JsonException e)
        {
            throw new FormatException($"disclosure is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException($"disclosure has a string that is not valid Unicode: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"disclosure breaks a rule: {e.Message}", e);
        }

        if (!bytes.SequenceEqual(disclosure.Encode()))
        {
            throw new FormatException("disclosure is not in canonical form (member order, white space, escapes, sorting or duplicates differ)");
        }

        return disclosure;
    }

    private static string Text(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"an opening needs a string \"{name}\"");

    private static string Names(IEnumerable<string> names)
    {
        var list = string.Join(", ", names.Order(StringComparer.Ordinal).Select(n => $"\"{n}\""));
        return list.Length == 0 ? "nothing" : list;
    }
}
