namespace EvidenceChain.Cli.Client;

/// <summary>The media type of a file from its extension, for <c>preserve</c> without <c>--media-type</c>.</summary>
internal static class MediaTypes
{
    public const string Default = "application/octet-stream";

    public static string Guess(string fileName) => Path.GetExtension(fileName).ToUpperInvariant() switch
    {
        ".PDF" => "application/pdf",
        ".TXT" or ".LOG" => "text/plain",
        ".CSV" => "text/csv",
        ".HTM" or ".HTML" => "text/html",
        ".JSON" => "application/json",
        ".XML" => "application/xml",
        ".EML" => "message/rfc822",
        ".PNG" => "image/png",
        ".JPG" or ".JPEG" => "image/jpeg",
        ".GIF" => "image/gif",
        ".WEBP" => "image/webp",
        ".TIF" or ".TIFF" => "image/tiff",
        ".SVG" => "image/svg+xml",
        ".MP3" => "audio/mpeg",
        ".WAV" => "audio/wav",
        ".MP4" => "video/mp4",
        ".MOV" => "video/quicktime",
        ".ZIP" => "application/zip",
        ".GZ" => "application/gzip",
        ".DOCX" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".XLSX" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".ODT" => "application/vnd.oasis.opendocument.text",
        _ => Default,
    };
}
