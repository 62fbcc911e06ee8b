using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Storage.Internal;

namespace EvidenceChain.Storage;

/// <summary>
/// The built-in TSA's keys and certificates in the keys folder: the node's own CA (<c>tsa-ca.pem</c>, key
/// <c>tsa-ca.key</c>) and the TSA certificate it issued (<c>tsa.pem</c>, key <c>tsa.key</c>). Keys are PKCS #8 PEM,
/// mode 0600; certificates are PEM, 0644. Verifiers pin <c>tsa-ca.pem</c>.
/// </summary>
/// <remarks>
/// Profiles: the CA is a self-signed ECDSA P-256 root (basic constraints CA, path length 0, key usage keyCertSign and
/// cRLSign, both critical), valid 30 years. The TSA certificate is ECDSA P-256 (basic constraints not a CA; key
/// usage digitalSignature and nonRepudiation, critical; extended key usage id-kp-timeStamping only, critical;
/// subject and authority key identifiers), valid 5 years. It is renewed under the same CA when it has less than
/// 30 days left; the old one is kept as <c>tsa-SERIAL.pem</c> for tokens it signed. A certificate whose key is
/// lost (or a key without its certificate) is set aside the same way and a new certificate is issued.
/// </remarks>
public static class TsaKeyFiles
{
    /// <summary>The CA certificate's file name: the trust anchor to pin.</summary>
    internal const string AuthorityCertificateFile = "tsa-ca.pem";

    /// <summary>The CA key's file name.</summary>
    internal const string AuthorityKeyFile = "tsa-ca.key";

    /// <summary>The TSA certificate's file name.</summary>
    internal const string CertificateFile = "tsa.pem";

    /// <summary>The TSA key's file name.</summary>
    public const string KeyFile = "tsa.key";

