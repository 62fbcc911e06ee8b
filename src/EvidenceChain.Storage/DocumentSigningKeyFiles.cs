using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EvidenceChain.Storage.Internal;

namespace EvidenceChain.Storage;

/// <summary>
/// The node's document-signing certificate in the keys folder: <c>certificate-signer.pem</c> (PEM, 0644) and its key
/// <c>certificate-signer.key</c> (PKCS #8 PEM, 0600), issued by the node's own CA (<c>tsa-ca.pem</c>, the anchor
/// verifiers already pin for timestamps), so an evidence certificate's PDF signature chains to the same root.
/// </summary>
/// <remarks>
/// Profile: ECDSA P-256, not a CA, key usage digitalSignature and nonRepudiation (critical), extended key usage
/// emailProtection and the Adobe document-signing OID 1.2.840.113583.1.1.5, subject and authority key identifiers,
/// valid 5 years (never beyond the CA). Renewed under the same CA when it has less than 30 days left; the old pair is
/// deleted (a PDF signature carries its certificate, and the CA is what verifiers pin). Call it after
/// <see cref="TsaKeyFiles.LoadOrCreate"/>, which makes the CA.
/// </remarks>
public static class DocumentSigningKeyFiles
{
    /// <summary>The certificate's file name.</summary>
    public const string CertificateFile = "certificate-signer.pem";

    /// <summary>The key's file name (mode 0600).</summary>
    public const string KeyFile = "certificate-signer.key";

    /// <summary>The Adobe PDF document-signing extended key usage.</summary>
    internal const string DocumentSigningOid = "1.2.840.113583.1.1.5";

    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(5 * 365);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Loads the document-signing certificate (with its private key) from <paramref name="keysPath"/>, issuing one
    /// under the node's CA when absent, half present or about to expire.
    /// </summary>
    /// <param name="keysPath">The data folder's keys folder, holding the CA (<c>tsa-ca.pem</c>, <c>tsa-ca.key</c>).</param>
    /// <param name="origin">The log's origin, named in the subject.</param>
    /// <param name="time">The clock for the validity period.</param>
    /// <exception cref="InvalidDataException">A file exists but cannot be used, or the CA is missing; the message names it.</exception>
    public static X509Certificate2 LoadOrCreate(string keysPath, string origin, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(keysPath);
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var certificatePath = Path.Combine(keysPath, CertificateFile);
        var keyPath = Path.Combine(keysPath, KeyFile);
        using var authority = LoadAuthority(keysPath);
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            var existing = Load(certificatePath, keyPath);
            if (!TsaKeyFiles.IssuedBy(existing, authority))
            {
                existing.Dispose();
                throw new InvalidDataException(
                    $"{certificatePath} does not chain to {TsaKeyFiles.AuthorityCertificateFile}: it is damaged or was issued by another CA; delete it and {KeyFile} to have a new one issued.");
            }

            if (existing.NotAfter.ToUniversalTime() - now.UtcDateTime > RenewBefore)
            {
                return existing;
            }

            existing.Dispose();
        }

        // Nothing else refers to these files: a lone half, or an expiring pair, is replaced.
        File.Delete(certificatePath);
        File.Delete(keyPath);
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(File.ReadAllText(Path.Combine(keysPath, TsaKeyFiles.AuthorityKeyFile)));
        using var signingAuthority = authority.CopyWithPrivateKey(caKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("EvidenceChain");
        var commonName = $"{origin} evidence certificates";
        subject.AddCommonName(commonName.Length <= 64 ? commonName : commonName[..64]);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.4"), new Oid(DocumentSigningOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var notAfter = now + Lifetime < authority.NotAfter.ToUniversalTime() ? now + Lifetime : new DateTimeOffset(authority.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7f) | 0x01);
        using var issued = request.Create(signingAuthority, now - Backdate, notAfter, serial);
        SecretFile.Write(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        WritePublic(certificatePath, issued.ExportCertificatePem() + "\n");
        Durable.SyncDirectory(keysPath);
        return Load(certificatePath, keyPath);
    }

    /// <summary>The node's CA certificate (<c>tsa-ca.pem</c>) in <paramref name="keysPath"/>, without its key.</summary>
    /// <exception cref="InvalidDataException">It is missing or unreadable.</exception>
    public static X509Certificate2 LoadAuthority(string keysPath)
    {
        var path = Path.Combine(keysPath, TsaKeyFiles.AuthorityCertificateFile);
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (Exception e) when (e is CryptographicException or IOException)
        {
            throw new InvalidDataException($"{path} is not a readable PEM certificate: {e.Message}", e);
        }
    }

    internal static X509Certificate2 Load(string certificatePath, string keyPath)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException or ArgumentException)
        {
            throw new InvalidDataException($"{certificatePath} with {keyPath} is not a PEM certificate and its matching PKCS #8 key: {e.Message}", e);
        }

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

    private static void WritePublic(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        var temp = path + ".tmp";
        File.Delete(temp);
        using (var file = new FileStream(temp, options))
        {
            file.Write(Encoding.ASCII.GetBytes(text));
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: false);
    }
}
