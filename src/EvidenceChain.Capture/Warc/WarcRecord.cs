namespace EvidenceChain.Capture.Warc;

/// <summary>
/// One WARC record as read back: its named fields in file order and its block. Immutable once read.
/// </summary>
/// <param name="Version">The version line, e.g. <c>WARC/1.1</c>.</param>
/// <param name="Fields">The header fields in the order they appear.</param>
/// <param name="Block">The record block (Content-Length bytes).</param>
/// <param name="Offset">Where the record starts in the file.</param>
internal sealed record WarcRecord(string Version, IReadOnlyList<KeyValuePair<string, string>> Fields, ReadOnlyMemory<byte> Block, long Offset)
{
    /// <summary>WARC-Type, e.g. <c>response</c>.</summary>
    public string Type => Get(WarcFields.Type) ?? string.Empty;

    /// <summary>WARC-Record-ID, e.g. <c>&lt;urn:uuid:...&gt;</c>.</summary>
    public string RecordId => Get(WarcFields.RecordId) ?? string.Empty;

    /// <summary>WARC-Target-URI, or null.</summary>
    public string? TargetUri => Get(WarcFields.TargetUri);

    /// <summary>The first field named <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Get(string name)
    {
        foreach (var (key, value) in Fields)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
