using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
using System.Globalization;
using EvidenceChain.Verifier.Timestamps.Internal;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Cms;

namespace EvidenceChain.Verifier.Timestamps;

/// <summary>
/// Checks an RFC 3161 timestamp over some data under CA certificates the caller pinned: the response is granted,
/// the message imprint is the data's SHA-256 (or SHA-384/512), the CMS signature verifies, the ESS
/// signing-certificate(-v2) attribute names the signer's certificate, that certificate has a critical extended key
/// usage of only id-kp-timeStamping, is valid at genTime, and chains to a pinned CA at genTime.
/// </summary>
/// <remarks>
/// Stateless and thread-safe. Managed code only (BouncyCastle for CMS and signatures): it runs the same in a browser
/// as on a server. No network: revocation is not checked and no certificate is downloaded. Certificates in the token
/// or given as untrusted only help to build the chain; trust comes from the pinned CAs alone (a signature check
/// alone would accept any self-signed certificate). The node checks tokens from an external TSA, and audits stored
/// ones, with this same code.
/// </remarks>
public static class TimestampVerifier
{
    /// <summary>id-kp-timeStamping (RFC 3161 §2.3).</summary>
    public const string TimeStampingOid = "1.3.6.1.5.5.7.3.8";

    private const string TstInfoOid = "1.2.840.113549.1.9.16.1.4";

    /// <summary>Checks a DER TimeStampResp (a <c>.tsr</c> file) over <paramref name="data"/>.</summary>
    /// <param name="response">The DER TimeStampResp.</param>
    /// <param name="data">The timestamped bytes (for a checkpoint: its note text).</param>
    /// <param name="trustedCas">The pinned CA certificates; the signer must chain to one of them.</param>
    /// <param name="untrusted">Extra certificates that may complete the chain (never trusted); may be null.</param>
    public static TimestampResult VerifyResponse(
        ReadOnlySpan<byte> response, ReadOnlySpan<byte> data, IReadOnlyList<TsaCertificate> trustedCas, IReadOnlyList<TsaCertificate>? untrusted = null)
    {
        ArgumentNullException.ThrowIfNull(trustedCas);
        return TryReadResponse(response.ToArray(), out var token, out var failure, out var message)
            ? Verify(token.Span, data, trustedCas, untrusted ?? [], checkTrust: true)
            : new TimestampResult(failure, message, null);
    }

    /// <summary>Checks a DER timestamp token (a CMS ContentInfo holding a TSTInfo) over <paramref name="data"/>.</summary>
    /// <param name="token">The DER timestamp token.</param>
    /// <param name="data">The timestamped bytes (for a checkpoint: its note text).</param>
    /// <param name="trustedCas">The pinned CA certificates; the signer must chain to one of them.</param>
    /// <param name="untrusted">Extra certificates that may complete the chain (never trusted); may be null.</param>
    public static TimestampResult VerifyToken(
        ReadOnlySpan<byte> token, ReadOnlySpan<byte> data, IReadOnlyList<TsaCertificate> trustedCas, IReadOnlyList<TsaCertificate>? untrusted = null)
    {
        ArgumentNullException.ThrowIfNull(trustedCas);
        return Verify(token, data, trustedCas, untrusted ?? [], checkTrust: true);
    }

    /// <summary>
    /// Every check of <see cref="VerifyResponse"/> except the chain to a pinned CA: granted, over
    /// <paramref name="data"/>, signed by the certificate the token carries, which has the time-stamping profile and
    /// is valid at genTime. For a TSA's answer as it arrives, when the caller has no CA to pin; it proves nothing
    /// about who the TSA is, and a receipt is only verified with <see cref="VerifyResponse"/>.
    /// </summary>
    public static TimestampResult VerifyResponseSignature(ReadOnlySpan<byte> response, ReadOnlySpan<byte> data) =>
        TryReadResponse(response.ToArray(), out var token, out var failure, out var message)
            ? Verify(token.Span, data, [], [], checkTrust: false)
            : new TimestampResult(failure, message, null);

    /// <summary>
    /// What a granted TimeStampResp's token says (genTime, serial, policy, signer), checking nothing it asserts: for
    /// display and bookkeeping of a token that is verified elsewhere, never as evidence.
    /// </summary>
    /// <returns>False, with the reason, when the response is not granted or its token cannot be decoded.</returns>
    public static bool TryReadResponse(ReadOnlySpan<byte> response, [NotNullWhen(true)] out TimestampInfo? info, out string error)
    {
        info = null;
        if (!TryReadResponse(response.ToArray(), out var token, out _, out error))
        {
            return false;
        }

        if (!TryDecode(token.Span, out var cms, out var tst, out var embedded, out var failure))
        {
            error = failure.Message;
            return false;
        }

        var hash = tst.HashOid switch
        {
            "2.16.840.1.101.3.4.2.1" => "SHA256",
            "2.16.840.1.101.3.4.2.2" => "SHA384",
            "2.16.840.1.101.3.4.2.3" => "SHA512",
            _ => tst.HashOid,
        };
        TsaCertificate? signer;
        try
        {
            var signers = cms.GetSignerInfos().GetSigners();
            signer = signers.Count == 1 ? embedded.FirstOrDefault(c => signers[0].SignerID.Match(c.Parsed)) : null;
        }
        catch (Exception e) when (Asn1Values.IsMalformedInput(e))
        {
            error = $"the timestamp token is corrupt: {e.Message}";
            return false;
        }

        info = new TimestampInfo(tst.GenTime, Convert.ToHexStringLower(tst.SerialNumber), tst.Policy, tst.AccuracyMicroseconds, hash, signer)
        {
            Nonce = tst.Nonce is null ? null : Convert.ToHexStringLower(tst.Nonce),
        };
        error = string.Empty;
        return true;
    }

