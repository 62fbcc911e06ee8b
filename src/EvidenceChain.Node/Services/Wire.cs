using System.Globalization;
using EvidenceChain.Api.V1;
using EvidenceChain.Core;
using EvidenceChain.Ledger;
using Google.Protobuf;
using Grpc.Core;

namespace EvidenceChain.Node.Services;

/// <summary>Mapping between generated wire types and Core/Ledger types: the generated types stop here.</summary>
internal static class Wire
{
    /// <summary>Parses a hex hash field, or fails with INVALID_ARGUMENT naming the field.</summary>
    public static Hash ParseHash(string value, string field) =>
        Hash.TryParse(value, out var hash)
            ? hash
            : throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"{field}: expected 64 hex digits, got \"{Shorten(value)}\" ({value.Length} characters)."));

    /// <summary>A list limit: 0 means <paramref name="fallback"/>; above <paramref name="max"/> is INVALID_ARGUMENT.</summary>
    public static int Limit(uint value, int fallback, int max) =>
        value == 0 ? fallback
        : value <= (uint)max ? (int)value
        : throw new RpcException(new Status(StatusCode.InvalidArgument, $"limit: at most {max}; got {value}."));

    /// <summary>The entry as the API shows it; <paramref name="disclosed"/> (checked already) only for a caller that may see it.</summary>
    public static Entry ToProto(StoredEntry stored, Core.Entries.Disclosure? disclosed = null)
    {
        var e = stored.Entry;
        var entry = new Entry
        {
            Index = stored.Index,
            LeafHash = stored.LeafHash.ToString(),
            Leaf = ByteString.CopyFrom(stored.Leaf.Span),
            Origin = e.Origin,
            Prev = e.Prev.ToString(),
            Time = Rfc3339(e.Time),
            Kind = e.Draft.Kind,
            Submitter = e.Draft.Submitter,
        };
        foreach (var a in e.Draft.Artefacts)
        {
            entry.Artefacts.Add(ToProto(a));
        }

        foreach (var (name, value) in e.Draft.Attributes)
        {
            entry.Attributes[name] = value;
        }

        foreach (var (name, commitment) in e.Draft.Commitments)
        {
            entry.Commitments[name] = commitment.ToString();
        }

        foreach (var opening in disclosed?.Openings ?? [])
        {
            entry.Disclosed[opening.Field] = opening.Value;
        }

        return entry;
    }

    public static Artefact ToProto(Core.Entries.Artefact a) => new()
    {
        Name = a.Name,
        MediaType = a.MediaType,
        Size = checked((ulong)a.Size),
        Sha256 = a.Sha256.ToString(),
        Sm3 = a.Sm3?.ToString() ?? string.Empty,
    };

    public static ApiKey ToProto(ApiKeyRecord key) => new()
    {
        Id = key.Id,
        Role = key.Role,
        Description = key.Description,
        Created = Rfc3339(key.Created),
        Revoked = key.Revoked is { } r ? Rfc3339(r) : string.Empty,
    };

    public static string Rfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>NOT_FOUND for an index beyond the latest checkpoint.</summary>
    public static RpcException NoSuchEntry(ulong index, ulong size) =>
        new(new Status(StatusCode.NotFound, $"Entry {index} does not exist: the latest checkpoint has {size} entries (indices 0 to {(size == 0 ? "none" : (size - 1).ToString(CultureInfo.InvariantCulture))})."));

    private static string Shorten(string value) =>
        new([.. (value.Length > 80 ? value[..80] + "..." : value).Select(c => char.IsControl(c) ? '?' : c)]);
}
