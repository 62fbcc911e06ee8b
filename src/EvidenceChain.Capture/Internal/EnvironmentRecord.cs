using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace EvidenceChain.Capture.Internal;

/// <summary>
/// The capture-environment record (the WARC's <c>metadata</c> record): software, operating system, clocks, proxy,
/// resolver, user agent, capture parameters, and what happened hop by hop. JSON with a fixed field order.
/// </summary>
internal sealed class EnvironmentRecord
{
    public const string Software = "EvidenceChain.Capture";

    public static string Version { get; } =
        typeof(EnvironmentRecord).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(EnvironmentRecord).Assembly.GetName().Version?.ToString() ?? "unknown";

    public const string Resolver = "system resolver (getaddrinfo through System.Net.Dns)";

    public required CaptureOptions Options { get; init; }

    public required DateTimeOffset NodeTime { get; init; }

    public DateTimeOffset? TrustedTime { get; init; }

    public string TrustedTimeNote { get; init; } = "not available";

    public required bool RenderRequested { get; init; }

    public required string Browser { get; init; }

    public required string Url { get; init; }

    public required string FinalUrl { get; init; }

    public required CaptureFailure? Failure { get; init; }

    public required string Rendering { get; init; }

    public required IReadOnlyList<HopRecord> Hops { get; init; }

    /// <summary>The exchanges made for the browser while it rendered (docs/formats.md §9).</summary>
    public IReadOnlyList<HopRecord> Resources { get; init; } = [];

    public IReadOnlyList<string> BrowserBlocked { get; init; } = [];

    public IReadOnlyList<string> BrowserNotes { get; init; } = [];

    public byte[] ToJson()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("software");
            w.WriteString("name", Software);
            w.WriteString("version", Version);
            w.WriteString("runtime", RuntimeInformation.FrameworkDescription);
            w.WriteEndObject();
            w.WriteStartObject("operatingSystem");
            w.WriteString("description", RuntimeInformation.OSDescription);
            w.WriteString("architecture", RuntimeInformation.OSArchitecture.ToString());
            w.WriteEndObject();
            w.WriteStartObject("clock");
            w.WriteString("node", WarcTime(NodeTime));
            if (TrustedTime is { } tsa)
            {
                w.WriteString("tsa", WarcTime(tsa));
                w.WriteNumber("nodeMinusTsaMilliseconds", Math.Round((NodeTime - tsa).TotalMilliseconds, 3));
            }

            w.WriteString("tsaNote", TrustedTimeNote);
            w.WriteEndObject();
            w.WriteString("proxy", "none: direct connections from the node to the addresses the guard pinned");
            w.WriteStartObject("resolver");
            w.WriteString("description", Resolver);
            w.WriteStartArray("nameservers");
            foreach (var ns in Nameservers())
            {
                w.WriteStringValue(ns);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("userAgent", Options.UserAgent);
            w.WriteStartObject("parameters");
            w.WriteNumber("maxRedirects", Options.MaxRedirects);
            w.WriteNumber("maxResponseBytes", Options.MaxResponseBytes);
            w.WriteNumber("maxRedirectBodyBytes", Options.MaxRedirectBodyBytes);
            w.WriteNumber("timeoutSeconds", Options.Timeout.TotalSeconds);
            w.WriteNumber("maxConcurrentCaptures", Options.MaxConcurrentCaptures);
            w.WriteStartArray("allowedNetworks");
            foreach (var n in Options.AllowedNetworks)
            {
                w.WriteStringValue(n);
            }

            w.WriteEndArray();
            w.WriteBoolean("renderRequested", RenderRequested);
            w.WriteString("browser", Browser);
            w.WriteNumber("viewportWidth", Options.ViewportWidth);
            w.WriteNumber("maxScreenshotWidth", Options.MaxScreenshotWidth);
            w.WriteNumber("maxScreenshotHeight", Options.MaxScreenshotHeight);
            w.WriteNumber("maxDomBytes", Options.MaxDomBytes);
            w.WriteNumber("maxDevToolsMessageBytes", Options.MaxDevToolsMessageBytes);
            w.WriteBoolean("sm3", Options.Sm3);
            w.WriteEndObject();
            w.WriteStartObject("capture");
            w.WriteString("url", Url);
            w.WriteString("finalUrl", FinalUrl);
            w.WriteString("status", Failure is null ? "complete" : "failed");
            if (Failure is not null)
            {
                w.WriteString("failureReason", Failure.ReasonName);
                w.WriteString("failure", Failure.Message);
                if (Failure.Rule.Length > 0)
                {
                    w.WriteString("failureRule", Failure.Rule);
                }
            }

            w.WriteString("rendering", Rendering);
            w.WriteStartArray("hops");
            foreach (var hop in Hops)
            {
                WriteHop(w, hop);
            }

            w.WriteEndArray();
            if (Resources.Count > 0)
            {
                w.WriteStartArray("resources");
                foreach (var hop in Resources)
                {
                    WriteHop(w, hop);
                }

                w.WriteEndArray();
            }

            WriteList(w, "browserBlocked", BrowserBlocked);
            WriteList(w, "browserNotes", BrowserNotes);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteHop(Utf8JsonWriter w, HopRecord hop)
    {
        w.WriteStartObject();
        w.WriteString("url", hop.Url.AbsoluteUri);
        if (hop.ResourceType is not null)
        {
            w.WriteString("resourceType", hop.ResourceType);
        }

        w.WriteString("ipAddress", hop.Remote.Address.ToString());
        w.WriteNumber("port", hop.Remote.Port);
        w.WriteNumber("httpStatus", hop.StatusCode);
        w.WriteNumber("requestBytes", hop.Request.Length);
        w.WriteNumber("responseBytes", hop.Response.Length);
        if (hop.Truncated is not null)
        {
            w.WriteString("truncated", hop.Truncated);
        }

        if (hop.Tls is { } tls)
        {
            w.WriteString("tlsProtocol", tls.Protocol);
            w.WriteString("tlsCipherSuite", tls.CipherSuite);
            w.WriteBoolean("tlsChainValidated", tls.ChainValid);
        }

        if (hop.Failure is not null)
        {
            w.WriteString("failure", hop.Failure.Message);
        }

        w.WriteStartObject("timingsMilliseconds");
        WriteTiming(w, "dns", hop.Timings.Dns);
        WriteTiming(w, "connect", hop.Timings.Connect);
        WriteTiming(w, "tls", hop.Timings.Tls);
        WriteTiming(w, "firstByte", hop.Timings.FirstByte);
        WriteTiming(w, "total", hop.Timings.Total);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteTiming(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, Math.Round(v, 3));
        }
    }

    private static void WriteList(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static string WarcTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static List<string> Nameservers()
    {
        const string path = "/etc/resolv.conf";
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return File.ReadLines(path)
                .Select(l => l.Trim())
                .Where(l => l.StartsWith("nameserver", StringComparison.Ordinal))
                .Select(l => l["nameserver".Length..].Trim())
                .ToList();
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
