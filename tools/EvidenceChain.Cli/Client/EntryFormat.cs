using System.Globalization;
using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;

namespace EvidenceChain.Cli.Client;

/// <summary>Entries and artefacts as text for people and as JSON for scripts.</summary>
internal static class EntryFormat
{
    public static JsonObject ToJson(Entry entry) => new()
    {
        ["index"] = entry.Index,
        ["leafHash"] = entry.LeafHash,
        ["origin"] = entry.Origin,
        ["prev"] = entry.Prev,
        ["time"] = entry.Time,
        ["kind"] = entry.Kind,
        ["submitter"] = entry.Submitter,
        ["artefacts"] = new JsonArray([.. entry.Artefacts.Select(ToJson)]),
        ["attributes"] = new JsonObject(entry.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
        // Fields the leaf holds as salted commitments (docs/formats.md §1.5), and their clear values when the key may see them.
        ["commitments"] = new JsonObject(entry.Commitments.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
        ["disclosed"] = new JsonObject(entry.Disclosed.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
        // The verbatim leaf (what the tree hashes), for offline verification: bytes, so base64, and named so.
        ["leafBase64"] = Convert.ToBase64String(entry.Leaf.Span),
    };

    public static JsonObject ToJson(Artefact artefact) => new()
    {
        ["name"] = artefact.Name,
        ["mediaType"] = artefact.MediaType,
        ["size"] = artefact.Size,
        ["sha256"] = artefact.Sha256,
        ["sm3"] = artefact.Sm3.Length == 0 ? null : artefact.Sm3,
    };

    /// <summary>The entry over several indented lines, attributes sorted by name.</summary>
    public static async Task WriteTextAsync(TextWriter output, Entry entry)
    {
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"entry {entry.Index} of {Text.Printable(entry.Origin)}"));
        await WriteFieldAsync(output, "leaf hash", entry.LeafHash);
        await WriteFieldAsync(output, "time", entry.Time);
        await WriteFieldAsync(output, "kind", entry.Kind);
        await WriteFieldAsync(output, "submitter", entry.Submitter);
        foreach (var (name, value) in entry.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            await WriteFieldAsync(output, name, value);
        }

        // Committed fields: the clear value when the node disclosed it to this key, else only the commitment.
        foreach (var (name, commitment) in entry.Commitments.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            await WriteFieldAsync(output, name, entry.Disclosed.TryGetValue(name, out var value) ? value + "  (committed; disclosed to this key)" : "(committed) " + commitment);
        }

        foreach (var artefact in entry.Artefacts)
        {
            await WriteFieldAsync(output, "artefact", string.Create(
                CultureInfo.InvariantCulture, $"{Text.Printable(artefact.Name)} ({Text.Printable(artefact.MediaType)}, {artefact.Size} bytes)"));
            await WriteFieldAsync(output, "  sha256", artefact.Sha256);
            if (artefact.Sm3.Length > 0)
            {
                await WriteFieldAsync(output, "  sm3", artefact.Sm3);
            }
        }
    }

    /// <summary>One line for a list of entries: index, time, leaf hash and artefact names.</summary>
    public static string Summary(Entry entry) => string.Create(
        CultureInfo.InvariantCulture,
        $"entry {entry.Index}  {entry.Time}  leaf hash {entry.LeafHash}  {string.Join(", ", entry.Artefacts.Select(a => Text.Printable(a.Name)))}");

    private static async Task WriteFieldAsync(TextWriter output, string name, string value) =>
        await output.WriteLineAsync($"  {Text.Printable(name),-12} {Text.Printable(value)}");
}
