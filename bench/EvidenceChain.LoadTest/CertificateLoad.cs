using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EvidenceChain.Api.V1;
using EvidenceChain.Node;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace EvidenceChain.LoadTest;

/// <summary>
/// <c>certificates</c> mode: evidence certificates per second over gRPC (<c>GetCertificate</c>), for a 1 KiB file entry
/// (public certificate) and, when Chromium is there, a web page entry with its screenshot (<c>with_artefacts</c>, the
/// submitter's key). Each certificate is laid out, gets its receipt embedded, is signed and timestamped by the
/// node's TSA, and is streamed whole to the client.
/// </summary>
internal static class CertificateLoad
{
    public static async Task<int> RunAsync(EvidenceNode node, GrpcChannel[] channels, int clients, int seconds, int warmup)
    {
        var admin = new AdminService.AdminServiceClient(channels[0]);
        var adminKey = (await File.ReadAllTextAsync(node.AdminKeyPath ?? throw new InvalidOperationException("Use a fresh data folder."))).Trim();
        var key = (await admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = "submitter" }, Auth(adminKey))).Secret;
        var evidence = new EvidenceService.EvidenceServiceClient(channels[0]);
        using var call = evidence.PreserveFile(Auth(key));
        await call.RequestStream.WriteAsync(new PreserveFileRequest { Metadata = new FileMetadata { FileName = "合同.pdf", MediaType = "application/pdf", Title = "load test" } });
        await call.RequestStream.WriteAsync(new PreserveFileRequest { Chunk = ByteString.CopyFrom(new byte[1024]) });
        await call.RequestStream.CompleteAsync();
        var file = (await call).Entry.Index;
        await MeasureAsync("file entry (public)", channels, clients, seconds, warmup, new GetCertificateRequest { Index = file }, default);

        if (!File.Exists("/usr/bin/chromium"))
        {
            Console.WriteLine("web page entry: skipped (no /usr/bin/chromium)");
            return 0;
        }

        using var site = PageSite.Start();
        var capture = new CaptureService.CaptureServiceClient(channels[0]);
        var page = await capture.CaptureUrlAsync(new CaptureUrlRequest { Url = site.Url }, Auth(key));
        Console.WriteLine($"captured {site.Url}: rendering {page.Rendering}, screenshot {page.Entry.Artefacts.FirstOrDefault(a => a.Name == "screenshot.png")?.Size ?? 0} bytes");
        await MeasureAsync("web page entry with screenshot", channels, clients, seconds, warmup, new GetCertificateRequest { Index = page.Entry.Index, WithArtefacts = true }, Auth(key));
        return 0;
    }

    private static async Task MeasureAsync(string what, GrpcChannel[] channels, int clients, int seconds, int warmup, GetCertificateRequest request, CallOptions options)
    {
        long count = 0, bytes = 0;
        var measuring = false;
        var stop = false;
        var tasks = Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            var client = new EvidenceService.EvidenceServiceClient(channels[worker % channels.Length]);
            while (!Volatile.Read(ref stop))
            {
                using var call = client.GetCertificate(request, options);
                long size = 0;
                await foreach (var message in call.ResponseStream.ReadAllAsync())
                {
                    size += message.Chunk.Length;
                }

                if (Volatile.Read(ref measuring))
                {
                    Interlocked.Increment(ref count);
                    Interlocked.Exchange(ref bytes, size);
                }
            }
        })).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(warmup));
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed;
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Volatile.Write(ref stop, true);
        await Task.WhenAll(tasks);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"certificates, {what}: {count} in {elapsed.TotalSeconds:F1} s = {count / elapsed.TotalSeconds:F1}/s with {clients} clients; {bytes / 1024} KiB each; CPU (client + node) {used.TotalMilliseconds / Math.Max(1, count):F0} ms per certificate"));
    }

    private static CallOptions Auth(string key) => new(new Metadata { { "authorization", "Bearer " + key } });

    // A page worth a screenshot, served on loopback (the node is started with 127.0.0.0/8 allowed for captures).
    private sealed class PageSite : IDisposable
    {
        private readonly HttpListener _listener = new();

        private PageSite(int port)
        {
            Url = $"http://127.0.0.1:{port}/contract.html";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        }

        public string Url { get; }

        public static PageSite Start()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var site = new PageSite(port);
            site._listener.Start();
            _ = site.ServeAsync();
            return site;
        }

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            var body = Encoding.UTF8.GetBytes(
                "<!doctype html><html lang=\"zh\"><meta charset=\"utf-8\"><title>公告 Notice</title><body style=\"font-family:sans-serif;margin:40px\">"
                + "<h1>产品公告 Product notice</h1>" + string.Concat(Enumerable.Repeat("<p>This paragraph stands for the content a rights holder needs preserved: text, prices, names and dates. 本段代表需要保全的网页内容。</p>", 40))
                + "</body></html>");
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
    }
}
