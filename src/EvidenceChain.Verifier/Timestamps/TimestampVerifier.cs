using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using EvidenceChain.Verifier.Timestamps.Internal;

namespace EvidenceChain.Verifier.Timestamps;

/// <summary>
/// Checks an RFC 3161 timestamp over some data under CA certificates the caller pinned: the response is granted,
/// the message imprint is the data's SHA-256 (or SHA-384/512), the CMS signature verifies, the ESS
/// signing-certificate(-v2) attribute names the signer's certificate, that certificate has a critical extended key
/// usage of only id-kp-timeStamping, is valid at genTime, and chains to a pinned CA at genTime.
/// </summary>
/// <remarks>
/// Stateless and thread-safe. No network: revocation is not checked and no certificate is downloaded. Certificates
/// in the token or given as untrusted only help to build the chain; trust comes from the pinned CAs alone (a
/// signature check alone, as <see cref="Rfc3161TimestampToken.VerifySignatureForData"/> does, would accept any
/// self-signed certificate).
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
        ReadOnlySpan<byte> response, ReadOnlySpan<byte> data, X509Certificate2Collection trustedCas, X509Certificate2Collection? untrusted = null)
    {
        ArgumentNullException.ThrowIfNull(trustedCas);
        if (!TryReadResponse(response.ToArray(), out var token, out var failure, out var message))
        {
            return new TimestampResult(failure, message, null);
        }

        return VerifyToken(token.Span, data, trustedCas, untrusted);
    }

    /// <summary>Checks a DER timestamp token (a CMS ContentInfo holding a TSTInfo) over <paramref name="data"/>.</summary>
    /// <param name="token">The DER timestamp token.</param>
    /// <param name="data">The timestamped bytes (for a checkpoint: its note text).</param>
    /// <param name="trustedCas">The pinned CA certificates; the signer must chain to one of them.</param>
    /// <param name="untrusted">Extra certificates that may complete the chain (never trusted); may be null.</param>
    public static TimestampResult VerifyToken(
        ReadOnlySpan<byte> token, ReadOnlySpan<byte> data, X509Certificate2Collection trustedCas, X509Certificate2Collection? untrusted = null)
    {
        ArgumentNullException.ThrowIfNull(trustedCas);
        // Decoded here rather than by Rfc3161TimestampToken.TryDecode, which refuses tokens whose certificate breaks
        // the profile without saying why; the runtime's check runs last, as a second opinion (see TokenCheck).
        var cms = new SignedCms();
        Rfc3161TimestampTokenInfo info;
        try
        {
            cms.Decode(token);

            // RFC 5652 §5.1: version 3 whenever the content is not id-data; no signature covers it, so pin it here.
            if (cms.Version != 3)
            {
                return Fail(TimestampFailure.Malformed, $"the token's SignedData version is {cms.Version}; RFC 5652 requires 3 for a TSTInfo", null);
            }

            if (cms.ContentInfo.ContentType.Value != TstInfoOid
                || !Rfc3161TimestampTokenInfo.TryDecode(cms.ContentInfo.Content, out var parsed, out var consumed)
                || consumed != cms.ContentInfo.Content.Length)
            {
                return Fail(TimestampFailure.Malformed, "not an RFC 3161 timestamp token (the signed content is not a TSTInfo)", null);
            }

            info = parsed;
        }
        catch (CryptographicException e)
        {
            return Fail(TimestampFailure.Malformed, $"not a DER RFC 3161 timestamp token: {e.Message}", null);
        }

        try
        {
            return new TokenCheck(token.ToArray(), cms, info, trustedCas, untrusted ?? []).Run(data);
        }
        catch (CryptographicException e)
        {
            // For example a corrupt certificate inside the token, found only when the certificates are read.
            return Fail(TimestampFailure.Malformed, $"the timestamp token is corrupt: {e.Message}", null);
        }
    }

    /// <summary>Reads PEM CERTIFICATE blocks (a pinned CA file, or a chain); other PEM blocks are ignored.</summary>
    /// <exception cref="CryptographicException">A certificate block is malformed.</exception>
    public static X509Certificate2Collection ReadPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(pem);
        return certificates;
    }

    internal static TimestampResult Fail(TimestampFailure failure, string message, TimestampInfo? info) => new(failure, message, info);

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
