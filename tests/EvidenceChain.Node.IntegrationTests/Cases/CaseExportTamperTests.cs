using System.IO.Compression;
using System.Text;
using EvidenceChain.Node.IntegrationTests.Infrastructure;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing.Node;
using EvidenceChain.Verifier.Cases;
using EvidenceChain.Verifier.Receipts;

namespace EvidenceChain.Node.IntegrationTests.Cases;

/// <summary>
/// A genuine export (two items, a detach and a note) verifies; each way of tampering with it fails verify-case at the
/// step that names what was changed.
/// </summary>
public sealed class CaseExportTamperTests(CaseExportTamperTests.ExportFixture fixture) : IClassFixture<CaseExportTamperTests.ExportFixture>
{
    private readonly ExportFixture _fixture = fixture;

    [Fact]
    public async Task Genuine_Verifies()
    {
        var report = await VerifyAsync(_fixture.Zip);

        Assert.True(report.IsValid, CaseLifecycleTests.Describe(report));
        Assert.Equal(["export layout", "manifest signature", "manifest format", "export event", "custody history"], report.Export.Steps.Select(s => s.Name));
    }

    [Fact]
    public async Task ChangedByteInManifest_FailsTheSignature()
    {
        var zip = Rewrite(_fixture.Zip, members =>
        {
            var text = Encoding.UTF8.GetString(members[CaseExportMembers.Manifest]);
            members[CaseExportMembers.Manifest] = Encoding.UTF8.GetBytes(text.Replace("status open", "status closed", StringComparison.Ordinal));
        });

        var report = await VerifyAsync(zip);

        Assert.False(report.IsValid);
        Assert.True(Step(report, "manifest signature").Failed);
    }

    [Fact]
    public async Task ManifestResignedByAnotherKey_FailsTheSignature()
    {
        var forger = NoteSigner.FromSeed(_fixture.Node.LogKey().Name, new byte[32]);
        var zip = Rewrite(_fixture.Zip, members =>
        {
            var opened = SignedNote.Open(members[CaseExportMembers.Manifest], [_fixture.Node.LogKey()]);
            members[CaseExportMembers.Manifest] = Encoding.UTF8.GetBytes(forger.Sign(opened.Text!));
        });

        var report = await VerifyAsync(zip);

        Assert.True(Step(report, "manifest signature").Failed);
    }

