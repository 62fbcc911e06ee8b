using System.Text;
using Grpc.Core;

namespace EvidenceChain.Node.Jobs;

/// <summary>The up-front checks of a job's or watch's URLs: what can be refused before anything is created.</summary>
internal static class JobUrls
{
    /// <summary>Most URLs in one capture job.</summary>
    public const int MaxUrls = 10_000;

    /// <summary>Longest URL, in UTF-8 bytes (as the webpage intake takes it).</summary>
    public const int MaxUrlBytes = 8192;

    /// <summary>Throws INVALID_ARGUMENT naming <paramref name="what"/> when <paramref name="url"/> is not an absolute http(s) URL.</summary>
    public static void Check(string url, string what)
    {
        string? problem = null;
        if (url.Length == 0)
        {
            problem = "is empty";
        }
        else if (Encoding.UTF8.GetByteCount(url) > MaxUrlBytes)
        {
            problem = $"is longer than {MaxUrlBytes} UTF-8 bytes";
        }
        else if (url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            problem = "holds a space or control character";
        }
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            problem = "is not an absolute URL";
        }
        else if (uri.Scheme is not ("http" or "https"))
        {
            problem = $"has scheme \"{uri.Scheme}\", not http or https";
        }
        else if (uri.UserInfo.Length > 0)
        {
            problem = "holds user:password@ credentials";
        }

        if (problem is not null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{what} (\"{Core.Text.UntrustedText.Printable(url, 200)}\") {problem}; give an absolute http:// or https:// URL. Nothing was created."));
        }
    }
}
