using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

namespace EvidenceChain.Node.Certificates;

/// <summary>
/// Lays out a certificate on A4 pages: a framed bilingual title, the certificate number, five numbered sections
/// (what, when, where, who, how to check) as label/value rows, the screenshot, a QR code of the verification URL and
/// a footer on every page. Rows that do not fit continue on a new page. Not thread-safe; one instance per document.
/// </summary>
internal sealed class CertificateLayout
{
    private const double Margin = 46;
    private const double LabelWidth = 150;
    private const double Bottom = 780;
    private static readonly XColor Accent = XColor.FromArgb(0x8B, 0x1A, 0x1A);
    private static readonly XColor Band = XColor.FromArgb(0xF5, 0xEF, 0xE6);
    private static readonly XColor Muted = XColor.FromArgb(0x55, 0x55, 0x55);
    private static readonly XColor Rule = XColor.FromArgb(0xD8, 0xD0, 0xC4);

    private readonly PdfDocument _document;
    private readonly CertificateFacts _facts;
    private readonly string _family;
    private readonly List<PdfPage> _pages = [];
    private XGraphics _gfx = null!;
    private double _y;

    private CertificateLayout(PdfDocument document, CertificateFacts facts, string family)
    {
        _document = document;
        _facts = facts;
        _family = family;
    }

    private static double Width => XUnit.FromMillimeter(210).Point - (2 * Margin);

    /// <summary>
    /// Draws the certificate into <paramref name="document"/> (which must be empty) and returns where the signature's
    /// visible block goes: the page index and the rectangle in PDF user space (origin bottom left).
    /// </summary>
    public static (int Page, XRect Rectangle) Draw(PdfDocument document, CertificateFacts facts, string family, string signerName)
    {
        const double BlockWidth = 260, BlockHeight = 56;
        var layout = new CertificateLayout(document, facts, family);
        layout.DrawAll();
        if (layout._y + BlockHeight + 16 > Bottom)
        {
            layout.NewPage();
        }

        var top = layout._y + 12;
        var page = layout._pages[^1];
        layout.DrawFooters(signerName);
        var x = Margin + Width - BlockWidth;
        return (layout._pages.Count - 1, new XRect(x, page.Height.Point - top - BlockHeight, BlockWidth, BlockHeight));
    }

    private XFont Font(double size, bool bold = false) => new(_family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);

    private void DrawAll()
    {
        NewPage(first: true);
        var f = _facts;
        Section("一、保全内容", "What was preserved");
        foreach (var (label, value) in f.What)
        {
            Row(label, value);
        }

        if (f.Screenshot is not null || f.ScreenshotNote.Length > 0)
        {
            Screenshot();
        }

        Section("二、保全时间", "When");
        Row("可信时间 Trusted time", $"{f.TsaGenTime}\nRFC 3161 时间戳，时间戳服务 TSA: {f.TsaName}\n序列号 serial: {f.TsaSerial}（覆盖本条目的最早带时间戳检查点 the earliest timestamped checkpoint covering this entry）");
        Row("节点时间 Node time", $"{f.NodeTime}（节点接收时的时钟，仅为节点声明 the node's clock on receipt; its claim only）");

        Section("三、存证位置", "Where");
        Row("账本 Log origin", f.Origin);
        Row("条目序号 Entry index", f.Index.ToString(CultureInfo.InvariantCulture));
        Row("叶哈希 Leaf hash", f.LeafHash);
        Row("检查点 Checkpoint", $"树大小 tree size {f.CheckpointSize}\n根哈希 root {f.CheckpointRoot}");
        Row("账本公钥 Log key", $"{f.LogKey}\nSHA-256 指纹 fingerprint {f.LogKeyFingerprint}");

        Section("四、申请人与运营方", "Who");
        Row("提交人 Submitter", f.Submitter);
        Row("节点运营方 Node operator", f.Operator);

        Section("五、核验方法", "How to check", keepWithNext: 100);
        HowToCheck();
    }

