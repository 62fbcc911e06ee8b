using System.IO.Compression;
using EvidenceChain.Core.Notes;
using EvidenceChain.Verifier.Cases;
using EvidenceChain.Verifier.Receipts;

namespace EvidenceChain.Verifier.Tests.Cases;

/// <summary>A hostile case export must be refused by its layout before it can fill the verifying machine's memory.</summary>
public sealed class CaseExportZipLimitsTests
{
    private static readonly ReceiptTrust Trust = new() { LogKey = NoteSigner.FromSeed("example.org/log", new byte[32]).VerifierKey };

    [Fact]
    public async Task HighlyCompressibleMembersAddingUpPastTheBudget_RefusedBeforeReading()
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            archive.CreateEntry("manifest.note").Open().Dispose();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 80; i++)
            {
                using var member = archive.CreateEntry($"receipts/entry-{i}.evidence.zip", CompressionLevel.Fastest).Open();
                for (var mib = 0; mib < 4; mib++)
                {
                    member.Write(zeros);
                }
            }
        }

        zip.Position = 0;
        var limits = new CaseExportLimits();

        var report = await CaseExportVerifier.VerifyAsync(zip, Trust, limits);

        Assert.False(report.IsValid);
        var step = Assert.Single(report.Export.Steps);
        Assert.False(step.Passed);
        Assert.Contains("add up to", step.Detail, StringComparison.Ordinal);
        Assert.True(zip.Length < 8L << 20, $"the test's zip is {zip.Length} bytes"); // a small file claiming 320 MiB
    }

    [Fact]
    public async Task DeclaredMemberCountOverTheLimit_RefusedBeforeTheDirectoryIsRead()
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < 20; i++)
            {
                archive.CreateEntry($"events/entry-{i}.evidence.zip").Open().Dispose();
            }
        }

        zip.Position = 0;

        var report = await CaseExportVerifier.VerifyAsync(zip, Trust, new CaseExportLimits { MaxMembers = 10 });

        var step = Assert.Single(report.Export.Steps);
        Assert.Contains("declares 20 members; at most 10", step.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotAZip_RefusedByLayout()
    {
        using var notZip = new MemoryStream("just some text, not a zip"u8.ToArray());

        var report = await CaseExportVerifier.VerifyAsync(notZip, Trust);

        Assert.False(Assert.Single(report.Export.Steps).Passed);
    }
}
