using System.Text;

namespace EvidenceChain.LoadTest.RawGrpc;

/// <summary>The HPACK static table (RFC 7541 Appendix A), indexes 1 to 61, as ASCII bytes. Immutable.</summary>
internal static class HpackStaticTable
{
    public const int Count = 61;

    public const int Authority = 1;
    public const int MethodPost = 3;
    public const int Path = 4;
    public const int SchemeHttp = 6;
    public const int Authorization = 23;
    public const int ContentType = 31;

    private static readonly (byte[] Name, byte[] Value)[] Entries = Build(
    [
        (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"),
        (":scheme", "http"), (":scheme", "https"), (":status", "200"), (":status", "204"), (":status", "206"),
        (":status", "304"), (":status", "400"), (":status", "404"), (":status", "500"), ("accept-charset", ""),
        ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""), ("accept", ""),
        ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""), ("cache-control", ""),
        ("content-disposition", ""), ("content-encoding", ""), ("content-language", ""), ("content-length", ""),
        ("content-location", ""), ("content-range", ""), ("content-type", ""), ("cookie", ""), ("date", ""),
        ("etag", ""), ("expect", ""), ("expires", ""), ("from", ""), ("host", ""), ("if-match", ""),
        ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""), ("if-unmodified-since", ""),
        ("last-modified", ""), ("link", ""), ("location", ""), ("max-forwards", ""), ("proxy-authenticate", ""),
        ("proxy-authorization", ""), ("range", ""), ("referer", ""), ("refresh", ""), ("retry-after", ""),
        ("server", ""), ("set-cookie", ""), ("strict-transport-security", ""), ("transfer-encoding", ""),
        ("user-agent", ""), ("vary", ""), ("via", ""), ("www-authenticate", ""),
    ]);

    /// <summary>The entry at index (1-based, as on the wire). Returns false for 0 and for indexes past the table.</summary>
    public static bool TryGet(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        if (index is < 1 or > Count)
        {
            name = value = default;
            return false;
        }

        name = Entries[index - 1].Name;
        value = Entries[index - 1].Value;
        return true;
    }

    private static (byte[] Name, byte[] Value)[] Build((string Name, string Value)[] entries) =>
        entries.Length == Count
            ? [.. entries.Select(e => (Encoding.ASCII.GetBytes(e.Name), Encoding.ASCII.GetBytes(e.Value)))]
            : throw new InvalidOperationException($"The HPACK static table has {Count} entries, not {entries.Length}.");
}
