using EvidenceChain.Core;
using EvidenceChain.Core.Digests;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Ledger.Tests;

public sealed class WebPageIntakeTests : IAsyncLifetime, IDisposable
{
    private static readonly NoteSigner Signer = NoteSigner.FromSeed("webpage.test/log", new byte[32]);
    private readonly MemoryBlobStore _blobs = new();
    private readonly TempFolder _folder = new();
    private EvidenceLedger _ledger = null!;
    private readonly EntryOpenings _openings = MemoryOpeningStore.NewOpenings();

    public async Task InitializeAsync() =>
        _ledger = await EvidenceLedger.OpenAsync(
            new MemoryLedgerStore(), new MemoryEntryIndex(), Signer, new LedgerOptions { MaxBatchDelay = TimeSpan.Zero },
            TimeProvider.System, NullLogger<EvidenceLedger>.Instance);

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    private WebPageArtefact File(string name, string mediaType, byte[] content, bool sm3 = false)
    {
        var path = _folder.Sub(name);
        System.IO.File.WriteAllBytes(path, content);
        return new WebPageArtefact(name, mediaType, path, ArtefactHasher.Compute(content, sm3));
    }

    private static WebPageCapture Capture(IReadOnlyList<WebPageArtefact> artefacts, string failure = "", string message = "") =>
        new("http://example.org/a", "http://example.org/b", failure.Length == 0 ? 200 : 0, failure, message, "skipped: not requested",
            failure.Length == 0 ? "93.184.216.34" : string.Empty, 1, new Hash(new byte[32]), artefacts);

    [Fact]
    public async Task Preserve_CompleteCapture_LeafListsUrlsStatusAndEveryArtefact()
    {
        var warc = File("capture.warc", "application/warc", "WARC/1.1 ..."u8.ToArray(), sm3: true);
        var payload = File("payload", "text/html", "<html></html>"u8.ToArray(), sm3: true);

        var result = await new WebPageIntake(_ledger, _blobs, sm3: true, _openings).PreserveAsync(Capture([warc, payload]), "k1", default);

        var draft = result.Entry.Draft;
        Assert.Equal(("webpage", "k1"), (draft.Kind, draft.Submitter));
        Assert.Equal(["capture.warc", "payload"], draft.Artefacts.Select(a => a.Name));
        Assert.Equal(payload.Digests.Sha256, draft.Artefacts[1].Sha256);
        Assert.Equal(payload.Digests.Sm3, draft.Artefacts[1].Sm3);
        Assert.Equal("http://example.org/a", draft.Attributes["url"]);
        Assert.Equal("http://example.org/b", draft.Attributes["final-url"]);
        Assert.Equal("200", draft.Attributes["http-status"]);
        Assert.Equal("complete", draft.Attributes["capture-status"]);
        Assert.Equal("93.184.216.34", draft.Attributes["remote-ip"]);
        Assert.False(draft.Attributes.ContainsKey("failure"));
        Assert.Equal("<html></html>"u8.ToArray(), _blobs.Blobs[payload.Digests.Sha256]);
    }

    [Fact]
    public async Task Preserve_FailedCapture_IsRecordedWithTheReason()
    {
        var warc = File("capture.warc", "application/warc", "WARC/1.1 failed"u8.ToArray());

        var result = await new WebPageIntake(_ledger, _blobs, sm3: false, _openings).PreserveAsync(
            Capture([warc], "timeout", "the capture ran out of time (Capture:Timeout)"), "k1", default);

        var attributes = result.Entry.Draft.Attributes;
        Assert.Equal("failed", attributes["capture-status"]);
        Assert.Equal("timeout", attributes["failure-reason"]);
        Assert.Contains("Capture:Timeout", attributes["failure"]);
        Assert.False(attributes.ContainsKey("remote-ip"));
    }

    [Fact]
    public async Task Preserve_FileChangedAfterCapture_IsRefusedAndNoEntryIsMade()
    {
        var warc = File("capture.warc", "application/warc", "WARC/1.1 original"u8.ToArray());
        await System.IO.File.WriteAllBytesAsync(warc.Path, "WARC/1.1 edited!!"u8.ToArray());
        var size = _ledger.Latest.Size;

        var e = await Assert.ThrowsAsync<EvidenceRejectedException>(() => new WebPageIntake(_ledger, _blobs, false, _openings).PreserveAsync(Capture([warc]), "k1", default));

        Assert.Contains("capture.warc changed between capture and preservation", e.Message);
        Assert.Equal(size, _ledger.Latest.Size);
        Assert.Equal(0, _blobs.OpenUploads);
    }

    [Fact]
    public async Task Preserve_PrivateUrl_LeafCommitsTheUrlsAndTheAddress()
    {
        var warc = File("capture.warc", "application/warc", "WARC/1.1 private"u8.ToArray());

        var result = await new WebPageIntake(_ledger, _blobs, sm3: false, _openings).PreserveAsync(Capture([warc]) with { PrivateUrl = true }, "k1", default);

        var leaf = System.Text.Encoding.UTF8.GetString(result.Leaf.Span);
        Assert.DoesNotContain("example.org", leaf, StringComparison.Ordinal);
        Assert.DoesNotContain("93.184.216.34", leaf, StringComparison.Ordinal);
        Assert.Equal(["final-url", "remote-ip", "url"], result.Entry.Draft.Commitments.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("200", result.Entry.Draft.Attributes["http-status"]);
        var revealed = (await _openings.RevealAsync(result.Entry, default)).Draft.Attributes;
        Assert.Equal(("http://example.org/a", "http://example.org/b"), (revealed["url"], revealed["final-url"]));
    }
}
