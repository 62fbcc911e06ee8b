using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities.Collections;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace EvidenceChain.Verifier.Tests.Timestamps;

/// <summary>
/// Builds timestamp tokens that openssl (and BouncyCastle's TSP generator) refuse to issue, such as from a certificate
/// whose timeStamping usage is not critical or missing, so the verifier's profile checks can be shown to bite. The
/// certificates come from .NET, the CMS from BouncyCastle's generic CMS generator, the TSTInfo from an AsnWriter.
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

    /// <summary>A root CA, an intermediate under it (a CA or not), and a TSA certificate under the intermediate.</summary>
    public static (X509Certificate2 Root, X509Certificate2 Intermediate, X509Certificate2 Tsa) Chain(bool intermediateIsCa)
    {
        var (root, _) = Certificates(true);
        using var rootKey = root.GetECDsaPrivateKey()!;
        var now = DateTimeOffset.UtcNow;
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest("CN=Hand-made intermediate", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(intermediateIsCa, false, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        using var intermediateIssued = intermediateRequest.Create(root, now.AddDays(-1), now.AddYears(2), [5, 6, 7, 8]);
        var intermediate = intermediateIssued.CopyWithPrivateKey(intermediateKey);

        var tsaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Hand-made chained TSA", tsaKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], true));
        // Signed with the intermediate's key directly: .NET refuses to issue under a certificate that is not a CA.
        using var issued = request.Create(
            intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(intermediateKey), now.AddDays(-1), now.AddYears(1), [9, 10, 11, 12]);
        return (root, intermediate, issued.CopyWithPrivateKey(tsaKey));
    }

    /// <summary>A DER TimeStampResp over <paramref name="data"/> signed by <paramref name="tsa"/> (with ESS signing-certificate-v2).</summary>
    public static byte[] Response(X509Certificate2 tsa, byte[] data)
    {
        using var key = tsa.GetECDsaPrivateKey()!;
        var privateKey = PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
        var certificate = new BcCertificate(tsa.RawData);
        var attributes = new Asn1EncodableVector(new Org.BouncyCastle.Asn1.Cms.Attribute(
            new DerObjectIdentifier("1.2.840.113549.1.9.16.2.47"), new DerSet(Asn1Object.FromByteArray(SigningCertificateV2(tsa)))));
        var signer = new SignerInfoGeneratorBuilder()
            .WithSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
            .Build(new Asn1SignatureFactory("SHA256WITHECDSA", privateKey), certificate);
        var generator = new CmsSignedDataGenerator();
        generator.AddSignerInfoGenerator(signer);
        generator.AddCertificates(CollectionUtilities.CreateStore([certificate]));
        var cms = generator.Generate(new CmsProcessableByteArray(new DerObjectIdentifier("1.2.840.113549.1.9.16.1.4"), TstInfo(data)), encapsulate: true);

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(0);
            }

            writer.WriteEncodedValue(cms.GetEncoded("DER"));
        }

        return writer.Encode();
    }

    private static byte[] TstInfo(byte[] data)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            writer.WriteObjectIdentifier("2.25.206451796066472297028208634299166043406");
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("2.16.840.1.101.3.4.2.1");
                }

                writer.WriteOctetString(SHA256.HashData(data));
            }

            writer.WriteInteger(42);
            writer.WriteGeneralizedTime(DateTimeOffset.UtcNow, omitFractionalSeconds: true);
            using (writer.PushSequence())
            {
                writer.WriteInteger(1);
            }
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
