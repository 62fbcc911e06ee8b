using Microsoft.Extensions.Logging;

namespace EvidenceChain.Capture.Internal;

/// <summary>The capture's log messages. URLs are logged without query strings (they may carry tokens).</summary>
internal static partial class CaptureLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Captured {Url}: HTTP {Status} from {Address}, {Redirects} redirect(s), rendering {Rendering}")]
    public static partial void Completed(ILogger logger, string url, int status, string address, int redirects, string rendering);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Capture of {Url} failed ({Reason}): {Message}")]
    public static partial void Failed(ILogger logger, string url, string reason, string message);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Capture of {Url} refused ({Rule})")]
    public static partial void Refused(ILogger logger, string url, string rule);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Rendering {Url} failed; the network capture is kept: {Message}")]
    public static partial void RenderFailed(ILogger logger, string url, string message);

    [LoggerMessage(EventId = 504, Level = LogLevel.Information, Message = "Browser blocked {Count} request(s) while rendering {Url}")]
    public static partial void BrowserBlocked(ILogger logger, int count, string url);

    /// <summary>A URL without its query and fragment, for the log.</summary>
    public static string Safe(Uri url) => url.GetLeftPart(UriPartial.Path);

    /// <summary>
    /// A failure message for the log: each of <paramref name="urls"/> in its <see cref="Safe(Uri)"/> form, and any other
    /// http(s) URL or quoted text stripped of its query. The record keeps the message whole (that is evidence).
    /// </summary>
    public static string Safe(string message, IEnumerable<Uri> urls)
    {
        foreach (var url in urls.OrderByDescending(u => u.OriginalString.Length))
        {
            var safe = Safe(url);
            message = message.Replace(url.AbsoluteUri, safe, StringComparison.Ordinal)
                .Replace(url.ToString(), safe, StringComparison.Ordinal)
                .Replace(url.OriginalString, safe, StringComparison.Ordinal);
        }

        message = AnyUrlQuery().Replace(message, "$1");
        return QuotedQuery().Replace(message, "\"$1\"");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(https?://[^\s""?#]*)[?#][^\s""]*", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex AnyUrlQuery();

    [System.Text.RegularExpressions.GeneratedRegex(@"""([^""?]*)\?[^""]*""")]
    private static partial System.Text.RegularExpressions.Regex QuotedQuery();
}
