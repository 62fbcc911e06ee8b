using System.Globalization;
using System.Security.Cryptography;
using EvidenceChain.Core;
using EvidenceChain.Verifier.Timestamps.Internal;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace EvidenceChain.Verifier.Timestamps;

/// <summary>
/// An X.509 certificate of a time-stamping authority's chain (its signing certificate, an intermediate, or a CA a
/// verifier pins), decoded with managed code only, so it works where
/// <c>System.Security.Cryptography.X509Certificates</c> does not (a browser). It holds no private key.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Two instances are equal when their DER encodings are. Decoding a certificate does
/// not make it trusted: trust comes only from being pinned as a CA of <see cref="TimestampVerifier"/>.
/// </remarks>
public sealed class TsaCertificate : IEquatable<TsaCertificate>
{
    private readonly byte[] _der;

    private TsaCertificate(byte[] der, BcCertificate parsed)
    {
        _der = der;
        Parsed = parsed;
        Subject = DistinguishedName.Format(parsed.SubjectDN);
        Issuer = DistinguishedName.Format(parsed.IssuerDN);
        SerialNumber = Convert.ToHexString(parsed.CertificateStructure.SerialNumber.Value.ToByteArrayUnsigned());
        NotBefore = new DateTimeOffset(DateTime.SpecifyKind(parsed.NotBefore, DateTimeKind.Utc));
        NotAfter = new DateTimeOffset(DateTime.SpecifyKind(parsed.NotAfter, DateTimeKind.Utc));
        Sha256Fingerprint = new Hash(SHA256.HashData(der));
    }

    /// <summary>The DER encoding.</summary>
    public ReadOnlyMemory<byte> RawData => _der;

    /// <summary>The subject's distinguished name, most specific part first (<c>CN=…, O=…, C=…</c>), as .NET shows it.</summary>
    public string Subject { get; }

    /// <summary>The issuer's distinguished name, in the form of <see cref="Subject"/>.</summary>
    public string Issuer { get; }

    /// <summary>The serial number, as uppercase hex of its big-endian magnitude.</summary>
    public string SerialNumber { get; }

    /// <summary>The start of the validity period, UTC.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>The end of the validity period, UTC.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>SHA-256 of the DER encoding: the fingerprint to compare with what a TSA publishes.</summary>
    public Hash Sha256Fingerprint { get; }

    /// <summary>The decoded certificate, for the checks in this assembly.</summary>
    internal BcCertificate Parsed { get; }

    /// <summary>Decodes a DER certificate.</summary>
    /// <exception cref="CryptographicException">The bytes are not one X.509 certificate.</exception>
    public static TsaCertificate FromDer(ReadOnlySpan<byte> der)
    {
        var bytes = der.ToArray();
        try
        {
            if (!Asn1Values.IsOneValue(bytes))
            {
                throw new CryptographicException("not one DER value");
            }

            // Strict DER: what is hashed (fingerprint, ESS signing-certificate) must be exactly what is read.
            var parsed = new BcCertificate(bytes);
            return parsed.GetEncoded().AsSpan().SequenceEqual(bytes)
                ? new TsaCertificate(bytes, parsed)
                : throw new CryptographicException("its encoding is not DER");
        }
        catch (Exception e) when (Asn1Values.IsMalformedInput(e))
        {
            throw new CryptographicException($"not an X.509 certificate: {e.Message}", e);
        }
    }

    /// <summary>Reads the PEM CERTIFICATE blocks of <paramref name="pem"/>, in order; other PEM blocks are ignored.</summary>
    /// <exception cref="CryptographicException">A certificate block is malformed.</exception>
    public static IReadOnlyList<TsaCertificate> ReadPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var certificates = new List<TsaCertificate>();
        foreach (var (label, der) in Asn1Values.PemBlocks(pem))
        {
            if (label == "CERTIFICATE")
            {
                certificates.Add(FromDer(der));
            }
        }

        return certificates;
    }

    /// <summary>The certificate as one PEM CERTIFICATE block, ending in a line feed.</summary>
    public string ToPem() => Asn1Values.ToPem("CERTIFICATE", _der);

    /// <inheritdoc/>
    public bool Equals(TsaCertificate? other) => other is not null && _der.AsSpan().SequenceEqual(other._der);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TsaCertificate);

    /// <inheritdoc/>
    public override int GetHashCode() => Sha256Fingerprint.GetHashCode();

    /// <summary>The subject, issuer, validity and SHA-256 fingerprint on one line.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"\"{Subject}\" issued by \"{Issuer}\", valid {NotBefore.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} to {NotAfter.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, SHA-256 {Sha256Fingerprint}");
}
