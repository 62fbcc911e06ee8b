using System.Text;
using EvidenceChain.Capture.Browser;
using EvidenceChain.Capture.Warc;

namespace EvidenceChain.Capture.Internal;

/// <summary>Lays one capture out as WARC/1.1 records (docs/design.md §2, docs/formats.md).</summary>
internal static class CaptureWarc
{
    public const string FileName = "capture.warc";

    public static async Task WriteAsync(
        Stream output, string url, DateTimeOffset started, IReadOnlyCollection<DnsLookup> lookups, IReadOnlyList<HopRecord> hops,
        IReadOnlyList<HopRecord> resources, byte[] environment, RenderOutcome? render, CaptureOptions options, CancellationToken ct)
    {
        var writer = new WarcWriter(output);
        var warcinfoId = WarcWriter.NewRecordId();
        var info = new StringBuilder()
            .Append("software: ").Append(EnvironmentRecord.Software).Append('/').Append(EnvironmentRecord.Version).Append("\r\n")
            .Append("format: WARC File Format 1.1\r\n")
            .Append("conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n")
            .Append("operator: EvidenceChain node (neutral capturer)\r\n")
            .Append("http-header-user-agent: ").Append(options.UserAgent).Append("\r\n")
            .Append("robots: ignore (evidence capture of one page)\r\n")
            .Append("description: capture of ").Append(url).Append("\r\n")
            .Append("parameters: max-redirects=").Append(options.MaxRedirects)
            .Append(" max-response-bytes=").Append(options.MaxResponseBytes)
            .Append(" max-redirect-body-bytes=").Append(options.MaxRedirectBodyBytes)
            .Append(" timeout-seconds=").Append(options.Timeout.TotalSeconds).Append("\r\n");
        await writer.WriteAsync(
        [
            new(WarcFields.Type, "warcinfo"), new(WarcFields.RecordId, warcinfoId), new(WarcFields.Date, WarcWriter.FormatDate(started)),
            new(WarcFields.Filename, FileName), new(WarcFields.ContentType, "application/warc-fields"),
        ], Encoding.UTF8.GetBytes(info.ToString()), ct);

        foreach (var lookup in lookups)
        {
            await writer.WriteAsync(
            [
                new(WarcFields.Type, "resource"), new(WarcFields.RecordId, WarcWriter.NewRecordId()), new(WarcFields.Date, WarcWriter.FormatDate(lookup.Date)),
                new(WarcFields.TargetUri, "dns:" + lookup.Host), new(WarcFields.WarcinfoId, warcinfoId), new(WarcFields.ContentType, "text/plain; charset=utf-8"),
            ], lookup.ToBlock(EnvironmentRecord.Resolver), ct);
        }

        foreach (var hop in hops)
        {
            await WriteHopAsync(writer, hop, warcinfoId, tls: true, ct);
        }

        // The browser's resources: one TLS record per host and port (the first connection's), as the page's hops have one each.
        var tlsWritten = new HashSet<string>(hops.Select(h => h.Url.Authority), StringComparer.OrdinalIgnoreCase);
        foreach (var hop in resources)
        {
            await WriteHopAsync(writer, hop, warcinfoId, tls: tlsWritten.Add(hop.Url.Authority), ct);
        }

        await writer.WriteAsync(
        [
            new(WarcFields.Type, "metadata"), new(WarcFields.RecordId, WarcWriter.NewRecordId()), new(WarcFields.Date, WarcWriter.FormatDate(started)),
            new(WarcFields.TargetUri, url), new(WarcFields.WarcinfoId, warcinfoId), new(WarcFields.ContentType, "application/json"),
        ], environment, ct);

        if (render is not null)
        {
            var date = WarcWriter.FormatDate(render.Date);
            var target = hops.Count > 0 ? hops[^1].Url.AbsoluteUri : url;
            await writer.WriteAsync(
            [
                new(WarcFields.Type, "resource"), new(WarcFields.RecordId, WarcWriter.NewRecordId()), new(WarcFields.Date, date),
                new(WarcFields.TargetUri, "urn:evidencechain:screenshot:" + target), new(WarcFields.WarcinfoId, warcinfoId), new(WarcFields.ContentType, "image/png"),
            ], render.Screenshot, ct);
            List<KeyValuePair<string, string>> dom =
            [
                new(WarcFields.Type, "resource"), new(WarcFields.RecordId, WarcWriter.NewRecordId()), new(WarcFields.Date, date),
                new(WarcFields.TargetUri, "urn:evidencechain:dom:" + target), new(WarcFields.WarcinfoId, warcinfoId), new(WarcFields.ContentType, "text/html; charset=utf-8"),
            ];
            if (render.DomTruncated)
            {
                dom.Add(new(WarcFields.Truncated, "length"));
            }

            await writer.WriteAsync(dom, render.Dom, ct);
            if (render.Video is { } video)
            {
                await writer.WriteAsync(
                [
                    new(WarcFields.Type, "resource"), new(WarcFields.RecordId, WarcWriter.NewRecordId()), new(WarcFields.Date, date),
                    new(WarcFields.TargetUri, "urn:evidencechain:video:" + target), new(WarcFields.WarcinfoId, warcinfoId), new(WarcFields.ContentType, "video/webm"),
                ], video, ct);
            }
        }
    }

