using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EvidenceChain.Ledger.Timestamping;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using Org.BouncyCastle.X509;
using PdfSharp.Pdf.Signatures;
using BcAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using BcAttributeTable = Org.BouncyCastle.Asn1.Cms.AttributeTable;

namespace EvidenceChain.Node.Certificates;

/// <summary>
/// Signs a certificate PDF's byte range for PDFsharp as PAdES baseline B-T asks: a detached CMS SignedData (SHA-256
/// with ECDSA) whose signed attributes are content type, message digest, CMS algorithm protection and ESS
/// signing-certificate-v2 (no signing time: the claimed time is the signature dictionary's /M), carrying the
/// signing certificate and the node's CA, and, as an unsigned attribute, an RFC 3161 signature timestamp over the
/// signature value from the node's TSA.
/// </summary>
internal sealed class PadesSigner(X509Certificate2 certificate, X509Certificate2 authority, ITimestampSource tsa) : IDigitalSigner
{
    // CMS with two certificates and a token carrying the TSA's certificate is about 3 KB; leave ample room.
    private const int ReservedBytes = 16 * 1024;

    public string CertificateName => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    public Task<int> GetSignatureSizeAsync() => Task.FromResult(ReservedBytes);

    public async Task<byte[]> GetSignatureAsync(Stream stream)
    {
        var parser = new X509CertificateParser();
        var signer = parser.ReadCertificate(certificate.RawData);
        var ca = parser.ReadCertificate(authority.RawData);
        using var ecdsa = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The document-signing certificate has no ECDSA key.");
        var key = PrivateKeyFactory.CreateKey(ecdsa.ExportPkcs8PrivateKey());

        var essV2 = new SigningCertificateV2(new EssCertIDv2(
            SHA256.HashData(certificate.RawData),
            new IssuerSerial(new GeneralNames(new GeneralName(signer.IssuerDN)), new DerInteger(signer.SerialNumber))));
        var extra = new BcAttributeTable(new Asn1EncodableVector(new BcAttribute(PkcsObjectIdentifiers.IdAASigningCertificateV2, new DerSet(essV2))));
        var signerInfo = new SignerInfoGeneratorBuilder()
            .WithSignedAttributeGenerator(new WithoutSigningTime(new DefaultSignedAttributeTableGenerator(extra)))
            .Build(new Asn1SignatureFactory("SHA256withECDSA", key), signer);
        var generator = new CmsSignedDataGenerator();
        generator.AddSignerInfoGenerator(signerInfo);
        generator.AddCertificates(CollectionUtilities.CreateStore(new List<Org.BouncyCastle.X509.X509Certificate> { signer, ca }));
        using var content = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        stream.Position = 0;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0) // PDFsharp's RangedStream cannot seek nor read asynchronously
        {
            content.Write(buffer, 0, read);
        }

        var signed = generator.Generate(new CmsProcessableByteArray(content.ToArray()), encapsulate: false);

        var info = signed.GetSignerInfos().GetSigners().Single();
        var response = new TimeStampResponse(await tsa.TimestampAsync(info.GetSignature(), CancellationToken.None));
        var token = response.TimeStampToken ?? throw new TimestampException($"The TSA granted no token: {response.GetStatusString()}");
        var stamp = new BcAttribute(PkcsObjectIdentifiers.IdAASignatureTimeStampToken, new DerSet(Asn1Object.FromByteArray(token.GetEncoded())));
        var stamped = SignerInformation.ReplaceUnsignedAttributes(info, new BcAttributeTable(new Asn1EncodableVector(stamp)));
        return CmsSignedData.ReplaceSigners(signed, new SignerInformationStore(stamped)).GetEncoded(Asn1Encodable.Der);
    }

    private sealed class WithoutSigningTime(CmsAttributeTableGenerator inner) : CmsAttributeTableGenerator
    {
        public BcAttributeTable GetAttributes(IDictionary<CmsAttributeTableParameter, object> parameters) =>
            inner.GetAttributes(parameters).Remove(Org.BouncyCastle.Asn1.Cms.CmsAttributes.SigningTime);
    }
}
