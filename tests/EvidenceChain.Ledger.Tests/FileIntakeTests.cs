using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Ledger.Tests;

public sealed class FileIntakeTests : IAsyncLifetime
{
    private static readonly NoteSigner Signer = NoteSigner.FromSeed("intake.test/log", new byte[32]);
    private readonly MemoryBlobStore _blobs = new();
    private EvidenceLedger _ledger = null!;

    public async Task InitializeAsync() =>
        _ledger = await EvidenceLedger.OpenAsync(
            new MemoryLedgerStore(), new MemoryEntryIndex(), Signer, new LedgerOptions { MaxBatchDelay = TimeSpan.Zero },
            TimeProvider.System, NullLogger<EvidenceLedger>.Instance);

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    private readonly MemoryOpeningStore _openingFiles = new();

    private FileIntake Intake(IntakeOptions? options = null) => new(_ledger, _blobs, options ?? new IntakeOptions(), Openings);

    private EntryOpenings Openings => new(_openingFiles, Core.Entries.CommitmentAlgorithm.Sha256, RandomNumberGenerator.Fill);

    private static FileDescription File(string name = "contract.pdf", string mediaType = "application/pdf", string title = "", string description = "", Hash? expected = null) =>
        new(name, mediaType, title, description, expected);

    [Fact]
    public async Task Preserve_File_LeafListsTheArtefactAndTheBlobIsStored()
    {
        var content = "%PDF-1.7 evidence"u8.ToArray();

        var result = await Intake(new IntakeOptions { Sm3 = true }).PreserveAsync(
            File(title: "Signed contract", description: "line 1\nline 2"), Chunks(content, 5), "k1", default);

        var draft = result.Entry.Draft;
        Assert.Equal(("file", "k1"), (draft.Kind, draft.Submitter));
        var artefact = Assert.Single(draft.Artefacts);
        Assert.Equal(("file", "application/pdf", content.LongLength), (artefact.Name, artefact.MediaType, artefact.Size));
        Assert.Equal(new Hash(SHA256.HashData(content)), artefact.Sha256);
        Assert.Equal(Core.Digests.ArtefactHasher.Sm3(content), artefact.Sm3);
        Assert.Equal(["description", "file-name", "title"], draft.Commitments.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(draft.Attributes);
        Assert.Equal(content, _blobs.Blobs[artefact.Sha256]);
        Assert.Equal(0, _blobs.OpenUploads);

        var revealed = (await Openings.RevealAsync(result.Entry, default)).Draft.Attributes;
        Assert.Equal(("contract.pdf", "Signed contract", "line 1\nline 2"), (revealed["file-name"], revealed["title"], revealed["description"]));
    }

    [Fact]
    public async Task Preserve_File_LeafHoldsNoneOfTheClearTextValues()
    {
        var result = await Intake().PreserveAsync(
            File(name: "witness-statement.pdf", title: "Statement of Li Wei", description: "Signed before the notary"), Chunks([1, 2, 3], 3), "k1", default);

        var leaf = System.Text.Encoding.UTF8.GetString(result.Leaf.Span);
        Assert.DoesNotContain("witness-statement", leaf, StringComparison.Ordinal);
        Assert.DoesNotContain("Li Wei", leaf, StringComparison.Ordinal);
        Assert.DoesNotContain("notary", leaf, StringComparison.Ordinal);
        Assert.StartsWith("{\"v\":2,", leaf, StringComparison.Ordinal);
        Assert.Contains("\"title\":{\"commit-sha256\":\"", leaf, StringComparison.Ordinal);
        Assert.Equal(EntryOpenings.KeyOf(result.Entry.Draft), Assert.Single(_openingFiles.Files.Keys));
    }

    [Fact]
    public async Task Preserve_NoTitleAndNoMediaType_OmitsTitleAndDefaultsToOctetStream()
    {
        var result = await Intake().PreserveAsync(File(mediaType: string.Empty), Chunks([1, 2, 3], 3), "k1", default);

        Assert.Empty(result.Entry.Draft.Attributes);
        Assert.Equal("application/octet-stream", result.Entry.Draft.Artefacts[0].MediaType);
    }

    [Fact]
    public async Task Preserve_ExpectedDigestMismatch_RefusedAndNothingKept()
    {
        var e = await Assert.ThrowsAsync<EvidenceRejectedException>(() =>
            Intake().PreserveAsync(File(expected: new Hash(new byte[32])), Chunks([1, 2, 3], 1), "k1", default));

        Assert.Contains("expected_sha256", e.Message, StringComparison.Ordinal);
        Assert.Empty(_blobs.Blobs);
        Assert.Equal(0, _blobs.OpenUploads);
        Assert.Equal(0UL, _ledger.Size);
    }

    [Fact]
    public async Task Preserve_ExpectedDigestMatches_Accepted()
    {
        byte[] content = [9, 8, 7];
        var result = await Intake().PreserveAsync(File(expected: new Hash(SHA256.HashData(content))), Chunks(content, 2), "k1", default);

        Assert.Equal(0UL, result.Index);
    }

    [Fact]
    public async Task Preserve_LargerThanTheLimit_LimitExceededAndNothingKept()
    {
        var e = await Assert.ThrowsAsync<LimitExceededException>(() =>
            Intake(new IntakeOptions { MaxFileSize = 10 }).PreserveAsync(File(), Chunks(new byte[11], 4), "k1", default));

        Assert.Contains("Limits:MaxFileSize", e.Message, StringComparison.Ordinal);
        Assert.Empty(_blobs.Blobs);
        Assert.Equal(0, _blobs.OpenUploads);
    }

    [Fact]
    public async Task Preserve_ExactlyTheLimit_Accepted()
    {
        var result = await Intake(new IntakeOptions { MaxFileSize = 10 }).PreserveAsync(File(), Chunks(new byte[10], 3), "k1", default);

        Assert.Equal(10, result.Entry.Draft.Artefacts[0].Size);
    }

    [Fact]
    public async Task Preserve_Empty_AcceptedAsSizeZero()
    {
        var result = await Intake().PreserveAsync(File(), Chunks([], 1), "k1", default);

        Assert.Equal(0, result.Entry.Draft.Artefacts[0].Size);
        Assert.Equal(Hash.Parse(Convert.ToHexStringLower(SHA256.HashData([]))), result.Entry.Draft.Artefacts[0].Sha256);
    }

    [Theory]
    [InlineData("", "file_name")]
    [InlineData(".", "file_name")]
    [InlineData("..", "file_name")]
    [InlineData("a/b.pdf", "file_name")]
    [InlineData("..\\b.pdf", "file_name")]
    [InlineData("a\u0000b", "file_name")]
    [InlineData("a\nb", "file_name")]
    public void Check_BadFileName_RejectedNamingTheField(string name, string field)
    {
        var e = Assert.Throws<EvidenceRejectedException>(() => Intake().Check(File(name: name)));

        Assert.StartsWith(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LoneSurrogate_Rejected()
    {
        // Built here: xunit would replace a lone surrogate in InlineData with U+FFFD.
        var lone = "a" + (char)0xD800 + "b";

        Assert.StartsWith("file_name", Assert.Throws<EvidenceRejectedException>(() => Intake().Check(File(name: lone))).Message, StringComparison.Ordinal);
        Assert.StartsWith("title", Assert.Throws<EvidenceRejectedException>(() => Intake().Check(File(title: lone))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pdf")]
    [InlineData("application/")]
    [InlineData("/pdf")]
    [InlineData("application/pdf/x")]
    [InlineData("appli cation/pdf")]
    [InlineData("text/plain; charset=\u00e9")]
    public void Check_BadMediaType_Rejected(string mediaType)
    {
        var e = Assert.Throws<EvidenceRejectedException>(() => Intake().Check(File(mediaType: mediaType)));

        Assert.StartsWith("media_type", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/html; charset=utf-8")]
    [InlineData("application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("image/svg+xml")]
    public void Check_GoodMediaType_Accepted(string mediaType) => Assert.Equal(mediaType, Intake().Check(File(mediaType: mediaType)).MediaType);

    [Fact]
    public void Check_NamesInAnyScript_Accepted() => Intake().Check(File(name: "合同 2026 — 最终版 😀.pdf", title: "证据"));

    [Fact]
    public void Check_TooLongFields_RejectedNamingTheSetting()
    {
        var options = new IntakeOptions { MaxFileNameBytes = 5, MaxTitleBytes = 3, MaxDescriptionBytes = 2, MaxMediaTypeBytes = 8 };

        Assert.Contains("Limits:MaxFileNameBytes", Assert.Throws<EvidenceRejectedException>(() => Intake(options).Check(File(name: "abcdef", mediaType: "a/b"))).Message, StringComparison.Ordinal);
        Assert.Contains("Limits:MaxTitleBytes", Assert.Throws<EvidenceRejectedException>(() => Intake(options).Check(File(name: "a", mediaType: "a/b", title: "证证"))).Message, StringComparison.Ordinal);
        Assert.Contains("Limits:MaxDescriptionBytes", Assert.Throws<EvidenceRejectedException>(() => Intake(options).Check(File(name: "a", mediaType: "a/b", description: "abc"))).Message, StringComparison.Ordinal);
        Assert.Contains("Limits:MaxMediaTypeBytes", Assert.Throws<EvidenceRejectedException>(() => Intake(options).Check(File(name: "a", mediaType: "text/plain"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ControlCharactersInTitle_Rejected_LineBreaksInDescription_Accepted()
    {
        Assert.Throws<EvidenceRejectedException>(() => Intake().Check(File(title: "a\nb")));
        Assert.Throws<EvidenceRejectedException>(() => Intake().Check(File(description: "a\u0007b")));
        Intake().Check(File(description: "a\r\n\tb"));
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Chunks(byte[] content, int size, [EnumeratorCancellation] CancellationToken ct = default)
    {
        for (var offset = 0; offset < content.Length; offset += size)
        {
            ct.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return content.AsMemory(offset, Math.Min(size, content.Length - offset));
        }
    }
}
