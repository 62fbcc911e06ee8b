using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EvidenceChain.Storage;
using EvidenceChain.Node.Internal;
using EvidenceChain.Node.Witnessing;
using Microsoft.Extensions.FileProviders;

namespace EvidenceChain.Node.Http;

/// <summary>
/// The offline verification page (src/EvidenceChain.Web, issue 15) and the console (issue 17, the same app) on the HTTP
/// port: <c>GET /</c>, <c>GET /verify</c>, <c>GET /console</c> and <c>GET /console/{**path}</c> answer its index.html, its files are served precompressed with their content types and cache
/// headers (the static web assets manifest: fingerprinted files are immutable), <c>GET /trust.json</c> gives this
/// node's trust anchors for the page to pin, and <c>GET /verifier.zip</c> the whole static folder, trust.json
/// included, for a court's own web server. The page's Content-Security-Policy lets it connect to this origin only.
/// </summary>
internal static partial class WebPage
{
    private const string IndexFile = "index.html";
    private static readonly string[] PagePaths = ["/", "/verify", "/index.html", "/trust.json"];
    private static readonly string[] AssetFolders = ["/_framework/", "/css/", "/js/"];
    private static readonly JsonSerializerOptions TrustJsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    /// <summary>
    /// Finds the page's files: in a build, through the static web assets runtime manifest next to the node's assembly
    /// (it points into the Web project's output); in a published node, in its wwwroot folder.
    /// </summary>
    public static void AddWebPage(this WebApplicationBuilder builder)
    {
        var runtime = ManifestPath("runtime");
        if (File.Exists(runtime))
        {
            builder.WebHost.UseSetting(WebHostDefaults.StaticWebAssetsKey, runtime);
            builder.WebHost.UseStaticWebAssets();
        }
    }

    /// <summary>Maps the page, its files, trust.json and verifier.zip; nothing when the page was not built (a warning says so).</summary>
    public static void MapWebPage(this WebApplication app, NodeLedger ledger, NodeTimestamping timestamping, ILogger log)
    {
        var endpoints = ManifestPath("endpoints");
        var files = app.Environment.WebRootFileProvider;
        if (!File.Exists(endpoints) || !files.GetFileInfo(IndexFile).Exists)
        {
            NodeLog.WebPageMissing(log, endpoints);
            return;
        }

        var trust = TrustJson(ledger, timestamping, app.Configuration);
        var index = ReadAll(files.GetFileInfo(IndexFile));
        var policy = ContentSecurityPolicy(Encoding.UTF8.GetString(index));
        var zip = new Lazy<Task<byte[]>>(() => Task.Run(() => Zip(files, trust)));

        app.Use(async (http, next) =>
        {
            var path = http.Request.Path.Value ?? string.Empty;
            if (Array.IndexOf(PagePaths, path) >= 0 || AssetFolders.Any(f => path.StartsWith(f, StringComparison.Ordinal))
                || IsConsole(http.Request.Path))
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
            }

            await next(http);
        });

