using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EvidenceChain.Ledger.Timestamping;

/// <summary>
/// The built-in TSA's signing certificate (ECDSA P-256, critical extended key usage id-kp-timeStamping) with its
/// private key, and the node's own CA certificate that issued it.
/// </summary>
/// <remarks>Owns the certificates; dispose it after the TSA that uses it.</remarks>
public sealed class TsaCredentials : IDisposable
{
    /// <summary>The OID of the extended key usage id-kp-timeStamping (RFC 3161 §2.3).</summary>
    public const string TimeStampingOid = "1.3.6.1.5.5.7.3.8";

    /// <summary>Wraps a signing certificate, which must hold its ECDSA private key, and its issuing CA.</summary>
    /// <exception cref="ArgumentException">The certificate has no ECDSA private key or lacks the critical time-stamping usage.</exception>
    public TsaCredentials(X509Certificate2 certificate, X509Certificate2 authority)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(authority);
        if (!certificate.HasPrivateKey || certificate.GetECDsaPublicKey() is null)
        {
            throw new ArgumentException("The TSA certificate must carry its ECDSA private key.", nameof(certificate));
        }

        var usage = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (usage is not { Critical: true } || usage.EnhancedKeyUsages.Count != 1 || usage.EnhancedKeyUsages[0].Value != TimeStampingOid)
        {
            throw new ArgumentException(
                "The TSA certificate must have exactly one extended key usage, id-kp-timeStamping, marked critical (RFC 3161 §2.3).",
                nameof(certificate));
        }

        Certificate = certificate;
        Authority = authority;
    }

    /// <summary>The signing certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate that issued <see cref="Certificate"/>: the trust anchor verifiers pin.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The chain as PEM: the signing certificate, then the CA certificate.</summary>
    public string ChainPem
    {
        get
        {
            var pem = new StringBuilder();
            pem.Append(Certificate.ExportCertificatePem()).Append('\n');
            pem.Append(Authority.ExportCertificatePem()).Append('\n');
            return pem.ToString();
        }
    }

    /// <summary>The signing key.</summary>
    internal ECDsa SigningKey => Certificate.GetECDsaPrivateKey()
        ?? throw new InvalidOperationException("The TSA certificate has no ECDSA private key.");

    /// <inheritdoc/>
    public void Dispose()
    {
        Certificate.Dispose();
        Authority.Dispose();
    }
}
