using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Testing;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Tsp;

namespace EvidenceChain.Storage.Tests;

/// <summary>The built-in TSA's CA and certificate in keys/: profiles, file modes, reloading, renewal, and refusals.</summary>
public sealed class TsaKeyFilesTests
{
    private const string Origin = "tsa.test/log";
    private const string P256 = "1.2.840.10045.3.1.7";

    private static X509Certificate2 LoadPem(string path) => X509Certificate2.CreateFromPem(File.ReadAllText(path));

    private static T Extension<T>(X509Certificate2 certificate)
        where T : X509Extension => Assert.Single(certificate.Extensions.OfType<T>());

    private static bool Chains(X509Certificate2 certificate, X509Certificate2 root, DateTime? at = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.VerificationTime = at ?? DateTime.Now;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    [Fact]
    public void LoadOrCreate_TsaCertificate_HasTheRfc3161Profile()
    {
        using var temp = new TempFolder();

        using var credentials = TsaKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System);

        var tsa = credentials.Certificate;
        Assert.True(tsa.HasPrivateKey);
        using (var key = tsa.GetECDsaPublicKey())
        {
            Assert.NotNull(key);
            Assert.Equal(P256, key.ExportParameters(false).Curve.Oid.Value);
        }

        var eku = Extension<X509EnhancedKeyUsageExtension>(tsa);
        Assert.True(eku.Critical);
        Assert.Equal([TsaCredentials.TimeStampingOid], eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        var usage = Extension<X509KeyUsageExtension>(tsa);
        Assert.True(usage.Critical);
        Assert.True(usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature));
        Assert.False(usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.False(Extension<X509BasicConstraintsExtension>(tsa).CertificateAuthority);
        Assert.Contains(Origin, tsa.Subject, StringComparison.Ordinal);
        Assert.InRange(tsa.NotAfter.ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromDays(5 * 365 - 1), TimeSpan.FromDays(5 * 365 + 1));

        using var root = LoadPem(temp.Sub(TsaKeyFiles.AuthorityCertificateFile));
        Assert.True(Chains(tsa, root), "tsa.pem does not chain to tsa-ca.pem");
        Assert.Equal(root.RawData, credentials.Authority.RawData);
        using var onDisk = LoadPem(temp.Sub(TsaKeyFiles.CertificateFile));
        Assert.Equal(onDisk.RawData, tsa.RawData);
    }

    [Fact]
    public async Task LoadOrCreate_TsaCertificate_OpensslAcceptsItForTimeStampSigning()
    {
        using var temp = new TempFolder();
        using var credentials = TsaKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System);

        var result = await Openssl.RunAsync(
            "verify", "-CAfile", temp.Sub(TsaKeyFiles.AuthorityCertificateFile), "-purpose", "timestampsign", temp.Sub(TsaKeyFiles.CertificateFile));

        Assert.True(result.ExitCode == 0 && result.Out.Contains(": OK", StringComparison.Ordinal), result.ToString());
    }

    [Fact]
    public void LoadOrCreate_Authority_IsACa()
    {
        using var temp = new TempFolder();
        using var credentials = TsaKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System);