    private static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(30 * 365);
    private static readonly TimeSpan CertificateLifetime = TimeSpan.FromDays(5 * 365);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Loads the TSA's credentials from <paramref name="keysPath"/>, creating the CA and the TSA certificate when
    /// absent and renewing the TSA certificate when it is about to expire.
    /// </summary>
    /// <param name="keysPath">The data folder's keys folder.</param>
    /// <param name="origin">The log's origin, named in the certificates' subjects.</param>
    /// <param name="time">The clock for validity periods.</param>
    /// <exception cref="InvalidDataException">A file exists but cannot be used; the message names it.</exception>
    public static TsaCredentials LoadOrCreate(string keysPath, string origin, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(keysPath);
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentNullException.ThrowIfNull(time);
        CreateFolder(keysPath);
        var now = time.GetUtcNow();
        var authority = LoadOrCreateAuthority(keysPath, origin, now);
        try
        {
            var certificatePath = Path.Combine(keysPath, CertificateFile);
            var keyPath = Path.Combine(keysPath, KeyFile);
            if (File.Exists(certificatePath) != File.Exists(keyPath))
            {
                // Half a pair can sign nothing: keep what is there for the record and issue a new certificate.
                ArchiveLoneFile(certificatePath, keyPath, now);
            }

            if (File.Exists(certificatePath) && File.Exists(keyPath))
            {
                var existing = Load(certificatePath, keyPath);
                if (!IssuedBy(existing, authority))
                {
                    // Damaged (a flipped byte breaks its signature) or from another CA: replacing it would throw its key away.
                    existing.Dispose();
                    throw new InvalidDataException(
                        $"{certificatePath} does not chain to {AuthorityCertificateFile}: it is damaged or was issued by another CA; restore it from a backup, or move it and {KeyFile} aside to have a new certificate issued.");
                }

                if (existing.NotAfter.ToUniversalTime() - now.UtcDateTime > RenewBefore)
                {
                    return new TsaCredentials(existing, authority);
                }

                File.Move(certificatePath, Path.Combine(keysPath, $"tsa-{existing.SerialNumber.ToLowerInvariant()}.pem"));
                File.Delete(keyPath);
                existing.Dispose();
            }

            using var caKey = LoadKey(Path.Combine(keysPath, AuthorityKeyFile));
            using var signingAuthority = authority.CopyWithPrivateKey(caKey);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(Subject($"{origin} time-stamping authority"), key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(TsaCredentials.TimeStampingOid)], true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
            var notAfter = Min(now + CertificateLifetime, authority.NotAfter.ToUniversalTime());
            using var issued = request.Create(signingAuthority, now - Backdate, notAfter, RandomSerial());
            WriteNew(keyPath, key.ExportPkcs8PrivateKeyPem(), secret: true);
            WriteNew(certificatePath, issued.ExportCertificatePem(), secret: false);
            Durable.SyncDirectory(keysPath);
            return new TsaCredentials(Load(certificatePath, keyPath), authority); // as every later start will
        }
        catch
        {
            authority.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Names the first of the TSA's files in <paramref name="keysPath"/> that is damaged (does not parse, is not in
    /// canonical form, does not match its pair, or does not chain to the CA), as <c>keys/NAME: what</c>; null when
    /// all are sound. For a one-line start-up error when <see cref="LoadOrCreate"/> fails.
    /// </summary>
    public static string? FindDamaged(string keysPath)
    {
        var report = new AuditReport { Limit = 1 };
        Internal.TsaAudit.Check(keysPath, report);
        return report.Problems.Count > 0 ? report.Problems[0].Where : null;
    }

    private static void ArchiveLoneFile(string certificatePath, string keyPath, DateTimeOffset now)
    {
        var folder = Path.GetDirectoryName(certificatePath)!;
        if (File.Exists(certificatePath))
        {
            string serial;
            try
            {
                using var lone = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
                serial = lone.SerialNumber.ToLowerInvariant();
            }
            catch (CryptographicException)
            {
                serial = "unreadable-" + now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var stem = Path.GetFileNameWithoutExtension(certificatePath);
            File.Move(certificatePath, Path.Combine(folder, $"{stem}-{serial}.pem"), overwrite: true);
        }
        else
        {
            File.Move(keyPath, $"{keyPath}.orphaned-{now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }

    private static X509Certificate2 LoadOrCreateAuthority(string keysPath, string origin, DateTimeOffset now)
    {
        var certificatePath = Path.Combine(keysPath, AuthorityCertificateFile);
        var keyPath = Path.Combine(keysPath, AuthorityKeyFile);
        if (File.Exists(keyPath) && !File.Exists(certificatePath) && !File.Exists(Path.Combine(keysPath, CertificateFile)))
        {
            // A first start that stopped between writing the CA's key and its certificate: the CA was never published
            // and never issued anything, so make it again (the lone key is kept aside). A lone certificate is an error
            // below: it may have been published, so replacing it silently would change what verifiers pin.
            ArchiveLoneFile(certificatePath, keyPath, now);
        }

        if (File.Exists(certificatePath) || File.Exists(keyPath))
        {
            if (!File.Exists(certificatePath) || !File.Exists(keyPath))
            {
                throw new InvalidDataException(
                    $"Only one of {certificatePath} and {keyPath} exists; restore the other from a backup, or remove both (and {CertificateFile}, {KeyFile}) to make a new TSA CA that verifiers must pin again.");
            }

            using var withKey = Load(certificatePath, keyPath);
            return X509CertificateLoader.LoadCertificate(withKey.RawData);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject($"{origin} TSA root CA"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var authority = request.CreateSelfSigned(now - Backdate, now + AuthorityLifetime);
        WriteNew(keyPath, key.ExportPkcs8PrivateKeyPem(), secret: true);
        WriteNew(certificatePath, authority.ExportCertificatePem(), secret: false);
        Durable.SyncDirectory(keysPath);
        return X509CertificateLoader.LoadCertificate(authority.RawData);
    }

    private static X509Certificate2 Load(string certificatePath, string keyPath)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            throw new InvalidDataException($"{certificatePath} with {keyPath} is not a PEM certificate and its matching PKCS #8 key: {e.Message}", e);
        }

        // The pairing check above compares public keys only, and a PKCS #8 file carries its public key beside the
        // private one: a damaged private key passes it. One signature proves the pair.
        using var key = certificate.GetECDsaPrivateKey();
        using var publicKey = certificate.GetECDsaPublicKey();
        byte[] probe = [.. "evidencechain key check"u8];
        if (key is null || publicKey is null || !publicKey.VerifyData(probe, key.SignData(probe, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256))
        {
            certificate.Dispose();
            throw new InvalidDataException($"{keyPath} is not the private key of {certificatePath}: its signatures do not verify under the certificate.");
        }

        return certificate;
    }

    private static ECDsa LoadKey(string keyPath)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(keyPath));
            return key;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or PlatformNotSupportedException)
        {
            key.Dispose();
            throw new InvalidDataException($"{keyPath} is not a PEM ECDSA private key: {e.Message}", e);
        }
    }

    /// <summary>Whether <paramref name="certificate"/> chains to <paramref name="authority"/> (signature only: no revocation, any time).</summary>
    internal static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTimeIgnored = true;
        return chain.Build(certificate);
    }

    private static X500DistinguishedName Subject(string commonName)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddOrganizationName("EvidenceChain");
        name.AddCommonName(commonName.Length <= 64 ? commonName : commonName[..64]);
        return name.Build();
    }

    private static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f; // positive
        serial[0] |= 0x01; // and not shortened by a leading zero byte
        return serial;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTime b) => a.UtcDateTime < b ? a : new DateTimeOffset(b, TimeSpan.Zero);

    private static void CreateFolder(string keysPath)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(keysPath);
        }
        else
        {
            Directory.CreateDirectory(keysPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void WriteNew(string path, string text, bool secret)
    {
        if (secret)
        {
            SecretFile.Write(path, text.EndsWith('\n') ? text : text + "\n");
            return;
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        // Written whole to a temporary file and renamed into place, so a crash never leaves a half-written key or
        // certificate; an existing file is never replaced.
        var temp = path + ".tmp";
        File.Delete(temp);
        using (var file = new FileStream(temp, options))
        {
            file.Write(Encoding.ASCII.GetBytes(text.EndsWith('\n') ? text : text + "\n"));
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: false);
    }
}