    private static async Task WriteHopAsync(WarcWriter writer, HopRecord hop, string warcinfoId, bool tls, CancellationToken ct)
    {
        if (hop.Request.Length == 0)
        {
            return; // no connection was made: the metadata record says why
        }

        var requestId = WarcWriter.NewRecordId();
        var responseId = WarcWriter.NewRecordId();
        var target = hop.Url.AbsoluteUri;
        var ip = hop.Remote.Address.ToString();
        List<KeyValuePair<string, string>> request =
        [
            new(WarcFields.Type, "request"), new(WarcFields.RecordId, requestId), new(WarcFields.Date, WarcWriter.FormatDate(hop.RequestDate)),
            new(WarcFields.TargetUri, target), new(WarcFields.IpAddress, ip), new(WarcFields.WarcinfoId, warcinfoId),
        ];
        if (hop.Response.Length > 0)
        {
            request.Add(new(WarcFields.ConcurrentTo, responseId));
        }

        request.Add(new(WarcFields.ContentType, WarcFields.HttpRequestType));
        await writer.WriteAsync(request, hop.Request, ct);

        if (hop.Response.Length > 0)
        {
            List<KeyValuePair<string, string>> fields =
            [
                new(WarcFields.Type, "response"), new(WarcFields.RecordId, responseId), new(WarcFields.Date, WarcWriter.FormatDate(hop.ResponseDate)),
                new(WarcFields.TargetUri, target), new(WarcFields.IpAddress, ip), new(WarcFields.WarcinfoId, warcinfoId),
                new(WarcFields.ConcurrentTo, requestId), new(WarcFields.ContentType, WarcFields.HttpResponseType),
            ];
            if (hop.Truncated is not null)
            {
                fields.Add(new(WarcFields.Truncated, hop.Truncated));
            }

            await writer.WriteAsync(fields, hop.Response, ct);
        }

        if (tls && hop.Tls is { } record)
        {
            await writer.WriteAsync(
            [
                new(WarcFields.Type, "resource"), new(WarcFields.RecordId, WarcWriter.NewRecordId()), new(WarcFields.Date, WarcWriter.FormatDate(hop.RequestDate)),
                new(WarcFields.TargetUri, "urn:evidencechain:tls:" + target), new(WarcFields.IpAddress, ip), new(WarcFields.WarcinfoId, warcinfoId),
                new(WarcFields.ConcurrentTo, responseId), new(WarcFields.ContentType, "text/plain; charset=utf-8"),
            ], record.ToBlock(), ct);
        }
    }
}