        var ca = credentials.Authority;
        var constraints = Extension<X509BasicConstraintsExtension>(ca);
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.Critical);
        var usage = Extension<X509KeyUsageExtension>(ca);
        Assert.True(usage.Critical);
        Assert.True(usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.Equal(ca.Subject, ca.Issuer);
        Assert.False(ca.HasPrivateKey); // the CA key stays in its file
        using var key = ca.GetECDsaPublicKey();
        Assert.Equal(P256, key!.ExportParameters(false).Curve.Oid.Value);
    }

    [Fact]
    public void LoadOrCreate_FileModes_KeysOwnerOnlyCertificatesReadable()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes
        }

        using var temp = new TempFolder();
        using var credentials = TsaKeyFiles.LoadOrCreate(temp.Sub("keys"), Origin, TimeProvider.System);

        const UnixFileMode secret = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        const UnixFileMode shared = secret | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        Assert.Equal(secret, File.GetUnixFileMode(temp.Sub("keys/tsa.key")));
        Assert.Equal(secret, File.GetUnixFileMode(temp.Sub("keys/tsa-ca.key")));
        Assert.Equal(shared, File.GetUnixFileMode(temp.Sub("keys/tsa.pem")));
        Assert.Equal(shared, File.GetUnixFileMode(temp.Sub("keys/tsa-ca.pem")));
        Assert.Equal(
            ["tsa-ca.key", "tsa-ca.pem", "tsa.key", "tsa.pem"],
            Directory.GetFiles(temp.Sub("keys")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LoadOrCreate_Again_ReturnsTheSameCertificatesAndKey()
    {
        using var temp = new TempFolder();
        using var first = TsaKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System);

        using var second = TsaKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System);

        Assert.Equal(first.Certificate.RawData, second.Certificate.RawData);
        Assert.Equal(first.Authority.RawData, second.Authority.RawData);
        using var key = second.Certificate.GetECDsaPrivateKey()!;
        using var publicKey = first.Certificate.GetECDsaPublicKey()!;
        var signature = key.SignData("x"u8, HashAlgorithmName.SHA256);
        Assert.True(publicKey.VerifyData("x"u8, signature, HashAlgorithmName.SHA256));
        Assert.Equal(4, Directory.GetFiles(temp.Path).Length);
    }

    [Fact]
    public void LoadOrCreate_LessThan30DaysLeft_RenewedUnderTheSameCaAndTheOldCertificateKept()
    {
        using var temp = new TempFolder();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string oldSerial;
        byte[] oldCertificate, oldAuthority;
        using (var first = TsaKeyFiles.LoadOrCreate(temp.Path, Origin, time))
        {
            oldSerial = first.Certificate.SerialNumber;
            oldCertificate = first.Certificate.RawData;
            oldAuthority = first.Authority.RawData;
        }

        time.Advance(TimeSpan.FromDays(5 * 365) - TimeSpan.FromDays(20));
        using (var notYet = TsaKeyFiles.LoadOrCreate(temp.Path, Origin, new FakeTimeProvider(time.GetUtcNow() - TimeSpan.FromDays(15))))
        {
            Assert.Equal(oldCertificate, notYet.Certificate.RawData); // 35 days left: kept
        }

        using var renewed = TsaKeyFiles.LoadOrCreate(temp.Path, Origin, time);

        Assert.NotEqual(oldCertificate, renewed.Certificate.RawData);
        Assert.NotEqual(oldSerial, renewed.Certificate.SerialNumber);
        Assert.Equal(oldAuthority, renewed.Authority.RawData);
        Assert.InRange(renewed.Certificate.NotBefore.ToUniversalTime(), time.GetUtcNow().UtcDateTime.AddMinutes(-10), time.GetUtcNow().UtcDateTime);
        Assert.True(renewed.Certificate.NotAfter.ToUniversalTime() > time.GetUtcNow().UtcDateTime.AddDays(365));
        var kept = temp.Sub($"tsa-{oldSerial.ToLowerInvariant()}.pem");
        Assert.True(File.Exists(kept), $"the old certificate was not kept as {kept}; files: {string.Join(", ", Directory.GetFiles(temp.Path))}");
        using (var old = LoadPem(kept))
        {
            Assert.Equal(oldCertificate, old.RawData);
        }

        using var onDisk = LoadPem(temp.Sub(TsaKeyFiles.CertificateFile));
        Assert.Equal(renewed.Certificate.RawData, onDisk.RawData);
        using var ca = LoadPem(temp.Sub(TsaKeyFiles.AuthorityCertificateFile));
        Assert.True(Chains(renewed.Certificate, ca, time.GetUtcNow().LocalDateTime));
        Assert.True(renewed.Certificate.HasPrivateKey);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(temp.Sub(TsaKeyFiles.KeyFile)));
        }
    }

    [Theory]
    [InlineData(TsaKeyFiles.AuthorityCertificateFile, TsaKeyFiles.AuthorityKeyFile)]
    [InlineData(TsaKeyFiles.AuthorityKeyFile, TsaKeyFiles.AuthorityCertificateFile)]
    public void LoadOrCreate_OnlyOneOfTheCaFiles_InvalidDataNamingBoth(string kept, string removed)
    {
        using var temp = new TempFolder();
        TsaKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System).Dispose();
        File.Delete(temp.Sub(removed));
        var before = Directory.GetFiles(temp.Path).Order(StringComparer.Ordinal).ToList();

        var e = Assert.Throws<InvalidDataException>(() => TsaKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System));

        Assert.Contains(temp.Sub(kept), e.Message, StringComparison.Ordinal);
        Assert.Contains(temp.Sub(removed), e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(temp.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LoadOrCreate_CaPemWithoutAnyKeyInAFreshFolder_InvalidData()
    {
        using var temp = new TempFolder();
        using var other = new TempFolder();
        TsaKeyFiles.LoadOrCreate(other.Path, Origin, TimeProvider.System).Dispose();
        File.Copy(other.Sub(TsaKeyFiles.AuthorityCertificateFile), temp.Sub(TsaKeyFiles.AuthorityCertificateFile));

        var e = Assert.Throws<InvalidDataException>(() => TsaKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System));

        Assert.Contains(temp.Sub(TsaKeyFiles.AuthorityKeyFile), e.Message, StringComparison.Ordinal);
        Assert.Equal([temp.Sub(TsaKeyFiles.AuthorityCertificateFile)], Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void LoadOrCreate_TsaKeyLost_ANewCertificateOrAnErrorNamingTheKey()
    {
        using var temp = new TempFolder();
        TsaKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System).Dispose();
        File.Delete(temp.Sub(TsaKeyFiles.KeyFile));

        try
        {
            using var credentials = TsaKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System);
            Assert.True(credentials.Certificate.HasPrivateKey);
        }
        catch (InvalidDataException e)
        {
            Assert.Contains(temp.Sub(TsaKeyFiles.KeyFile), e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LoadOrCreate_TsaCertificateSignatureDamaged_InvalidDataNamingItAndTheKeyKept()
    {
        using var temp = new TempFolder();
        TsaKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System).Dispose();
        var der = LoadPem(temp.Sub(TsaKeyFiles.CertificateFile)).RawData;
        der[^1] ^= 0x01; // the CA's signature no longer verifies; the certificate still parses
        File.WriteAllText(temp.Sub(TsaKeyFiles.CertificateFile), PemEncoding.WriteString("CERTIFICATE", der) + "\n");
        var key = File.ReadAllText(temp.Sub(TsaKeyFiles.KeyFile));

        var e = Assert.Throws<InvalidDataException>(() => TsaKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System));

        Assert.Contains(temp.Sub(TsaKeyFiles.CertificateFile), e.Message, StringComparison.Ordinal);
        Assert.Equal(key, File.ReadAllText(temp.Sub(TsaKeyFiles.KeyFile)));
    }

    [Fact]
    public void LoadOrCreate_FirstStartStoppedAfterTheCaKey_MakesTheCaAgain()
    {
        using var temp = new TempFolder();
        using (var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(temp.Sub(TsaKeyFiles.AuthorityKeyFile), key.ExportPkcs8PrivateKeyPem());
        }

        using var credentials = TsaKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System);

        Assert.True(File.Exists(temp.Sub(TsaKeyFiles.AuthorityCertificateFile)));
        Assert.Single(Directory.GetFiles(temp.Path, TsaKeyFiles.AuthorityKeyFile + ".orphaned-*"));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public async Task Tokens_FromKeyFilesAndSerialFile_VerifyWithOpensslAndSerialsIncreaseAcrossRestarts()
    {
        using var temp = new TempFolder();
        var serials = new List<Org.BouncyCastle.Math.BigInteger>();
        for (var start = 0; start < 3; start++)
        {
            using var credentials = TsaKeyFiles.LoadOrCreate(temp.Path, Origin, TimeProvider.System);
            var tsa = new TimeStampAuthority(credentials, new TsaSerialFile(temp.Path), TimeProvider.System, TimeSpan.FromSeconds(1));
            for (var i = 0; i < 5; i++)
            {
                var response = await tsa.TimestampAsync(new[] { (byte)start, (byte)i }, CancellationToken.None);
                serials.Add(new TimeStampResponse(response).TimeStampToken.TimeStampInfo.SerialNumber);
                if (i == 0)
                {
                    var data = temp.Sub($"d{start}");
                    await File.WriteAllBytesAsync(data, [(byte)start, (byte)i]);
                    await File.WriteAllBytesAsync(data + ".tsr", response);
                    Openssl.AssertVerified(await Openssl.VerifyDataAsync(data, data + ".tsr", temp.Sub(TsaKeyFiles.AuthorityCertificateFile)));
                }
            }
        }

        for (var i = 1; i < serials.Count; i++)
        {
            Assert.True(serials[i].CompareTo(serials[i - 1]) > 0, $"serial {serials[i]} after {serials[i - 1]}");
        }
    }
}
