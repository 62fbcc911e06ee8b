using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace EvidenceChain.Node.Certificates;

/// <summary>
/// PDFsharp's font resolver for certificates: the family <see cref="Bundled"/> is the CJK subset shipped in this
/// assembly (WenQuanYi Micro Hei, GB 2312 level 1; tools/fonts/make-cjk-subset.sh), and a family
/// <c>file:PATH</c> is the TrueType font at PATH (<c>Certificate:FontFile</c>). Bold is simulated.
/// </summary>
/// <remarks>
/// PDFsharp keeps its resolver in a process-wide static that may be set once, before any font is used: every node in
/// the process shares this one, which is why fonts are named by family rather than configured into it. Thread-safe.
/// </remarks>
internal sealed class CertificateFonts : IFontResolver
{
    public const string Bundled = "EvidenceChain CJK";
    private const string ResourceName = "EvidenceChain.Node.Certificates.cjk-subset.ttf";
    private static readonly Lazy<CertificateFonts> Instance = new(() =>
    {
        var fonts = new CertificateFonts();
        GlobalFontSettings.FontResolver = fonts;
        return fonts;
    });

    private readonly ConcurrentDictionary<string, byte[]> _faces = new(StringComparer.Ordinal);

    /// <summary>Installs the resolver (once per process) and returns the family to draw with for <paramref name="fontFile"/>.</summary>
    /// <exception cref="InvalidDataException">The configured font file cannot be read.</exception>
    public static string Family(string? fontFile)
    {
        var fonts = Instance.Value;
        if (string.IsNullOrEmpty(fontFile))
        {
            return Bundled;
        }

        var full = Path.GetFullPath(fontFile);
        fonts._faces.GetOrAdd("file:" + full, _ => Read(full));
        return "file:" + full;
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        familyName == Bundled || familyName.StartsWith("file:", StringComparison.Ordinal)
            ? new FontResolverInfo(familyName, bold, false)
            : new FontResolverInfo(Bundled, bold, false); // anything else (PDFsharp's own defaults) draws with the bundled face

    public byte[]? GetFont(string faceName) =>
        faceName == Bundled ? _faces.GetOrAdd(Bundled, _ => LoadBundled()) : _faces.TryGetValue(faceName, out var bytes) ? bytes : null;

    private static byte[] LoadBundled()
    {
        using var stream = typeof(CertificateFonts).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly lacks its resource {ResourceName}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static byte[] Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Certificate:FontFile {path} cannot be read: {e.Message}", e);
        }

        // TrueType outlines only: sfnt version 1.0 or "true". "OTTO" (CFF outlines, as Noto CJK ships) PDFsharp cannot embed.
        var version = bytes.Length >= 12 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes) : 0u;
        if (version is not (0x00010000u or 0x74727565u))
        {
            throw new InvalidDataException(version switch
            {
                0x4F54544Fu => $"Certificate:FontFile {path} is an OpenType font with CFF outlines, which PDFsharp cannot embed; give a TrueType (.ttf) font.",
                0x74746366u => $"Certificate:FontFile {path} is a font collection (.ttc), which PDFsharp cannot read; give a single TrueType (.ttf) font.",
                _ => $"Certificate:FontFile {path} is not a TrueType font (.ttf); give one that covers the Chinese text, or leave the setting out for the bundled font.",
            });
        }

        return bytes;
    }
}
