using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;

namespace EvidenceChain.Verifier.Timestamps.Internal;

/// <summary>The checks of one decoded token, in order; the first failure ends them.</summary>
internal sealed class TokenCheck(byte[] token, SignedCms cms, Rfc3161TimestampTokenInfo tst, X509Certificate2Collection trustedCas, X509Certificate2Collection untrusted)
{
    private const string SigningCertificateV1Oid = "1.2.840.113549.1.9.16.2.12";
    private const string SigningCertificateV2Oid = "1.2.840.113549.1.9.16.2.47";

    public TimestampResult Run(ReadOnlySpan<byte> data)
    {
        var hash = ImprintHash(tst.HashAlgorithmId.Value);
        var info = new TimestampInfo(
            tst.Timestamp.ToUniversalTime(),
            Convert.ToHexStringLower(tst.GetSerialNumber().Span),
            tst.PolicyId.Value ?? string.Empty,
            tst.AccuracyInMicroseconds,
            hash?.Name ?? tst.HashAlgorithmId.Value ?? "unknown",
            null);
        if (hash is not { } algorithm)
        {
            return TimestampVerifier.Fail(TimestampFailure.UnsupportedHashAlgorithm, $"the message imprint uses {tst.HashAlgorithmId.Value}; only SHA-256, SHA-384 and SHA-512 are accepted", info);
        }

        var expected = Digest(algorithm, data);
        if (!tst.GetMessageHash().Span.SequenceEqual(expected))
        {
            return TimestampVerifier.Fail(
                TimestampFailure.ImprintMismatch,
                $"the token is over {algorithm.Name} {Convert.ToHexStringLower(tst.GetMessageHash().Span)}, not over this data ({Convert.ToHexStringLower(expected)})",
                info);
        }

        if (cms.SignerInfos.Count != 1)
        {
            return TimestampVerifier.Fail(TimestampFailure.Malformed, $"the token has {cms.SignerInfos.Count} signers; RFC 3161 requires one", info);
        }

        var signer = cms.SignerInfos[0];

        // RFC 5652 §5.3: version 1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier; unsigned, so pinned here.
        var version = signer.SignerIdentifier.Type == SubjectIdentifierType.SubjectKeyIdentifier ? 3 : 1;
        if (signer.Version != version)
        {
            return TimestampVerifier.Fail(TimestampFailure.Malformed, $"the token's SignerInfo version is {signer.Version}; RFC 5652 requires {version} for its signer identifier", info);
        }
        var certificate = FindSigner(signer, cms.Certificates);
        if (certificate is null)
        {
            return TimestampVerifier.Fail(TimestampFailure.SignerCertificateNotFound, "the signer's certificate is neither in the token nor among the given certificates", info);
        }

        info = info with { Signer = certificate };
        if (!MatchesSigningCertificate(signer, certificate, out var essError))
        {
            return TimestampVerifier.Fail(TimestampFailure.SigningCertificateMismatch, essError, info);
        }

        try
        {
            signer.CheckSignature([certificate], verifySignatureOnly: true);
        }
        catch (CryptographicException e)
        {
            return TimestampVerifier.Fail(TimestampFailure.BadSignature, $"the token's signature does not verify: {e.Message}", info);
        }

        if (!IsTimestampingOnly(certificate, out var ekuError))
        {
            return TimestampVerifier.Fail(TimestampFailure.NotATimestampingCertificate, $"the signer \"{certificate.Subject}\" {ekuError}", info);
        }

        if (info.GenTime < certificate.NotBefore.ToUniversalTime() || info.GenTime > certificate.NotAfter.ToUniversalTime())
        {
            return TimestampVerifier.Fail(
                TimestampFailure.CertificateNotValidAtTime,
                $"the signer \"{certificate.Subject}\" is valid from {certificate.NotBefore.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}, not at genTime {info.GenTime.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}",
                info);
        }

        if (!Chains(certificate, cms.Certificates, info.GenTime, out var chainError))
        {
            return TimestampVerifier.Fail(TimestampFailure.UntrustedChain, $"the signer \"{certificate.Subject}\" does not chain to a pinned TSA CA at genTime: {chainError}", info);
        }

        // The runtime's own check of imprint, signature, ESS binding and profile, as a second opinion on the above.
        if (!Rfc3161TimestampToken.TryDecode(token, out var decoded, out _)
            || !decoded.VerifySignatureForData(data, out var runtimeSigner, [certificate])
            || !runtimeSigner.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
        {
            return TimestampVerifier.Fail(TimestampFailure.BadSignature, "the token does not verify with System.Security.Cryptography.Pkcs", info);
        }

        return new TimestampResult(TimestampFailure.None, info.ToString(), info);
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

    private X509Certificate2? FindSigner(SignerInfo signer, X509Certificate2Collection embedded)
    {
        foreach (var candidate in embedded.Concat(untrusted))
        {
            var id = signer.SignerIdentifier;
            var matches = id.Type switch
            {
                SubjectIdentifierType.IssuerAndSerialNumber when id.Value is X509IssuerSerial issuerSerial =>
                    string.Equals(candidate.SerialNumber, issuerSerial.SerialNumber, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(candidate.Issuer, issuerSerial.IssuerName, StringComparison.Ordinal),
                SubjectIdentifierType.SubjectKeyIdentifier when id.Value is string ski =>
                    candidate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any(e => string.Equals(e.SubjectKeyIdentifier, ski, StringComparison.OrdinalIgnoreCase)),
                _ => false,
            };
            if (matches)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// RFC 3161 §2.4.1 / RFC 5816: the signed attributes hold ESS signing-certificate-v2 (or v1) whose first
    /// certificate ID is the signer's certificate: its hash, and its issuer and serial when given.
    /// </summary>
    private static bool MatchesSigningCertificate(SignerInfo signer, X509Certificate2 certificate, out string error)
    {
        foreach (var attribute in signer.SignedAttributes)
        {
            var v2 = attribute.Oid.Value == SigningCertificateV2Oid;
            if (!v2 && attribute.Oid.Value != SigningCertificateV1Oid)
            {
                continue;
            }

            if (attribute.Values.Count != 1)
            {
                error = "the ESS signing-certificate attribute must hold one value";
                return false;
            }

            try
            {
                return MatchesCertId(attribute.Values[0].RawData, v2, certificate, out error);
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

    private static bool MatchesCertId(byte[] der, bool v2, X509Certificate2 certificate, out string error)
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
        // ESS signing-certificate v1 (RFC 2634) identifies the certificate by SHA-1; it names, it does not sign.
#pragma warning disable CA5350
        var actual = algorithm == HashAlgorithmName.SHA1 ? SHA1.HashData(certificate.RawDataMemory.Span) : Digest(algorithm, certificate.RawDataMemory.Span);
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
            var issuerMatches = false;
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
                {
                    var directoryName = names.ReadSequence(tag);
                    issuerMatches |= directoryName.ReadEncodedValue().Span.SequenceEqual(certificate.IssuerName.RawData);
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }

            if (!issuerMatches || !serial.Span.SequenceEqual(certificate.SerialNumberBytes.Span)) // both big-endian
            {
                error = $"the ESS signing-certificate attribute's issuer and serial do not name the signer \"{certificate.Subject}\"";
                return false;
            }
        }

        error = string.Empty;
        return true;
    }

    /// <summary>RFC 3161 §2.3: exactly one extended key usage extension, critical, holding only id-kp-timeStamping.</summary>
    private static bool IsTimestampingOnly(X509Certificate2 certificate, out string error)
    {
        var extensions = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().ToList();
        if (extensions.Count != 1)
        {
            error = extensions.Count == 0 ? "has no extended key usage extension (RFC 3161 requires id-kp-timeStamping)" : "has more than one extended key usage extension";
            return false;
        }

        var eku = extensions[0];
        var usages = eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToList();
        if (usages.Count != 1 || usages[0] != TimestampVerifier.TimeStampingOid)
        {
            error = $"has extended key usages {string.Join(", ", usages)}, not only id-kp-timeStamping ({TimestampVerifier.TimeStampingOid})";
            return false;
        }

        if (!eku.Critical)
        {
            error = "has the id-kp-timeStamping extended key usage, but not marked critical as RFC 3161 requires";
            return false;
        }

        error = string.Empty;
        return true;
    }

    private bool Chains(X509Certificate2 certificate, X509Certificate2Collection embedded, DateTimeOffset genTime, out string error)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(trustedCas);
        policy.ExtraStore.AddRange(embedded);
        policy.ExtraStore.AddRange(untrusted);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = genTime.LocalDateTime;
        policy.VerificationTimeIgnored = false;
        policy.ApplicationPolicy.Add(new Oid(TimestampVerifier.TimeStampingOid));
        if (trustedCas.Count == 0)
        {
            error = "no TSA CA is pinned";
            return false;
        }

        if (chain.Build(certificate))
        {
            error = string.Empty;
            return true;
        }

        var problems = chain.ChainStatus
            .Where(s => s.Status != X509ChainStatusFlags.NoError)
            .Select(s => $"{s.Status} ({s.StatusInformation.Trim()})")
            .Distinct();
        error = string.Join("; ", problems);
        if (error.Length == 0)
        {
            error = "no chain";
        }

        return false;
    }
}