    /// <summary>Reads PEM CERTIFICATE blocks (a pinned CA file, or a chain); other PEM blocks are ignored.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">A certificate block is malformed.</exception>
    public static IReadOnlyList<TsaCertificate> ReadPem(string pem) => TsaCertificate.ReadPem(pem);

    internal static TimestampResult Fail(TimestampFailure failure, string message, TimestampInfo? info) => new(failure, message, info);

    private static TimestampResult Verify(
        ReadOnlySpan<byte> token, ReadOnlySpan<byte> data, IReadOnlyList<TsaCertificate> trustedCas, IReadOnlyList<TsaCertificate> untrusted, bool checkTrust)
    {
        if (!TryDecode(token, out var cms, out var tst, out var embedded, out var failure))
        {
            return failure;
        }

        try
        {
            return new TokenCheck(cms, tst, embedded, trustedCas, untrusted).Run(data, checkTrust);
        }
        catch (Exception e) when (Asn1Values.IsMalformedInput(e))
        {
            // For example a signed attribute that does not decode, found only when the signer's attributes are read.
            return Fail(TimestampFailure.Malformed, $"the timestamp token is corrupt: {e.Message}", null);
        }
    }

    /// <summary>Decodes the token's CMS SignedData, its TSTInfo and the certificates it carries.</summary>
    private static bool TryDecode(
        ReadOnlySpan<byte> token,
        [NotNullWhen(true)] out CmsSignedData? cms,
        [NotNullWhen(true)] out TstInfo? tst,
        [NotNullWhen(true)] out IReadOnlyList<TsaCertificate>? embedded,
        [NotNullWhen(false)] out TimestampResult? failure)
    {
        (cms, tst, embedded, failure) = (null, null, null, null);
        var bytes = token.ToArray();
        try
        {
            if (!Asn1Values.IsOneValue(bytes))
            {
                failure = Fail(TimestampFailure.Malformed, "not a DER RFC 3161 timestamp token: not one ASN.1 value", null);
                return false;
            }

            cms = new CmsSignedData(bytes);

            // RFC 5652 §5.1: version 3 whenever the content is not id-data; no signature covers it, so pin it here.
            if (cms.Version != 3)
            {
                failure = Fail(TimestampFailure.Malformed, $"the token's SignedData version is {cms.Version}; RFC 5652 requires 3 for a TSTInfo", null);
                return false;
            }

            var encapsulated = SignedData.GetInstance(cms.ContentInfo.Content).EncapContentInfo;
            if (encapsulated.ContentType.Id != TstInfoOid || encapsulated.Content is not Asn1OctetString octets)
            {
                failure = Fail(TimestampFailure.Malformed, "not an RFC 3161 timestamp token (the signed content is not a TSTInfo)", null);
                return false;
            }

            try
            {
                tst = TstInfo.Read(octets.GetOctets());
            }
            catch (AsnContentException e)
            {
                failure = Fail(TimestampFailure.Malformed, $"not an RFC 3161 timestamp token (the signed content is not a DER TSTInfo: {e.Message})", null);
                return false;
            }

            embedded = Asn1Values.SignedDataCertificates(bytes).Select(c => TsaCertificate.FromDer(c.Span)).ToList();
            return true;
        }
        catch (Exception e) when (Asn1Values.IsMalformedInput(e))
        {
            failure = Fail(TimestampFailure.Malformed, $"not a DER RFC 3161 timestamp token: {e.Message}", null);
            return false;
        }
    }

    /// <summary>Reads TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo OPTIONAL }.</summary>
    private static bool TryReadResponse(ReadOnlyMemory<byte> der, out ReadOnlyMemory<byte> token, out TimestampFailure failure, out string message)
    {
        token = default;
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var response = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var statusInfo = response.ReadSequence();
            var status = statusInfo.ReadInteger();
            string? statusText = null;
            if (statusInfo.HasData && statusInfo.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var texts = statusInfo.ReadSequence();
                statusText = texts.HasData ? texts.ReadCharacterString(UniversalTagNumber.UTF8String) : null;
            }

            // PKIStatus: 0 granted, 1 grantedWithMods; 2 rejection, 3 waiting, 4 revocationWarning, 5 revocationNotification.
            if (status != 0 && status != 1)
            {
                failure = TimestampFailure.NotGranted;
                message = string.Create(CultureInfo.InvariantCulture, $"the TSA did not grant the timestamp: status {status}{(statusText is null ? string.Empty : $" \"{statusText}\"")}");
                return false;
            }

            if (!response.HasData)
            {
                failure = TimestampFailure.NotGranted;
                message = "the response holds no timestamp token";
                return false;
            }

            token = response.ReadEncodedValue();
            response.ThrowIfNotEmpty();
            failure = TimestampFailure.None;
            message = string.Empty;
            return true;
        }
        catch (AsnContentException e)
        {
            failure = TimestampFailure.Malformed;
            message = $"not a DER RFC 3161 TimeStampResp: {e.Message}";
            return false;
        }
    }
}
