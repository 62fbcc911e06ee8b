using System.Globalization;
using System.Text.RegularExpressions;
using EvidenceChain.Api.V1;
using EvidenceChain.Core.Text;
using EvidenceChain.Ledger.Search;
using EvidenceChain.Node.Auth;
using Grpc.Core;

namespace EvidenceChain.Node.Services;

/// <summary>The search request's parameters, checked, and the mapping of its results.</summary>
internal static partial class SearchWire
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;
    public const int MaxQueryLength = 256;

    /// <summary>The store query a request asks for, as <paramref name="caller"/> may see it.</summary>
    /// <exception cref="RpcException">INVALID_ARGUMENT naming the malformed parameter.</exception>
    public static (SearchQuery Query, string Filters) ToQuery(SearchEntriesRequest request, Caller caller)
    {
        var text = Text(request.Q, "q");
        var kind = request.Kind switch
        {
            "" => null,
            "file" or "webpage" => request.Kind,
            _ => throw Invalid($"kind: expected file, webpage or empty, got \"{UntrustedText.Printable(request.Kind, 40)}\"."),
        };
        var digest = (request.Sha256.Length > 0, request.Sm3.Length > 0) switch
        {
            (true, true) => throw Invalid("Give at most one of sha256 and sm3."),
            (true, false) => Wire.ParseHash(request.Sha256, "sha256"),
            (false, true) => Wire.ParseHash(request.Sm3, "sm3"),
            _ => (Core.Hash?)null,
        };
        var from = Time(request.From, "from");
        var to = Time(request.To, "to");
        if (from is not null && to is not null && from > to)
        {
            throw Invalid($"from ({request.From}) is after to ({request.To}).");
        }

        var limit = request.PageSize switch
        {
            0 => DefaultPageSize,
            <= MaxPageSize => (int)request.PageSize,
            _ => throw Invalid($"page_size: at most {MaxPageSize}; got {request.PageSize}."),
        };
        var submitter = caller.Role == Role.Submitter ? caller.KeyId : null;
        var filters = string.Join('\u0000', caller.KeyId, text, kind, digest?.ToString(), from?.UtcTicks.ToString(CultureInfo.InvariantCulture), to?.UtcTicks.ToString(CultureInfo.InvariantCulture));
        var query = new SearchQuery { Submitter = submitter, Text = text, Kind = kind, Digest = digest, From = from, To = to, Limit = limit };
        return (query, filters);
    }

    /// <summary>A free-text filter: null when empty; INVALID_ARGUMENT when too long or with control characters.</summary>
    public static string? Text(string value, string field)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (value.Length > MaxQueryLength)
        {
            throw Invalid($"{field}: at most {MaxQueryLength} characters; got {value.Length}.");
        }

        if (value.Any(char.IsControl))
        {
            throw Invalid($"{field}: control characters are not allowed.");
        }

        return value;
    }

    public static EntrySummary ToProto(SearchRecord r, string submitterDescription) => new()
    {
        Index = r.Index,
        Kind = r.Kind,
        Title = r.Title,
        FileName = r.FileName,
        Url = r.Url,
        Size = checked((ulong)r.Size),
        MediaType = r.MediaType,
        Sha256 = r.Sha256.ToString(),
        Sm3 = r.Sm3?.ToString() ?? string.Empty,
        Time = Wire.Rfc3339(r.Time),
        Submitter = r.Submitter,
        SubmitterDescription = submitterDescription,
        HasScreenshot = r.HasScreenshot,
        CaptureStatus = r.CaptureStatus,
        LeafHash = r.LeafHash.ToString(),
    };

    private static DateTimeOffset? Time(string value, string field)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (value.Length > 64 || !Rfc3339().IsMatch(value)
            || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            throw Invalid($"{field}: expected an RFC 3339 time such as 2026-12-07T10:00:00Z, got \"{UntrustedText.Printable(value, 64)}\".");
        }

        return time;
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