    private void NewPage(bool first = false)
    {
        _gfx?.Dispose();
        var page = _document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        _pages.Add(page);
        _gfx = XGraphics.FromPdfPage(page);
        var w = page.Width.Point;
        var h = page.Height.Point;
        _gfx.DrawRectangle(new XPen(Accent, 1.6), 22, 22, w - 44, h - 44);
        _gfx.DrawRectangle(new XPen(Accent, 0.5), 26, 26, w - 52, h - 52);
        if (!first)
        {
            _gfx.DrawString($"电子数据保全证书 Electronic Evidence Preservation Certificate（续 continued）", Font(8), new XSolidBrush(Muted), new XRect(Margin, 40, Width, 10), XStringFormats.TopRight);
            _y = 62;
            return;
        }

        _gfx.DrawString("电子数据保全证书", Font(24, bold: true), new XSolidBrush(Accent), new XRect(0, 44, w, 34), XStringFormats.TopCenter);
        _gfx.DrawString("ELECTRONIC EVIDENCE PRESERVATION CERTIFICATE", Font(10.5), new XSolidBrush(Accent), new XRect(0, 80, w, 16), XStringFormats.TopCenter);
        _gfx.DrawLine(new XPen(Accent, 0.8), Margin + 60, 102, w - Margin - 60, 102);
        const double Qr = 74;
        DrawQr(_facts.VerifyUrl, w - Margin - Qr + 6, 32, Qr);
        _gfx.DrawString("扫码核验 Scan to verify", Font(6.5), new XSolidBrush(Muted), new XRect(w - Margin - Qr + 6, 32 + Qr, Qr, 9), XStringFormats.TopCenter);
        _gfx.DrawString($"证书编号 Certificate No.  {_facts.Number}", Font(9, bold: true), XBrushes.Black, new XPoint(Margin, 122));
        _gfx.DrawString($"出具时间 Issued  {_facts.IssuedAt}", Font(8.5), new XSolidBrush(Muted), new XPoint(Margin, 134));
        _y = 138;
        var intro = "兹证明：下列电子数据已由本节点固定于只可追加的证据账本（RFC 6962 默克尔树，签名检查点），并取得 RFC 3161 可信时间戳。"
            + "本证书经数字签名，并内嵌可离线核验的完整证明文件。\n"
            + "This certifies that the electronic data below was fixed by this node in its append-only evidence ledger (an RFC 6962 Merkle tree "
            + "with signed checkpoints) and is covered by an RFC 3161 trusted timestamp. This certificate is digitally signed and carries the "
            + "complete offline proof as an embedded file.";
        _y = Paragraph(intro, Margin, _y, Width, Font(8.5), XColors.Black) + 4;
    }

    private void Section(string chinese, string english, double keepWithNext = 40)
    {
        if (_y + 22 + keepWithNext > Bottom)
        {
            NewPage();
        }

        _y += 6;
        _gfx.DrawRectangle(new XSolidBrush(Band), Margin, _y, Width, 18);
        _gfx.DrawRectangle(new XSolidBrush(Accent), Margin, _y, 3, 18);
        _gfx.DrawString(chinese, Font(10.5, bold: true), new XSolidBrush(Accent), new XPoint(Margin + 9, _y + 13));
        var offset = _gfx.MeasureString(chinese, Font(10.5, bold: true)).Width;
        _gfx.DrawString(english, Font(9.5), new XSolidBrush(Accent), new XPoint(Margin + 16 + offset, _y + 13));
        _y += 22;
    }

    private void Row(string label, string value)
    {
        var labelFont = Font(8);
        var valueFont = Font(8.5);
        var valueLines = Wrap(value, valueFont, Width - LabelWidth - 6);
        var labelLines = Wrap(label, labelFont, LabelWidth - 8);
        var height = Math.Max(valueLines.Count * 11.5, labelLines.Count * 10.5) + 5;
        if (_y + height > Bottom)
        {
            NewPage();
        }

        var y = _y + 9;
        foreach (var line in labelLines)
        {
            _gfx.DrawString(line, labelFont, new XSolidBrush(Muted), new XPoint(Margin + 4, y));
            y += 10.5;
        }

        y = _y + 9;
        foreach (var line in valueLines)
        {
            _gfx.DrawString(line, valueFont, XBrushes.Black, new XPoint(Margin + LabelWidth, y));
            y += 11.5;
        }

        _y += height;
        _gfx.DrawLine(new XPen(Rule, 0.4), Margin, _y - 1, Margin + Width, _y - 1);
    }

    private void Screenshot()
    {
        if (_facts.Screenshot is not { } bmp)
        {
            Row("截图 Screenshot", _facts.ScreenshotNote);
            return;
        }

        using var image = XImage.FromStream(new MemoryStream(bmp));
        var width = Math.Min(Width - LabelWidth, 300);
        var height = width * image.PixelHeight / image.PixelWidth;
        if (_y + height + 30 > Bottom)
        {
            NewPage();
        }

        _gfx.DrawString("截图 Screenshot", Font(8), new XSolidBrush(Muted), new XPoint(Margin + 4, _y + 9));
        Paragraph(_facts.ScreenshotNote, Margin + 4, _y + 20, LabelWidth - 12, Font(7.5), Muted);
        _gfx.DrawImage(image, Margin + LabelWidth, _y + 4, width, height);
        _gfx.DrawRectangle(new XPen(Rule, 0.6), Margin + LabelWidth, _y + 4, width, height);
        _y += height + 10;
        _gfx.DrawLine(new XPen(Rule, 0.4), Margin, _y - 1, Margin + Width, _y - 1);
    }

