using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Annotations;
using PdfSharp.Pdf.Signatures;

namespace EvidenceChain.Node.Certificates;

/// <summary>
/// The signature's visible block (who signed, how, when issued) and the one change PDFsharp 6.2 offers no option for:
/// its signature dictionary says <c>/SubFilter /adbe.pkcs7.detached</c>, while PAdES (ETSI EN 319 142-1) names a CAdES
/// signature <c>/ETSI.CAdES.detached</c>. PDFsharp creates that dictionary just before it asks this handler to draw,
/// and writes it after, so the handler sets the name then. The certificate tests check that pdfsig reports it.
/// </summary>
internal sealed class SignatureAppearance(PdfDocument document, string signer, string issuedAt, string family) : IAnnotationAppearanceHandler
{
    public const string PadesSubFilter = "/ETSI.CAdES.detached";

    public void DrawAppearance(XGraphics gfx, XRect rect)
    {
        foreach (var signature in document.Internals.GetAllObjects().OfType<PdfSignature2>())
        {
            signature.Elements.SetName("/SubFilter", PadesSubFilter);
        }

        var accent = XColor.FromArgb(0x8B, 0x1A, 0x1A);
        gfx.DrawRoundedRectangle(new XPen(accent, 1), new XSolidBrush(XColor.FromArgb(0xFB, 0xF7, 0xF2)), 0.5, 0.5, rect.Width - 1, rect.Height - 1, 6, 6);
        var brush = new XSolidBrush(accent);
        gfx.DrawString("电子签名 Digitally signed (PAdES B-T)", new XFont(family, 8.5, XFontStyleEx.Bold), brush, new XPoint(8, 14));
        var small = new XFont(family, 6.5);
        gfx.DrawString(signer, small, XBrushes.Black, new XPoint(8, 26));
        gfx.DrawString("RFC 3161 签名时间戳 signature timestamp: node TSA", small, XBrushes.Black, new XPoint(8, 36));
        gfx.DrawString($"出具 Issued {issuedAt}", small, XBrushes.Black, new XPoint(8, 46));
    }
}
