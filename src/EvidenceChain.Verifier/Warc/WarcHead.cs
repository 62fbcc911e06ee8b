namespace EvidenceChain.Verifier.Warc;

/// <summary>A record's head: where the record starts and its fields in order (names as written).</summary>
/// <remarks>Immutable.</remarks>
internal sealed class WarcHead(long offset, IReadOnlyList<KeyValuePair<string, string>> fields)
{
    /// <summary>The record's offset in the file.</summary>
    public long Offset { get; } = offset;

    /// <summary>The fields, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; } = fields;

    /// <summary>How many fields are named <paramref name="name"/> (ignoring case).</summary>
    public int Count(string name) => Fields.Count(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The first field named <paramref name="name"/> (ignoring case), or null.</summary>
    public string? Get(string name) => Fields.FirstOrDefault(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}
