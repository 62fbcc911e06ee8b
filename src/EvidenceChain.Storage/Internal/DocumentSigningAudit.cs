using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EvidenceChain.Verifier.Timestamps;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// The audit's check of the document-signing files (<see cref="DocumentSigningKeyFiles"/>): both or neither exist,
/// the key is mode 0600, the key signs what the certificate verifies, and the certificate chains to the node's CA.
/// </summary>
internal static class DocumentSigningAudit
{
    public static void Check(string keys, IReadOnlyList<TsaCertificate>? trusted, AuditReport report)
    {
        var certificatePath = Path.Combine(keys, DocumentSigningKeyFiles.CertificateFile);
        var keyPath = Path.Combine(keys, DocumentSigningKeyFiles.KeyFile);
        if (!File.Exists(certificatePath) && !File.Exists(keyPath))
        {
            return;
        }

        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            var present = File.Exists(certificatePath) ? DocumentSigningKeyFiles.CertificateFile : DocumentSigningKeyFiles.KeyFile;
            report.Note($"keys/{present} is half of the document-signing pair; the node issues a new pair at its next start");
            return;
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(keyPath) & ~OwnerOnly.FileMode) != 0)
        {
            report.Problem("keys/" + DocumentSigningKeyFiles.KeyFile, "is readable by others than its owner (expected mode 0600)");
        }

        try
        {
            using var certificate = DocumentSigningKeyFiles.Load(certificatePath, keyPath);
            if (File.ReadAllText(certificatePath, Encoding.ASCII) != certificate.ExportCertificatePem() + "\n")
            {
                report.Problem("keys/" + DocumentSigningKeyFiles.CertificateFile, "is not in canonical form (one PEM certificate and one newline)");
            }

            using (var key = ECDsa.Create())
            {
                var text = File.ReadAllText(keyPath, Encoding.ASCII);
                key.ImportFromPem(text);
                if (text != key.ExportPkcs8PrivateKeyPem() + "\n")
                {
                    report.Problem("keys/" + DocumentSigningKeyFiles.KeyFile, "is not in canonical form (PKCS #8 PEM and one newline)");
                }
            }

            using var authority = trusted is [var pinned, ..] ? X509CertificateLoader.LoadCertificate(pinned.RawData.Span) : null;
            if (authority is not null && !TsaKeyFiles.IssuedBy(certificate, authority))
            {
                report.Problem("keys/" + DocumentSigningKeyFiles.CertificateFile, $"does not chain to {TsaKeyFiles.AuthorityCertificateFile} (its signature does not verify under the CA)");
            }
        }
        catch (Exception e) when (e is InvalidDataException or CryptographicException or ArgumentException)
        {
            report.Problem("keys/" + DocumentSigningKeyFiles.CertificateFile, e.Message);
        }
    }
}
