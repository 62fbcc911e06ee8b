using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;

namespace EvidenceChain.Node.Services;

/// <summary>
/// Opaque page tokens: the position to continue from, bound to the filters of the request that made it (a token used
/// with other filters is INVALID_ARGUMENT rather than a silently wrong page). Base64url of
/// <c>"p1:" position ":" 16 hex digits of SHA-256(filters)</c>; a client must treat it as opaque.
/// </summary>
internal static class PageToken
{
    private const string Version = "p1";

    public static string Encode(ulong position, string filters) =>
        Base64Url(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Version}:{position}:{Bind(filters)}")));

    /// <summary>The position a token continues from; null for an empty token (the first page).</summary>
    /// <exception cref="RpcException">INVALID_ARGUMENT: malformed, or made for other filters.</exception>
    public static ulong? Decode(string token, string filters)
    {
        if (token.Length == 0)
        {
            return null;
        }

        string[] parts;
        try
        {
            parts = token.Length > 200 ? [] : Encoding.ASCII.GetString(FromBase64Url(token)).Split(':');
        }
        catch (FormatException)
        {
            parts = [];
        }

        if (parts.Length != 3 || parts[0] != Version || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                "page_token is malformed: pass the next_page_token of the previous response unchanged, or none for the first page."));
        }

        if (parts[2] != Bind(filters))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                "page_token was made for other filters: keep the filters of the first page while paging, or start again without a token."));
        }

        return position;
    }

    private static string Bind(string filters) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(filters)).AsSpan(0, 8));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - (s.Length % 4)) % 4));
    }
}
