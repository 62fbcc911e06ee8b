using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace EvidenceChain.Verifier.Tests.Timestamps;

/// <summary>
/// Builds timestamp tokens that openssl (and BouncyCastle) refuse to issue, such as from a certificate whose
/// timeStamping usage is not critical or missing, so the verifier's profile checks can be shown to bite.
/// </summary>
internal static class HandMadeTsa
{
    /// <summary>A CA, and a TSA certificate under it with the given EKU setup; <paramref name="eku"/> null for none.</summary>
    public static (X509Certificate2 Ca, X509Certificate2 Tsa) Certificates(bool? ekuCritical, string eku = "1.3.6.1.5.5.7.3.8")
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Hand-made CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = DateTimeOffset.UtcNow;
        var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));

        var tsaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Hand-made TSA", tsaKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (ekuCritical is { } critical)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(eku)], critical));
        }

        using var issued = request.Create(ca, now.AddDays(-1), now.AddYears(1), [1, 2, 3, 4]);
        return (ca, issued.CopyWithPrivateKey(tsaKey));
    }

    /// <summary>A DER TimeStampResp over <paramref name="data"/> signed by <paramref name="tsa"/> (with ESS signing-certificate-v2).</summary>
    public static byte[] Response(X509Certificate2 tsa, byte[] data)
    {
        var info = new Rfc3161TimestampTokenInfo(
            new Oid("2.25.206451796066472297028208634299166043406"),
            new Oid("2.16.840.1.101.3.4.2.1"),
            SHA256.HashData(data),
            new BigInteger(42).ToByteArray(isBigEndian: true),
            DateTimeOffset.UtcNow,
            accuracyInMicroseconds: 1_000_000);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, tsa) { DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), IncludeOption = X509IncludeOption.EndCertOnly };
        signer.SignedAttributes.Add(new AsnEncodedData("1.2.840.113549.1.9.16.2.47", SigningCertificateV2(tsa)));
        var cms = new SignedCms(new ContentInfo(new Oid("1.2.840.113549.1.9.16.1.4"), info.Encode()));
        cms.ComputeSignature(signer);

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(0);
            }

            writer.WriteEncodedValue(cms.Encode());
        }

        return writer.Encode();
    }

    private static byte[] SigningCertificateV2(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteOctetString(SHA256.HashData(certificate.RawData));
        }

        return writer.Encode();
    }
}
