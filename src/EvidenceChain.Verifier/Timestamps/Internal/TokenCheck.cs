using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace EvidenceChain.Verifier.Timestamps.Internal;

/// <summary>
/// The checks of one decoded token, in order; the first failure ends them. CMS and signatures through BouncyCastle
/// (managed code: the same in a browser as on a server), the TSTInfo through <see cref="TstInfo"/>.
/// </summary>
internal sealed class TokenCheck(
    CmsSignedData cms, TstInfo tst, IReadOnlyList<TsaCertificate> embedded, IReadOnlyList<TsaCertificate> trustedCas, IReadOnlyList<TsaCertificate> untrusted)
{
    private const string SigningCertificateV1Oid = "1.2.840.113549.1.9.16.2.12";
    private const string SigningCertificateV2Oid = "1.2.840.113549.1.9.16.2.47";

    /// <summary>Runs the checks; <paramref name="checkTrust"/> false stops before the chain to a pinned CA.</summary>
    public TimestampResult Run(ReadOnlySpan<byte> data, bool checkTrust)
    {
        var hash = ImprintHash(tst.HashOid);
        var info = new TimestampInfo(
            tst.GenTime,
            Convert.ToHexStringLower(tst.SerialNumber),
            tst.Policy,
            tst.AccuracyMicroseconds,
            hash?.Name ?? tst.HashOid,
            null)
        {
            Nonce = tst.Nonce is null ? null : Convert.ToHexStringLower(tst.Nonce),
        };
        if (hash is not { } algorithm)
        {
            return TimestampVerifier.Fail(TimestampFailure.UnsupportedHashAlgorithm, $"the message imprint uses {tst.HashOid}; only SHA-256, SHA-384 and SHA-512 are accepted", info);
        }

        var expected = Digest(algorithm, data);
        if (!tst.MessageHash.AsSpan().SequenceEqual(expected))
        {
            return TimestampVerifier.Fail(
                TimestampFailure.ImprintMismatch,
                $"the token is over {algorithm.Name} {Convert.ToHexStringLower(tst.MessageHash)}, not over this data ({Convert.ToHexStringLower(expected)})",
                info);
        }

        var signers = cms.GetSignerInfos().GetSigners();
        if (signers.Count != 1)
        {
            return TimestampVerifier.Fail(TimestampFailure.Malformed, $"the token has {signers.Count} signers; RFC 3161 requires one", info);
        }

        var signer = signers[0];

        // RFC 5652 §5.3: version 1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier; unsigned, so pinned here.
        var version = signer.SignerInfo.SignerID.IsTagged ? 3 : 1;
        if (signer.Version != version)
        {
            return TimestampVerifier.Fail(TimestampFailure.Malformed, $"the token's SignerInfo version is {signer.Version}; RFC 5652 requires {version} for its signer identifier", info);
        }

        var certificate = embedded.Concat(untrusted).FirstOrDefault(c => signer.SignerID.Match(c.Parsed));
        if (certificate is null)
        {
            return TimestampVerifier.Fail(TimestampFailure.SignerCertificateNotFound, "the signer's certificate is neither in the token nor among the given certificates", info);
        }

        info = info with { Signer = certificate };
        if (!MatchesSigningCertificate(signer, certificate, out var essError))
        {
            return TimestampVerifier.Fail(TimestampFailure.SigningCertificateMismatch, essError, info);
        }

        if (!SignatureVerifies(signer, certificate.Parsed, out var signatureError))
        {
            return TimestampVerifier.Fail(TimestampFailure.BadSignature, $"the token's signature does not verify: {signatureError}", info);
        }

        if (!IsTimestampingOnly(certificate.Parsed, out var ekuError))
        {
            return TimestampVerifier.Fail(TimestampFailure.NotATimestampingCertificate, $"the signer \"{certificate.Subject}\" {ekuError}", info);
        }

        if (info.GenTime < certificate.NotBefore || info.GenTime > certificate.NotAfter)
        {
            return TimestampVerifier.Fail(
                TimestampFailure.CertificateNotValidAtTime,
                $"the signer \"{certificate.Subject}\" is valid from {certificate.NotBefore.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} to {certificate.NotAfter.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, not at genTime {info.GenTime.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}",
                info);
        }

        if (checkTrust && !CertificatePath.Build(certificate, [.. embedded, .. untrusted], trustedCas, info.GenTime, out var chainError))
        {
            return TimestampVerifier.Fail(TimestampFailure.UntrustedChain, $"the signer \"{certificate.Subject}\" does not chain to a pinned TSA CA at genTime: {chainError}", info);
        }

        // BouncyCastle's own token check (its TSTInfo parser, ESS binding, profile and signature), as a second opinion
        // on the above.
        try
        {
            new TimeStampToken(cms).Validate(certificate.Parsed);
        }
        catch (Exception e) when (Asn1Values.IsMalformedInput(e))
        {
            return TimestampVerifier.Fail(TimestampFailure.BadSignature, $"the token does not pass BouncyCastle's TimeStampToken.Validate: {e.Message}", info);
        }

        return new TimestampResult(TimestampFailure.None, checkTrust ? info.ToString() : info + " (chain to a CA not checked)", info);
    }

    private static HashAlgorithmName? ImprintHash(string? oid) => oid switch
    {
        "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
        "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
        "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
        _ => null,
    };

    private static byte[] Digest(HashAlgorithmName algorithm, ReadOnlySpan<byte> data) =>
        algorithm == HashAlgorithmName.SHA384 ? SHA384.HashData(data)
        : algorithm == HashAlgorithmName.SHA512 ? SHA512.HashData(data)
        : SHA256.HashData(data);

    /// <summary>The CMS signature over the signed attributes, and their message-digest and content-type attributes.</summary>
    private static bool SignatureVerifies(SignerInformation signer, BcCertificate certificate, out string error)
    {
        try
        {
            if (signer.Verify(certificate.GetPublicKey()))
            {
                error = string.Empty;
                return true;
            }

            error = "the signature is not the signer's";
            return false;
        }
        catch (Exception e) when (Asn1Values.IsMalformedInput(e))
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// RFC 3161 §2.4.1 / RFC 5816: the signed attributes hold ESS signing-certificate-v2 (or v1) whose first
    /// certificate ID is the signer's certificate: its hash, and its issuer and serial when given.
    /// </summary>
    private static bool MatchesSigningCertificate(SignerInformation signer, TsaCertificate certificate, out string error)
    {
        var attributes = signer.SignedAttributes?.ToAsn1EncodableVector() ?? [];
        foreach (var encodable in attributes)
        {
            var attribute = Org.BouncyCastle.Asn1.Cms.Attribute.GetInstance(encodable);
            var oid = attribute.AttrType.Id;
            var v2 = oid == SigningCertificateV2Oid;
            if (!v2 && oid != SigningCertificateV1Oid)
            {
                continue;
            }

            if (attribute.AttrValues.Count != 1)
            {
                error = "the ESS signing-certificate attribute must hold one value";
                return false;
            }

            try
            {
                return MatchesCertId(attribute.AttrValues[0].GetEncoded(Asn1Encodable.Der), v2, certificate, out error);
            }
            catch (AsnContentException e)
            {
                error = $"the ESS signing-certificate attribute is malformed: {e.Message}";
                return false;
            }
        }

        error = "the token has no ESS signing-certificate(-v2) attribute naming its signer";
        return false;
    }

    private static bool MatchesCertId(byte[] der, bool v2, TsaCertificate certificate, out string error)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var signingCertificate = reader.ReadSequence();
        var ids = signingCertificate.ReadSequence();
        var id = ids.ReadSequence();
        var algorithm = HashAlgorithmName.SHA1;
        if (v2)
        {
            algorithm = HashAlgorithmName.SHA256;
            if (id.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var algorithmId = id.ReadSequence();
                algorithm = ImprintHash(algorithmId.ReadObjectIdentifier())
                    ?? throw new AsnContentException("the ESSCertIDv2 hash is not SHA-256, SHA-384 or SHA-512");
            }
        }

        var certHash = id.ReadOctetString();
        var raw = certificate.RawData.Span;
        // ESS signing-certificate v1 (RFC 2634) identifies the certificate by SHA-1; it names, it does not sign.
#pragma warning disable CA5350
        var actual = algorithm == HashAlgorithmName.SHA1 ? SHA1.HashData(raw) : Digest(algorithm, raw);
#pragma warning restore CA5350
        if (!certHash.AsSpan().SequenceEqual(actual))
        {
            error = $"the ESS signing-certificate attribute names another certificate (hash {Convert.ToHexStringLower(certHash)}), not the signer \"{certificate.Subject}\"";
            return false;
        }

        if (id.HasData)
        {
            var issuerSerial = id.ReadSequence();
            var names = issuerSerial.ReadSequence();
            var serial = issuerSerial.ReadIntegerBytes();
            var issuer = certificate.Parsed.IssuerDN.GetEncoded(Asn1Encodable.Der);
            var issuerMatches = false;
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
                {
                    var directoryName = names.ReadSequence(tag);
                    issuerMatches |= directoryName.ReadEncodedValue().Span.SequenceEqual(issuer);
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }

            var serialBytes = certificate.Parsed.CertificateStructure.SerialNumber.Value.ToByteArray(); // both big-endian two's complement
            if (!issuerMatches || !serial.Span.SequenceEqual(serialBytes))
            {
                error = $"the ESS signing-certificate attribute's issuer and serial do not name the signer \"{certificate.Subject}\"";
                return false;
            }
        }

        error = string.Empty;
        return true;
    }

    /// <summary>RFC 3161 §2.3: an extended key usage extension, critical, holding only id-kp-timeStamping.</summary>
    private static bool IsTimestampingOnly(BcCertificate certificate, out string error)
    {
        var usages = certificate.GetExtendedKeyUsage()?.Select(o => o.Id).ToList();
        if (usages is null)
        {
            error = "has no extended key usage extension (RFC 3161 requires id-kp-timeStamping)";
            return false;
        }

        if (usages.Count != 1 || usages[0] != TimestampVerifier.TimeStampingOid)
        {
            error = $"has extended key usages {string.Join(", ", usages)}, not only id-kp-timeStamping ({TimestampVerifier.TimeStampingOid})";
            return false;
        }

        if (certificate.GetCriticalExtensionOids()?.Contains(Org.BouncyCastle.Asn1.X509.X509Extensions.ExtendedKeyUsage.Id) != true)
        {
            error = "has the id-kp-timeStamping extended key usage, but not marked critical as RFC 3161 requires";
            return false;
        }

        error = string.Empty;
        return true;
    }
}
