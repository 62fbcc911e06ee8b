using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EvidenceChain.Api.V1;
using EvidenceChain.Capture.Tests.Infrastructure;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Testing.Node;
using Grpc.Core;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>
/// The evidence certificate end to end, checked with the standard tools a reader has: poppler's pdftotext, pdfsig,
/// pdffonts, pdfdetach and pdftoppm, zbarimg for the QR code, and evidencectl verify on the embedded receipt. Page 1
/// of a file certificate and of a web page certificate is written to tests/output/ for a reviewer to look at.
/// </summary>
public sealed class CertificateTests(CertificateTests.CertificateNode fixture, FixtureSite site)
    : IClassFixture<CertificateTests.CertificateNode>, IClassFixture<FixtureSite>
{
    private const string VerifyUrl = "https://evidence.example.org/entries/{index}";
    private readonly CertificateNode _fixture = fixture;
    private readonly FixtureSite _site = site;

    public sealed class CertificateNode : NodeFixture
    {
        protected override string[] Settings =>
        [
            "--Certificate:VerifyUrl", VerifyUrl, "--Certificate:Operator", "上海示例数据保全有限公司 Shanghai Example Evidence Co., Ltd.",
            "--Capture:AllowedNetworks:0", "127.0.0.0/8", "--Capture:Timeout", "00:00:40",
        ];
    }

    private TestNode Node => _fixture.Node;

    [Fact]
    public async Task Certificate_FileEntry_SignedReadableWithQrFontsAndAVerifiableReceipt()
    {
        var content = Encoding.UTF8.GetBytes("劳动合同 signed on 1 March\n");
        var preserved = await PreserveAsync(Node, _fixture.SubmitterKey, content, "劳动合同.pdf", "application/pdf", title: "签署的劳动合同 Signed contract");
        var index = preserved.Entry.Index;
        using var work = new TempFolder();

        var pdf = await GetPdfAsync($"/v1/entries/{index}/certificate.pdf");
        var path = work.Write("certificate.pdf", pdf);

        var text = await RunAsync("pdftotext", work.Path, "-layout", path, "-");
        Assert.Contains("电子数据保全证书", text);
        Assert.Contains("Electronic Evidence Preservation Certificate".ToUpperInvariant(), text);
        Assert.Contains(preserved.Entry.Artefacts[0].Sha256, text);
        Assert.Contains(preserved.Entry.LeafHash, text);
        // The public certificate states what the public log states: the file name and title are committed (leaf v2).
        Assert.DoesNotContain("劳动合同.pdf", text);
        Assert.DoesNotContain("Signed contract", text);
        Assert.Contains("committed, not disclosed", text);
        Assert.Matches($@"条目序号 Entry index\s+{index}\b", text);
        Assert.Contains(EvidenceChain.Core.Digests.ArtefactHasher.Sm3(content).ToString(), text);
        Assert.Contains("Shanghai Example Evidence Co., Ltd.", text);

        var signature = await RunAsync("pdfsig", work.Path, path);
        Assert.Contains("Signature Validation: Signature is Valid.", signature);
        Assert.Contains("Total document signed", signature);
        Assert.Contains("Signature Type: ETSI.CAdES.detached", signature);

        var fonts = (await RunAsync("pdffonts", work.Path, path)).Split('\n').Skip(2).Where(l => l.Trim().Length > 0).ToList();
        Assert.NotEmpty(fonts);
        Assert.All(fonts, line => Assert.Matches(@"\byes\s+yes\b", line)); // emb yes, sub yes

        await RunAsync("pdfdetach", work.Path, "-saveall", "-o", work.Path, path);
        var receipt = Path.Combine(work.Path, $"entry-{index}.evidence.zip");
        Assert.True(File.Exists(receipt), "pdfdetach extracted no " + receipt);
        var verified = await RunAsync(
            "dotnet", work.Path, EvidencectlDll(), "verify", receipt, "--log-key", Path.Combine(Node.DataPath, "keys", "log.vkey"), "--tsa-ca", Node.TsaCaPath());
        Assert.Contains("verified", verified);

        // With the submitter's key the committed fields are disclosed, as in the submitter's receipt.
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/entries/{index}/certificate.pdf?with_artefacts=true"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _fixture.SubmitterKey);
            using var response = await Node.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var keyedPath = work.Write("certificate-keyed.pdf", await response.Content.ReadAsByteArrayAsync());
            var keyedText = await RunAsync("pdftotext", work.Path, "-layout", keyedPath, "-");
            Assert.Contains("劳动合同.pdf", keyedText);
            Assert.Contains("Signed contract", keyedText);
            Assert.DoesNotContain("committed, not disclosed", keyedText);
        }

        var png = await PageOneAsync(path, work.Path, "certificate-file");
        var qr = await RunAsync("zbarimg", work.Path, "--quiet", "--raw", png);
        Assert.Equal(VerifyUrl.Replace("{index}", index.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), qr.Trim());

        // One changed byte inside the signed range: pdfsig must no longer call the signature valid.
        var tampered = (byte[])pdf.Clone();
        var at = Encoding.Latin1.GetString(tampered).IndexOf("/Title", StringComparison.Ordinal) + 8;
        tampered[at] ^= 0x01;
        var tamperedPath = work.Write("tampered.pdf", tampered);
        var after = await RunAsync("pdfsig", work.Path, [0, 1], tamperedPath);
        Assert.DoesNotContain("Signature is Valid", after);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task Certificate_Grpc_SameDocumentShapeAndChunksMatchTheAnnouncedDigest()
    {
        var preserved = await PreserveAsync(Node, _fixture.SubmitterKey, Bytes(5000, 7), "data.bin", "application/octet-stream");

        using var call = Node.Evidence.GetCertificate(new GetCertificateRequest { Index = preserved.Entry.Index });
        var messages = await call.ResponseStream.ReadAllAsync().ToListAsync();

        var info = messages[0].Info;
        Assert.Equal($"certificate-{preserved.Entry.Index}.pdf", info.FileName);
        Assert.Matches(@"^EC-[0-9A-F]{8}-\d{10}$", info.Number);
        Assert.EndsWith(preserved.Entry.Index.ToString("D10", System.Globalization.CultureInfo.InvariantCulture), info.Number);
        var pdf = messages.Skip(1).SelectMany(m => m.Chunk.ToByteArray()).ToArray();
        Assert.Equal(info.Size, (ulong)pdf.Length);
        Assert.Equal(info.Sha256, Sha256Hex(pdf));
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5));
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task Certificate_BadInput_ClearErrors()
    {
        var size = (await Node.Log.GetCheckpointAsync(new GetCheckpointRequest())).TreeSize;

        using var missing = await Node.Http.GetAsync($"/v1/entries/{size + 5}/certificate.pdf");
        using var malformed = await Node.Http.GetAsync("/v1/entries/x1/certificate.pdf");
        using var flag = await Node.Http.GetAsync("/v1/entries/0/certificate.pdf?with_artefacts=maybe");
        using var keyless = await Node.Http.GetAsync("/v1/entries/0/certificate.pdf?with_artefacts=true");
        var grpc = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = Node.Evidence.GetCertificate(new GetCertificateRequest { Index = size + 5 });
            await call.ResponseStream.MoveNext();
        });

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("does not exist", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, flag.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, keyless.StatusCode);
        Assert.Equal(StatusCode.NotFound, grpc.StatusCode);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task Certificate_FontFile_DrawsWithTheConfiguredTrueTypeFont()
    {
        const string DejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        Assert.True(File.Exists(DejaVu), $"{DejaVu} is missing (apt-get install fonts-dejavu-core; .ci/run does)");
        await using var node = await TestNode.StartAsync(null, "--Certificate:FontFile", DejaVu);
        var preserved = await PreserveAsync(node, await node.CreateKeyAsync("submitter"), Bytes(50, 1));
        using var work = new TempFolder();

        var path = work.Write("font.pdf", await node.Http.GetByteArrayAsync($"/v1/entries/{preserved.Entry.Index}/certificate.pdf"));

        var fonts = (await RunAsync("pdffonts", work.Path, path)).Split('\n').Skip(2).Where(l => l.Trim().Length > 0).ToList();
        Assert.Contains(fonts, line => line.Contains("+DejaVu Sans ", StringComparison.Ordinal));
        Assert.DoesNotContain(fonts, line => line.Contains("WenQuanYi", StringComparison.OrdinalIgnoreCase));
        Assert.All(fonts, line => Assert.Matches(@"\byes\s+yes\b", line));
        node.AssertNoErrors();
    }

    [Theory]
    [InlineData("missing.ttf", null, "cannot be read")]
    [InlineData("cff.otf", "OTTO", "CFF outlines")]
    [InlineData("collection.ttc", "ttcf", "font collection (.ttc)")]
    [InlineData("notes.ttf", "just text, not a font", "is not a TrueType font")]
    public async Task Start_UnusableFontFile_RefusedNamingTheSetting(string name, string? content, string message)
    {
        using var work = new TempFolder();
        var file = content is null ? System.IO.Path.Combine(work.Path, name) : work.Write(name, [.. Encoding.ASCII.GetBytes(content), .. new byte[64]]);

        var started = await Assert.ThrowsAsync<InvalidOperationException>(() => TestNode.StartAsync(null, "--Certificate:FontFile", file));

        var refused = Assert.IsType<InvalidDataException>(started.InnerException);
        Assert.Contains("Certificate:FontFile " + file, refused.Message, StringComparison.Ordinal);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_MoreAtOnceThanTheLimit_TheRestAre429NamingTheSetting()
    {
        await using var node = await TestNode.StartAsync(null, "--Limits:MaxConcurrentCertificates", "1");
        var preserved = await PreserveAsync(node, await node.CreateKeyAsync("submitter"), Bytes(50, 2));
        var url = $"/v1/entries/{preserved.Entry.Index}/certificate.pdf";
        await node.Http.GetByteArrayAsync(url); // the first one waits for the entry's token; the burst below does not

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => node.Http.GetAsync(url)));

        try
        {
            Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
            var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            Assert.NotEmpty(refused);
            Assert.Contains("Limits:MaxConcurrentCertificates", await refused[0].Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, r.StatusCode.ToString()));
            using var again = await node.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode); // the slot is free again
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }

        node.AssertNoErrors();
    }

    [Fact]
    public async Task Certificate_AnotherSubmittersEntryWithArtefacts_PermissionDenied()
    {
        var preserved = await PreserveAsync(Node, _fixture.SubmitterKey, Bytes(100, 3));
        var other = await Node.CreateKeyAsync("submitter");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/entries/{preserved.Entry.Index}/certificate.pdf?with_artefacts=true");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", other);

        using var response = await Node.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Node.AssertNoErrors();
    }

    [Fact]
    public async Task Certificate_WebPageWithScreenshot_ShowsTheCaptureAndTheScreenshotToItsSubmitter()
    {
        if (Tools.Chromium is null)
        {
            Assert.False(Tools.InCi, "chromium is required in CI");
            return;
        }

        var capture = new CaptureService.CaptureServiceClient(Node.Channel);
        var captured = await capture.CaptureUrlAsync(new CaptureUrlRequest { Url = _site.Url("/page.html").AbsoluteUri }, TestNode.As(_fixture.SubmitterKey));
        Assert.Equal("rendered", captured.Rendering);
        var index = captured.Entry.Index;
        using var work = new TempFolder();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/entries/{index}/certificate.pdf?with_artefacts=true");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _fixture.SubmitterKey);
        using var response = await Node.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = work.Write("certificate.pdf", await response.Content.ReadAsByteArrayAsync());

        var text = await RunAsync("pdftotext", work.Path, "-layout", path, "-");
        Assert.Contains(captured.FinalUrl, text);
        Assert.Contains("no https hop", text); // the fixture site is plain http: the TLS row says so
        Assert.Contains("EvidenceChain.Capture", text); // the environment line
        await PageOneAsync(path, work.Path, "certificate-webpage");
        Assert.Contains("截图（首屏，已缩放）", text);
        var images = await RunAsync("pdfimages", work.Path, "-list", path);
        Assert.Contains("image", images);
        Assert.Contains("Signature is Valid", await RunAsync("pdfsig", work.Path, path));

        // Without a key the same entry's certificate states only what the public receipt does.
        var publicPath = work.Write("public.pdf", await GetPdfAsync($"/v1/entries/{index}/certificate.pdf"));
        var publicText = await RunAsync("pdftotext", work.Path, "-layout", publicPath, "-");
        Assert.DoesNotContain("截图（首屏，已缩放）", publicText);
        Assert.Contains("截图需凭可下载该证据的密钥获取", publicText.Replace(" ", string.Empty, StringComparison.Ordinal).ReplaceLineEndings(string.Empty));
        Node.AssertNoErrors();
    }

    private async Task<byte[]> GetPdfAsync(string url)
    {
        using var response = await Node.Http.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(body));
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    private static async Task<string> PageOneAsync(string pdf, string work, string name)
    {
        var folder = Path.Combine(Tools.RepositoryRoot, "tests", "output");
        Directory.CreateDirectory(folder);
        await RunAsync("pdftoppm", work, "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", pdf, Path.Combine(folder, name));
        return Path.Combine(folder, name + ".png");
    }

    private static string EvidencectlDll()
    {
        // The test assembly's configuration (Debug/Release) is the one the solution built evidencectl in.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(Tools.RepositoryRoot, "tools", "EvidenceChain.Cli", "bin", configuration, "net10.0", "evidencectl.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build tools/EvidenceChain.Cli (dotnet test EvidenceChain.sln does)");
        return dll;
    }

    private static Task<string> RunAsync(string tool, string work, params string[] args) => RunAsync(tool, work, [0], args);

    private static async Task<string> RunAsync(string tool, string work, int[] allowed, params string[] args)
    {
        ProcessStartInfo start = new(tool) { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is not installed (apt-get install poppler-utils zbar-tools; .ci/run does): {e.Message}", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            var output = await stdout;
            var errors = await stderr;
            Assert.True(allowed.Contains(process.ExitCode), $"{tool} {string.Join(' ', args)} exited {process.ExitCode}: {output}{errors}");
            return output;
        }
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("ec-cert-").FullName;

        public string Write(string name, byte[] bytes)
        {
            var file = System.IO.Path.Combine(Path, name);
            File.WriteAllBytes(file, bytes);
            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
