using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EvidenceChain.Verifier.Timestamps;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// The audit's checks of the built-in TSA's files (<see cref="TsaKeyFiles"/>, <see cref="TsaSerialFile"/>): each
/// certificate and key is canonical PEM, each key signs what its certificate verifies, the CA is self-signed, the TSA
/// certificate and every archived one (<c>tsa-SERIAL.pem</c>) chain to it, and <c>tsa.serial</c> holds a block number.
/// What it learns (the certificates, the next free serial block) checks the stored timestamp tokens.
/// </summary>
internal static class TsaAudit
{
    /// <summary>What the token checks need from the TSA files.</summary>
    /// <param name="Trusted">The CA certificate to pin, when it is usable.</param>
    /// <param name="Issued">The TSA certificates issued under it (current and archived), usable ones only.</param>
    /// <param name="NextBlock">The next free serial block from <c>tsa.serial</c>, when it is usable.</param>
    internal sealed record Result(List<TsaCertificate> Trusted, List<TsaCertificate> Issued, ulong? NextBlock);

    /// <summary>Checks the TSA files; null when there are none (the node never ran its TSA on this folder).</summary>
    public static Result? Check(string keys, AuditReport report)
    {
        string[] own = [TsaKeyFiles.AuthorityCertificateFile, TsaKeyFiles.AuthorityKeyFile, TsaKeyFiles.CertificateFile, TsaKeyFiles.KeyFile, TsaSerialFile.FileName];
        if (!Directory.Exists(keys) || !own.Any(f => File.Exists(Path.Combine(keys, f))))
        {
            return null;
        }

        var result = new Result([], [], null);
        var authority = LoadPair(keys, TsaKeyFiles.AuthorityCertificateFile, TsaKeyFiles.AuthorityKeyFile, report, c => Chains(c, c) && SelfSigned(c));
        if (authority is not null)
        {
            if (!Chains(authority, authority) || !SelfSigned(authority))
            {
                report.Problem("keys/" + TsaKeyFiles.AuthorityCertificateFile, "is not a valid self-signed CA certificate (its signature does not verify)");
            }
            else
            {
                result.Trusted.Add(TsaCertificate.FromDer(authority.RawData));
            }
        }

        var current = LoadPair(keys, TsaKeyFiles.CertificateFile, TsaKeyFiles.KeyFile, report, c => authority is null || Chains(c, authority));
        if (current is not null)
        {
            CheckIssued(current, authority, TsaKeyFiles.CertificateFile, result, report);
        }

        foreach (var path in Directory.EnumerateFiles(keys, "tsa-*.pem").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name == TsaKeyFiles.AuthorityCertificateFile)
            {
                continue;
            }

            var archived = LoadCertificate(path, name, report);
            if (archived is not null)
            {
                CheckIssued(archived, authority, name, result, report);
            }
        }

        foreach (var path in Directory.EnumerateFiles(keys, "*.orphaned-*").Order(StringComparer.Ordinal))
        {
            report.Note($"keys/{Path.GetFileName(path)} is a key set aside because its certificate was missing; nothing uses it");
        }

