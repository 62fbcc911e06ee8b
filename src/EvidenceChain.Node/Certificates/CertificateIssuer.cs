using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EvidenceChain.Ledger;
using EvidenceChain.Node.Auth;
using EvidenceChain.Node.Internal;
using EvidenceChain.Node.Services;
using EvidenceChain.Verifier.Receipts;
using Grpc.Core;
using Microsoft.Extensions.Options;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Signatures;

namespace EvidenceChain.Node.Certificates;

/// <summary>
/// Issues an entry's evidence certificate (docs/formats.md §17): the facts laid out as a bilingual PDF, the entry's
/// receipt embedded as an associated file, the whole signed (PAdES B-T) under the node's document-signing certificate
/// and timestamped by the node's own TSA. Thread-safe.
/// </summary>
internal sealed class CertificateIssuer(
    EvidenceLedger ledger,
    ReceiptBuilder receipts,
    CertificateFactsReader reader,
    NodeTimestamping time,
    DocumentSigningCredentials credentials,
    IOptions<CertificateOptions> options,
    IOptions<NodeLimits> limits) : IDisposable
{
    private readonly SemaphoreSlim _making = new(Math.Max(1, limits.Value.MaxConcurrentCertificates));

    /// <inheritdoc/>
    public void Dispose() => _making.Dispose();

    /// <summary>
    /// Issues the certificate of entry <paramref name="index"/>. With a <paramref name="caller"/> it states what only
    /// the artefacts show (screenshot, TLS, environment), so the caller must be allowed to download them: a submitter
    /// its own entries only.
    /// </summary>
    /// <exception cref="RpcException">
    /// NOT_FOUND beyond the log, PERMISSION_DENIED, UNAVAILABLE when no token covers the entry in time, RESOURCE_EXHAUSTED
    /// when Limits:MaxConcurrentCertificates are being made.
    /// </exception>
    public async Task<IssuedCertificate> IssueAsync(ulong index, Caller? caller, CancellationToken cancellationToken)
    {
        if (!_making.Wait(0, CancellationToken.None))
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, string.Create(CultureInfo.InvariantCulture,
                $"{limits.Value.MaxConcurrentCertificates} certificates are being made already (Limits:MaxConcurrentCertificates); retry shortly.")));
        }

        try
        {
            return await MakeAsync(index, caller, cancellationToken);
        }
        finally
        {
            _making.Release();
        }
    }

    private async Task<IssuedCertificate> MakeAsync(ulong index, Caller? caller, CancellationToken cancellationToken)
    {
        var size = ledger.Latest.Size;
        if (index >= size)
        {
            throw Wire.NoSuchEntry(index, size);
        }

        var stored = await ledger.GetEntryAsync(index, cancellationToken);
        if (caller is { Role: Role.Submitter } && stored.Entry.Draft.Submitter != caller.KeyId)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"Entry {index} was submitted by another key; a submitter key may include only its own entries' artefacts (ask without with_artefacts for the public certificate)."));
        }

        var receipt = await receipts.BuildAsync(index, wait: true, cancellationToken, caller);
        var facts = await reader.ReadAsync(stored, receipt, caller, cancellationToken);
        using var zip = new MemoryStream();
        await ReceiptArchive.WriteAsync(zip, receipt, cancellationToken);

        using var document = new PdfDocument();
        document.Info.Title = $"电子数据保全证书 Electronic Evidence Preservation Certificate {facts.Number}";
        document.Info.Subject = $"Entry {index} of {facts.Origin}, leaf hash {facts.LeafHash}";
        document.Info.Author = facts.Operator;
        document.Info.Creator = "EvidenceChain";
        var signer = new PadesSigner(credentials.Certificate, credentials.Authority, time.Authority);
        var family = CertificateFonts.Family(options.Value.FontFile);
        var (page, block) = CertificateLayout.Draw(document, facts, family, signer.CertificateName);
        CertificatePdf.EmbedReceipt(document, receipt.FileName, zip.ToArray(), stored.Entry.Time);
        DigitalSignatureHandler.ForDocument(document, signer, new DigitalSignatureOptions
        {
            PageIndex = page,
            Rectangle = block,
            AppearanceHandler = new SignatureAppearance(document, signer.CertificateName, facts.IssuedAt, family),
            Reason = $"Evidence certificate {facts.Number}",
            Location = facts.Origin,
            ContactInfo = facts.Operator,
            AppName = "EvidenceChain",
        });
        using var pdf = new MemoryStream();
        await document.SaveAsync(pdf, closeStream: false);
        var bytes = pdf.ToArray();
        return new IssuedCertificate(
            string.Create(CultureInfo.InvariantCulture, $"certificate-{index}.pdf"), facts.Number, bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}

/// <summary>An issued certificate: its suggested file name, number, the signed PDF and its SHA-256 (hex).</summary>
internal sealed record IssuedCertificate(string FileName, string Number, byte[] Pdf, string Sha256);

/// <summary>The document-signing certificate with its key, and the node's CA that issued it. Owns both.</summary>
internal sealed class DocumentSigningCredentials(X509Certificate2 certificate, X509Certificate2 authority) : IDisposable
{
    public X509Certificate2 Certificate { get; } = certificate;

    public X509Certificate2 Authority { get; } = authority;

    public void Dispose()
    {
        Certificate.Dispose();
        Authority.Dispose();
    }
}