    private void HowToCheck()
    {
        var f = _facts;
        var zip = f.ReceiptName;
        Row("核验页面 Verification page", $"{f.VerifyUrl}\n（第 1 页二维码 the QR code on page 1）");
        Row("1. 取出证明 Extract the proof", $"pdfdetach -saveall certificate.pdf\n→ {zip}（内嵌的完整离线证明 the embedded offline proof）");
        Row("2. 离线核验 Verify offline", $"evidencectl verify {zip} --log-key log.vkey --tsa-ca tsa-ca.pem");
        Row("3. OpenSSL 核验时间戳 Check the timestamp", $"unzip {zip} checkpoint.txt checkpoint.tsr\nopenssl ts -verify -data checkpoint.txt -in checkpoint.tsr -CAfile tsa-ca.pem");
        Row("4. 核验本证书签名 Check this signature", "pdfsig certificate.pdf");
        Row("信任锚 Trust anchors",
            "log.vkey 与 tsa-ca.pem 须取自运营方公布的可信来源，并比对上述账本公钥指纹；证明文件内 trust/ 下的副本仅供参考。\n"
            + "Take log.vkey and tsa-ca.pem from a source you trust (the operator publishes them) and compare the log key's fingerprint above; the copies under trust/ in the proof are for convenience only.");
    }

    private void DrawQr(string url, double x, double y, double size)
    {
        using var generator = new QRCodeGenerator();
        using var code = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        var modules = code.ModuleMatrix; // includes the 4-module quiet zone
        var cell = size / modules.Count;
        _gfx.DrawRectangle(XBrushes.White, x, y, size, size);
        for (var row = 0; row < modules.Count; row++)
        {
            for (var column = 0; column < modules[row].Count; column++)
            {
                if (modules[row][column])
                {
                    // A hair of overlap so that viewers leave no seams between modules.
                    _gfx.DrawRectangle(XBrushes.Black, x + (column * cell), y + (row * cell), cell + 0.05, cell + 0.05);
                }
            }
        }
    }

    private void DrawFooters(string signerName)
    {
        _gfx.Dispose();
        for (var i = 0; i < _pages.Count; i++)
        {
            using var gfx = XGraphics.FromPdfPage(_pages[i], XGraphicsPdfPageOptions.Append);
            var font = Font(7);
            var brush = new XSolidBrush(Muted);
            var w = _pages[i].Width.Point;
            gfx.DrawLine(new XPen(Rule, 0.5), Margin, 788, w - Margin, 788);
            gfx.DrawString($"本证书由“{signerName}”数字签名（PAdES B-T），内嵌证明文件 {_facts.ReceiptName}；任何改动都会使签名失效。",
                font, brush, new XPoint(Margin, 798));
            gfx.DrawString($"Signed by \"{signerName}\" (PAdES B-T) with the proof {_facts.ReceiptName} embedded; any change invalidates the signature.",
                font, brush, new XPoint(Margin, 807));
            gfx.DrawString(string.Create(CultureInfo.InvariantCulture, $"{_facts.Number} · 第 {i + 1} 页 共 {_pages.Count} 页 Page {i + 1} of {_pages.Count}"),
                font, brush, new XRect(Margin, 32, w - (2 * Margin), 10), XStringFormats.TopLeft);
        }
    }

    private double Paragraph(string text, double x, double y, double width, XFont font, XColor color)
    {
        var brush = new XSolidBrush(color);
        foreach (var line in Wrap(text, font, width))
        {
            y += font.Size * 1.3;
            _gfx.DrawString(line, font, brush, new XPoint(x, y));
        }

        return y + 3;
    }

    // Greedy wrapping that works for CJK (which has no spaces) and Latin text: a line breaks at its last space when
    // that is not too early, else between any two characters.
    private List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var rest = paragraph;
            while (_gfx.MeasureString(rest, font).Width > width)
            {
                var fit = 1;
                while (fit < rest.Length && _gfx.MeasureString(rest[..(fit + 1)], font).Width <= width)
                {
                    fit++;
                }

                var space = rest.LastIndexOf(' ', fit);
                var cut = space > fit * 0.6 ? space : fit;
                lines.Add(rest[..cut].TrimEnd());
                rest = rest[cut..].TrimStart();
            }

            lines.Add(rest);
        }

        return lines;
    }
}
