using System.Security.Cryptography.X509Certificates;
using EvidenceChain.Core.Entries;
using EvidenceChain.Ledger;
using EvidenceChain.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvidenceChain.Storage.Tests;

/// <summary>The evidence certificates' document-signing key pair in keys/: profile, mode, reuse, and the audit's checks.</summary>
public sealed class DocumentSigningKeyFilesTests
{
    private const string Origin = "docsign.test/log";

    [Fact]
    public void LoadOrCreate_NewFolder_IssuesA0600KeyAndACertificateChainedToTheNodesCa()
    {
        using var temp = new TempFolder();
        using var tsa = TsaKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System);

        using var certificate = DocumentSigningKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System);

        Assert.True(certificate.HasPrivateKey);
        Assert.True(TsaKeyFiles.IssuedBy(certificate, tsa.Authority));
        Assert.Contains(Origin, certificate.Subject, StringComparison.Ordinal);
        Assert.False(Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        var usage = Assert.Single(certificate.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.KeyUsages.HasFlag(X509KeyUsageFlags.NonRepudiation));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(temp.Sub(DocumentSigningKeyFiles.KeyFile)));
        }

        using var again = DocumentSigningKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System);
        Assert.Equal(certificate.RawData, again.RawData);
    }

    [Fact]
    public async Task Audit_DocumentSigningFiles_CleanThenKeyModeAndForeignCertificateReported()
    {
        using var temp = new TempFolder();
        await using (var ledger = await FileLedger.OpenAsync(temp.Path, Origin, new LedgerOptions(), TimeProvider.System, NullLoggerFactory.Instance))
        {
            await ledger.Ledger.AppendAsync(new EntryDraft("file", "t", [], new Dictionary<string, string>()));
        }

        var keys = Path.Combine(temp.Path, "keys");
        TsaKeyFiles.LoadOrCreate(keys, Origin, TimeProvider.System).Dispose();
        _ = new TsaSerialFile(keys).Allocate(); // as a node's first start does
        DocumentSigningKeyFiles.LoadOrCreate(keys, Origin, TimeProvider.System).Dispose();
        var clean = await AuditAsync(temp.Path);
        Assert.True(clean.IsClean, string.Join("\n", clean.Problems));
        Assert.DoesNotContain(clean.Notes, n => n.Contains("certificate-signer", StringComparison.Ordinal));

        if (!OperatingSystem.IsWindows())
        {
            var keyPath = Path.Combine(keys, DocumentSigningKeyFiles.KeyFile);
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            var open = await AuditAsync(temp.Path);
            Assert.Contains(open.Problems, p => p.Where == "keys/" + DocumentSigningKeyFiles.KeyFile && p.What.Contains("0600", StringComparison.Ordinal));
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // A pair issued by another CA: the audit must say it does not chain to tsa-ca.pem.
        using var other = new TempFolder();
        TsaKeyFiles.LoadOrCreate(other.Path, Origin, TimeProvider.System).Dispose();
        DocumentSigningKeyFiles.LoadOrCreate(other.Path, Origin, TimeProvider.System).Dispose();
        foreach (var name in new[] { DocumentSigningKeyFiles.CertificateFile, DocumentSigningKeyFiles.KeyFile })
        {
            File.Copy(other.Sub(name), Path.Combine(keys, name), overwrite: true);
        }

        var foreign = await AuditAsync(temp.Path);
        Assert.Contains(foreign.Problems, p => p.Where == "keys/" + DocumentSigningKeyFiles.CertificateFile && p.What.Contains("does not chain", StringComparison.Ordinal));
    }

    private static async Task<AuditReport> AuditAsync(string path)
    {
        using var folder = DataFolder.Open(path, create: false);
        return await LedgerAuditor.RunAsync(folder, pinnedKey: null);
    }
}