    [Fact]
    public async Task RemovedItemReceipt_FailsNamingTheItem()
    {
        var name = CaseExportMembers.ReceiptName(CaseExportMembers.ReceiptFolder, _fixture.Item);
        var zip = Rewrite(_fixture.Zip, members => Assert.True(members.Remove(name)));

        var report = await VerifyAsync(zip);

        Assert.False(report.IsValid);
        var entry = Assert.Single(report.Entries, e => e.Member == name);
        Assert.Contains("the export has no " + name, entry.Report.FirstFailure!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemovedEventReceipt_BreaksTheCustodyHistory()
    {
        var name = CaseExportMembers.ReceiptName(CaseExportMembers.EventFolder, _fixture.DetachEvent);
        var zip = Rewrite(_fixture.Zip, members => Assert.True(members.Remove(name)));

        var report = await VerifyAsync(zip);

        Assert.True(Step(report, "custody history").Failed);
        Assert.True(Assert.Single(report.Entries, e => e.Member == name).Report.FirstFailure is not null);
    }

    [Fact]
    public async Task ReceiptOfAnotherEntrySwappedIn_FailsTheItem()
    {
        var name = CaseExportMembers.ReceiptName(CaseExportMembers.ReceiptFolder, _fixture.Item);
        var zip = Rewrite(_fixture.Zip, members => members[name] = _fixture.OtherReceipt);

        var report = await VerifyAsync(zip);

        Assert.False(report.IsValid);
        var steps = Assert.Single(report.Entries, e => e.Member == name).Report.Steps;
        Assert.True(steps.Single(s => s.Name == "entry index").Failed);
        Assert.True(steps.Single(s => s.Name == "manifest").Failed);
        Assert.True(steps.Single(s => s.Name == "inclusion").Passed); // a genuine receipt, of the wrong entry
    }

    [Fact]
    public async Task ExtraReceiptNotInTheManifest_Fails()
    {
        var name = CaseExportMembers.ReceiptName(CaseExportMembers.ReceiptFolder, _fixture.OtherIndex);
        var zip = Rewrite(_fixture.Zip, members => members[name] = _fixture.OtherReceipt);

        var report = await VerifyAsync(zip);

        Assert.False(report.IsValid);
        Assert.Contains("does not list this item", Assert.Single(report.Entries, e => e.Member == name).Report.FirstFailure!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManifestOfAnEarlierExport_FlagsTheEventsItDoesNotList()
    {
        // A validly signed manifest, fixed by the earlier export's event, but the receipts are of the later export.
        var zip = Rewrite(_fixture.Zip, members => members[CaseExportMembers.Manifest] = _fixture.EarlierManifest);

        var report = await VerifyAsync(zip);

        Assert.True(Step(report, "manifest signature").Passed);
        Assert.False(report.IsValid);
        var note = Assert.Single(report.Entries, e => e.Member == CaseExportMembers.ReceiptName(CaseExportMembers.EventFolder, _fixture.NoteEvent));
        Assert.Contains("does not list this event", note.Report.FirstFailure!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportEventReceiptRemoved_FailsTheExportEvent()
    {
        var name = CaseExportMembers.ReceiptName(CaseExportMembers.EventFolder, _fixture.ExportEvent);
        var zip = Rewrite(_fixture.Zip, members => Assert.True(members.Remove(name)));

        var report = await VerifyAsync(zip);

        Assert.True(Step(report, "export event").Failed);
        Assert.Contains("not the one the ledger fixed", Step(report, "export event").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangedByteInAReceiptsEntry_FailsThatReceipt()
    {
        var name = CaseExportMembers.ReceiptName(CaseExportMembers.EventFolder, _fixture.DetachEvent);
        var zip = Rewrite(_fixture.Zip, members => members[name] = RewriteReceipt(members[name], entry => entry.Replace("\"detach\"", "\"attach\"", StringComparison.Ordinal)));

        var report = await VerifyAsync(zip);

        Assert.False(report.IsValid);
        Assert.True(Assert.Single(report.Entries, e => e.Member == name).Report.Steps.Single(s => s.Name == "inclusion").Failed);
    }

    [Fact]
    public async Task WrongTsaCa_FailsEveryTimestamp()
    {
        using var stream = new MemoryStream(_fixture.Zip);
        var trust = new ReceiptTrust { LogKey = _fixture.Node.LogKey() };

        var report = await CaseExportVerifier.VerifyAsync(stream, trust);

        Assert.False(report.IsValid);
        Assert.All(report.Entries, e => Assert.True(e.Report.Steps.Single(s => s.Name == "timestamp").Failed));
    }

    [Fact]
    public async Task NotAZip_FailsTheLayout()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("not a zip"));

        var report = await CaseExportVerifier.VerifyAsync(stream, _fixture.Node.Trust());

        Assert.False(report.IsValid);
        Assert.True(Step(report, "export layout").Failed);
    }

    private async Task<CaseExportReport> VerifyAsync(byte[] zip)
    {
        using var stream = new MemoryStream(zip);
        return await CaseExportVerifier.VerifyAsync(stream, _fixture.Node.Trust());
    }

    private static Verifier.VerificationStep Step(CaseExportReport report, string name) => report.Export.Steps.Single(s => s.Name == name);

    internal static byte[] Rewrite(byte[] zip, Action<Dictionary<string, byte[]>> change)
    {
        var members = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
        {
            foreach (var member in archive.Entries)
            {
                using var content = member.Open();
                using var copy = new MemoryStream();
                content.CopyTo(copy);
                members[member.FullName] = copy.ToArray();
            }
        }

        change(members);
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in members)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(bytes);
            }
        }

        return output.ToArray();
    }

    private static byte[] RewriteReceipt(byte[] receipt, Func<string, string> changeEntry) =>
        Rewrite(receipt, members => members[ReceiptMembers.Entry] = Encoding.UTF8.GetBytes(changeEntry(Encoding.UTF8.GetString(members[ReceiptMembers.Entry]))));

    /// <summary>One node, one case exported twice; the receipt of an unrelated entry.</summary>
    public sealed class ExportFixture : NodeFixture
    {
        public byte[] Zip { get; private set; } = [];

        public byte[] EarlierManifest { get; private set; } = [];

        public byte[] OtherReceipt { get; private set; } = [];

        public ulong OtherIndex { get; private set; }

        public ulong Item { get; private set; }

        public ulong DetachEvent { get; private set; }

        public ulong NoteEvent { get; private set; }

        public ulong ExportEvent { get; private set; }

        protected override async Task SeedAsync(TestNode node)
        {
            var manager = await node.CreateKeyAsync("case-manager");
            var submitter = await node.CreateKeyAsync("submitter");
            Item = await node.PreserveAsync(submitter, 1);
            var dropped = await node.PreserveAsync(submitter, 2);
            OtherIndex = await node.PreserveAsync(submitter, 3);
            var id = (await node.CreateAsync(manager, "Tamper", "T-1", ("Wang Fang", "claimant"))).Case.Id;
            await node.AttachAsync(manager, id, Item);
            await node.AttachAsync(manager, id, dropped);
            DetachEvent = (await node.Cases().DetachEvidenceAsync(new() { CaseId = id, Index = dropped }, TestNode.As(manager))).Event.Index;
            var (_, earlier) = await node.ExportAsync(manager, id);
            EarlierManifest = Members(earlier)[CaseExportMembers.Manifest];
            NoteEvent = (await node.Cases().AddNoteAsync(new() { CaseId = id, Text = "after the first export" }, TestNode.As(manager))).Event.Index;
            var (info, zip) = await node.ExportAsync(manager, id);
            ExportEvent = info.Event.Index;
            Zip = zip;
            var receipt = await node.Http.GetByteArrayAsync($"/v1/entries/{OtherIndex}/receipt.zip?wait=true");
            OtherReceipt = receipt;
        }

        private static Dictionary<string, byte[]> Members(byte[] zip)
        {
            var members = new Dictionary<string, byte[]>();
            Rewrite(zip, m =>
            {
                foreach (var (k, v) in m)
                {
                    members[k] = v;
                }
            });
            return members;
        }
    }
}
