using StbImageSharp;

namespace EvidenceChain.Node.Certificates;

/// <summary>
/// The screenshot as the certificate shows it: the first screen of a full-page PNG (its top, at most 3/4 as tall as
/// wide), scaled down to at most <see cref="MaxWidth"/> pixels wide by averaging, as an uncompressed 24-bit BMP for
/// PDFsharp to embed (PDFsharp compresses it in the PDF).
/// </summary>
internal static class ScreenshotImage
{
    public const int MaxWidth = 1000;

    public static async Task<byte[]> FirstScreenAsBmpAsync(Stream png, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await png.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        var image = ImageResult.FromStream(buffer, ColorComponents.RedGreenBlue);
        var sourceHeight = Math.Min(image.Height, Math.Max(1, image.Width * 3 / 4));
        var factor = Math.Max(1, (image.Width + MaxWidth - 1) / MaxWidth);
        int width = image.Width / factor, height = sourceHeight / factor;
        var stride = ((width * 3) + 3) & ~3;
        var bmp = new byte[54 + (stride * height)];
        WriteHeader(bmp, width, height, stride);
        for (var y = 0; y < height; y++)
        {
            var row = 54 + ((height - 1 - y) * stride); // BMP rows run bottom-up
            for (var x = 0; x < width; x++)
            {
                int r = 0, g = 0, b = 0;
                for (var dy = 0; dy < factor; dy++)
                {
                    var source = (((y * factor) + dy) * image.Width + (x * factor)) * 3;
                    for (var dx = 0; dx < factor; dx++, source += 3)
                    {
                        r += image.Data[source];
                        g += image.Data[source + 1];
                        b += image.Data[source + 2];
                    }
                }

                var n = factor * factor;
                bmp[row + (x * 3)] = (byte)(b / n);
                bmp[row + (x * 3) + 1] = (byte)(g / n);
                bmp[row + (x * 3) + 2] = (byte)(r / n);
            }
        }

        return bmp;
    }

    private static void WriteHeader(byte[] bmp, int width, int height, int stride)
    {
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BitConverter.TryWriteBytes(bmp.AsSpan(2), bmp.Length);
        BitConverter.TryWriteBytes(bmp.AsSpan(10), 54); // pixel data offset
        BitConverter.TryWriteBytes(bmp.AsSpan(14), 40); // BITMAPINFOHEADER
        BitConverter.TryWriteBytes(bmp.AsSpan(18), width);
        BitConverter.TryWriteBytes(bmp.AsSpan(22), height);
        BitConverter.TryWriteBytes(bmp.AsSpan(26), (short)1); // planes
        BitConverter.TryWriteBytes(bmp.AsSpan(28), (short)24); // bits per pixel
        BitConverter.TryWriteBytes(bmp.AsSpan(34), stride * height);
        BitConverter.TryWriteBytes(bmp.AsSpan(38), 2835); // 72 dpi
        BitConverter.TryWriteBytes(bmp.AsSpan(42), 2835);
    }
}
