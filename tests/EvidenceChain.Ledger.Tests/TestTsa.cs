using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EvidenceChain.Ledger.Timestamping;

namespace EvidenceChain.Ledger.Tests;

/// <summary>
/// Throw-away TSA credentials made independently of the node's key files: a P-256 root CA and a TSA certificate with
/// the profile RFC 3161 §2.3 requires (critical extended key usage id-kp-timeStamping only).
/// </summary>
internal static class TestTsa
{
    public static TsaCredentials Create(string name = "test")
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"O=EvidenceChain tests, CN={name} TSA root CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"O=EvidenceChain tests, CN={name} TSA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(TsaCredentials.TimeStampingOid)], true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var issued = request.Create(ca, now.AddDays(-1), now.AddYears(5), [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]);
        return new TsaCredentials(issued.CopyWithPrivateKey(key), X509CertificateLoader.LoadCertificate(ca.RawData));
    }
}

/// <summary>Serial numbers from a counter, as a TSA over one process would use them.</summary>
internal sealed class CountingSerials : ITsaSerialNumbers
{
    private long _next;

    public UInt128 Allocate() => (UInt128)(ulong)Interlocked.Increment(ref _next);
}