        app.MapStaticAssets(endpoints);
        app.MapGet("/", (HttpContext http) => Index(http, index));
        app.MapGet("/verify", (HttpContext http) => Index(http, index));
        app.MapGet("/console", (HttpContext http) => Index(http, index)); // the console: the same app, its own routes
        app.MapGet("/console/{**path}", (HttpContext http) => Index(http, index));
        app.MapGet("/trust.json", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(trust, "application/json");
        });
        app.MapGet("/verifier.zip", async (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            return Results.File(await zip.Value, "application/zip", "evidencechain-verifier.zip");
        });
    }

    /// <summary>The console's pages: <c>/console</c> and everything under it.</summary>
    private static bool IsConsole(PathString path) => path.StartsWithSegments("/console", StringComparison.Ordinal);

    private static IResult Index(HttpContext http, byte[] index)
    {
        http.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(index, "text/html; charset=utf-8");
    }

    /// <summary>
    /// Scripts from this origin and WebAssembly compilation only, the import map by its hash, no inline script,
    /// requests to this origin only (trust.json), no frames, no form posts: a dropped file has nowhere to go.
    /// </summary>
    internal static string ContentSecurityPolicy(string index)
    {
        var scripts = ImportMap().Matches(index)
            .Select(m => $" 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'");
        return "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'" + string.Concat(scripts)
            + "; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; base-uri 'self'; form-action 'none'; frame-ancestors 'none'";
    }

    /// <summary>
    /// The node's anchors for the page: the log's verifier keys and the TSA's CA certificate(s) (the self-signed
    /// certificates of the chain receipts carry; all of them when none is self-signed).
    /// </summary>
    private static byte[] TrustJson(NodeLedger ledger, NodeTimestamping timestamping, IConfiguration configuration)
    {
        var keys = LogKeys.Read(ledger);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(timestamping.TrustPem);
        var roots = chain.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData)).ToList();
        var pem = string.Concat((roots.Count > 0 ? roots : [.. chain]).Select(c => c.ExportCertificatePem() + "\n"));
        var document = new Dictionary<string, string?>
        {
            ["origin"] = ledger.Ledger.Origin,
            ["logKey"] = keys.LogVerifierKey,
            ["sm2Key"] = keys.Sm2VerifierKey,
            ["tsaCaPem"] = pem,
            ["witnessPolicy"] = WitnessPolicyText(configuration, keys.LogVerifierKey),
            ["source"] = $"the node of log {ledger.Ledger.Origin} (its keys/{LogKeyFiles.VerifierKeyFile} and its TSA's CA)",
        };
        foreach (var certificate in chain)
        {
            certificate.Dispose();
        }

        // Relaxed escaping: a verifier key's '+' stays '+', so the file reads as the key files do.
        return JsonSerializer.SerializeToUtf8Bytes(document, TrustJsonOptions);
    }

    /// <summary>
    /// The node's witness policy as C2SP tlog-policy text (docs/formats.md §6c) for trust.json: the log's key, each
    /// witness of the <c>Witnesses:List</c> settings (named by its key's name, with its URL) and <c>Witnesses:Quorum</c>
    /// of them (all by default), read as the cosigning code reads them (<see cref="NodeWitnessing.Validate"/>). Null
    /// without witnesses, or when the settings are refused (the node does not start with those).
    /// </summary>
    internal static string? WitnessPolicyText(IConfiguration configuration, string logVerifierKey)
    {
        var options = configuration.GetSection("Witnesses").Get<WitnessOptions>() ?? new WitnessOptions();
        IReadOnlyList<(Core.Notes.WitnessKey Key, Uri Url)> witnesses;
        try
        {
            witnesses = NodeWitnessing.Validate(options);
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (witnesses.Count == 0)
        {
            return null;
        }

        var log = Core.Notes.NoteVerifier.TryParse(logVerifierKey, out var logKey) ? [new Core.Notes.PolicyLog(logKey)] : Array.Empty<Core.Notes.PolicyLog>();
        return Core.Notes.WitnessPolicy.FromThreshold(
            options.Quorum ?? witnesses.Count, [.. witnesses.Select(w => new Core.Notes.PolicyWitness(w.Key.Name, w.Key, w.Url))], log).ToString();
    }

    /// <summary>The page's files (not their .gz/.br copies) and trust.json, as one zip for any static web server.</summary>
    private static byte[] Zip(IFileProvider files, byte[] trust)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(archive, files, string.Empty);
            var member = archive.CreateEntry("trust.json", CompressionLevel.Optimal);
            using var stream = member.Open();
            stream.Write(trust);
        }

        return output.ToArray();
    }

    private static void Add(ZipArchive archive, IFileProvider files, string folder)
    {
        foreach (var item in files.GetDirectoryContents(folder))
        {
            var path = folder.Length == 0 ? item.Name : folder + "/" + item.Name;
            if (item.IsDirectory)
            {
                Add(archive, files, path);
            }
            else if (!item.Name.EndsWith(".gz", StringComparison.Ordinal) && !item.Name.EndsWith(".br", StringComparison.Ordinal)
                && !item.Name.EndsWith(".pdb", StringComparison.Ordinal))
            {
                var member = archive.CreateEntry(path, CompressionLevel.Optimal);
                using var target = member.Open();
                using var source = item.CreateReadStream();
                source.CopyTo(target);
            }
        }
    }

    private static byte[] ReadAll(IFileInfo file)
    {
        using var stream = file.CreateReadStream();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static string ManifestPath(string kind)
    {
        var assembly = typeof(WebPage).Assembly;
        var folder = Path.GetDirectoryName(assembly.Location) is { Length: > 0 } f ? f : AppContext.BaseDirectory;
        return Path.Combine(folder, $"{assembly.GetName().Name}.staticwebassets.{kind}.json");
    }

    [GeneratedRegex("<script type=\"importmap\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ImportMap();
}