        return result with { NextBlock = CheckSerial(keys, report) };
    }

    private static void CheckIssued(X509Certificate2 certificate, X509Certificate2? authority, string name, Result result, AuditReport report)
    {
        if (authority is not null && !Chains(certificate, authority))
        {
            report.Problem("keys/" + name, $"does not chain to {TsaKeyFiles.AuthorityCertificateFile} (its signature does not verify under the CA)");
            return;
        }

        result.Issued.Add(TsaCertificate.FromDer(certificate.RawData));
    }

    private static ulong? CheckSerial(string keys, AuditReport report)
    {
        var path = Path.Combine(keys, TsaSerialFile.FileName);
        if (!File.Exists(path))
        {
            report.Problem("keys/" + TsaSerialFile.FileName, "missing, but the TSA's keys are there: serial numbers could repeat");
            return null;
        }

        var text = File.ReadAllText(path, Encoding.ASCII);
        if (!ulong.TryParse(text.TrimEnd('\n'), NumberStyles.None, CultureInfo.InvariantCulture, out var block)
            || block == 0
            || text != block.ToString(CultureInfo.InvariantCulture) + "\n")
        {
            report.Problem("keys/" + TsaSerialFile.FileName, "does not hold the next free serial block as a decimal number and one newline");
            return null;
        }

        return block;
    }

    // The certificate with the private key's signature checked against it; null (and reported) when unusable.
    // When the key does not match the certificate, the one at fault is the certificate if its own signature no longer
    // verifies (certificateSound), else the key: a flip in the certificate's public key must not be blamed on the key.
    private static X509Certificate2? LoadPair(
        string keys, string certificateName, string keyName, AuditReport report, Func<X509Certificate2, bool> certificateSound)
    {
        var certificatePath = Path.Combine(keys, certificateName);
        var keyPath = Path.Combine(keys, keyName);
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            report.Problem("keys/" + (File.Exists(certificatePath) ? keyName : certificateName), "missing");
            return null;
        }

        var certificate = LoadCertificate(certificatePath, certificateName, report);
        using var key = ECDsa.Create();
        var text = File.ReadAllText(keyPath, Encoding.ASCII);
        try
        {
            key.ImportFromPem(text);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or PlatformNotSupportedException)
        {
            // A flip in the curve's OID makes the runtime call it an unsupported platform.
            report.Problem("keys/" + keyName, $"is not a PEM ECDSA P-256 private key: {e.Message}");
            return certificate;
        }

        if (text != key.ExportPkcs8PrivateKeyPem() + "\n")
        {
            report.Problem("keys/" + keyName, "is not in canonical form (PKCS #8 PEM and one newline)");
        }

        if (certificate is null)
        {
            return null;
        }

        try
        {
            using var publicKey = certificate.GetECDsaPublicKey();
            byte[] probe = [.. "evidencechain audit"u8];
            if (publicKey is null || !publicKey.VerifyData(probe, key.SignData(probe, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256))
            {
                var damagedCertificate = !certificateSound(certificate);
                report.Problem(
                    "keys/" + (damagedCertificate ? certificateName : keyName),
                    damagedCertificate ? $"does not match {keyName} and its own signature does not verify: it is damaged" : $"is not the private key of {certificateName}");
            }
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            report.Problem("keys/" + certificateName, $"its public key is unreadable: {e.Message}");
            certificate.Dispose();
            return null;
        }

        return certificate;
    }

    private static X509Certificate2? LoadCertificate(string path, string name, AuditReport report)
    {
        var text = File.ReadAllText(path, Encoding.ASCII);
        try
        {
            var certificate = X509Certificate2.CreateFromPem(text);
            if (text != certificate.ExportCertificatePem() + "\n")
            {
                report.Problem("keys/" + name, "is not in canonical form (one PEM certificate and one newline)");
            }

            return certificate;
        }
        catch (CryptographicException e)
        {
            report.Problem("keys/" + name, $"is not a PEM certificate: {e.Message}");
            return null;
        }
    }

    // A chain whose trust anchor is the certificate itself never checks that certificate's own signature; a flip in
    // it would change the fingerprint verifiers pinned. Certificate ::= SEQUENCE { tbs, algorithm, BIT STRING }.
    private static bool SelfSigned(X509Certificate2 certificate)
    {
        try
        {
            var outer = new AsnReader(certificate.RawData, AsnEncodingRules.DER).ReadSequence();
            var tbs = outer.ReadEncodedValue();
            outer.ReadSequence();
            var signature = outer.ReadBitString(out _);
            using var key = certificate.GetECDsaPublicKey();
            return key is not null && key.VerifyData(tbs.Span, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    private static bool Chains(X509Certificate2 certificate, X509Certificate2 authority)
    {
        try
        {
            return TsaKeyFiles.IssuedBy(certificate, authority);
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            return false;
        }
    }
}
