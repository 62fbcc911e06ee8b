using PdfSharp.Pdf;

namespace EvidenceChain.Node.Certificates;

/// <summary>
/// The PDF structures PDFsharp has no call for: the receipt as a PDF/A-3 associated file (ISO 19005-3 §6.8): the
/// embedded file stream with <c>/Subtype /application#2Fzip</c> and <c>/Params</c> (size, modification date), its file
/// specification with <c>/UF</c>, <c>/Desc</c> and <c>/AFRelationship /Source</c>, listed in the catalog's <c>/AF</c>.
/// </summary>
internal static class CertificatePdf
{
    public static void EmbedReceipt(PdfDocument document, string name, byte[] zip, DateTimeOffset modified)
    {
        document.AddEmbeddedFile(name, new MemoryStream(zip));
        var names = document.Internals.Catalog.Elements.GetDictionary("/Names")?.Elements.GetDictionary("/EmbeddedFiles")?.Elements.GetArray("/Names")
            ?? throw new InvalidOperationException("PDFsharp did not list the embedded file in /Names /EmbeddedFiles.");
        var specification = names.Elements.GetDictionary(names.Elements.Count - 1)
            ?? throw new InvalidOperationException("PDFsharp's embedded file has no file specification.");
        var stream = specification.Elements.GetDictionary("/EF")?.Elements.GetDictionary("/F")
            ?? throw new InvalidOperationException("PDFsharp's file specification has no /EF /F stream.");
        stream.Elements.SetName("/Subtype", "/application/zip"); // PDFsharp writes it as /application#2Fzip
        var parameters = new PdfDictionary(document);
        parameters.Elements.SetInteger("/Size", zip.Length);
        parameters.Elements.SetDateTime("/ModDate", modified.UtcDateTime);
        stream.Elements["/Params"] = parameters;
        specification.Elements.SetString("/UF", name);
        specification.Elements.SetString("/Desc", "The entry's receipt: evidencectl verify checks it offline (docs/formats.md §14).");
        specification.Elements.SetName("/AFRelationship", "/Source");
        var associated = new PdfArray(document);
        associated.Elements.Add(specification.Reference is { } reference ? reference : specification);
        document.Internals.Catalog.Elements["/AF"] = associated;
    }
}
